package org.torch2nnef.check.torch;

import java.util.Optional;
import org.torch2nnef.check.MemoryCap;

/**
 * The caps of the child process that runs libtorch on an untrusted model, read from system
 * properties (set them with {@code TORCH2NNEF_JAVA_OPTS}):
 *
 * <ul>
 *   <li>{@code torch2nnef.limit.torchHeap}: the child's Java heap ({@code -Xmx}), default {@value
 *       #DEFAULT_HEAP}; it holds the inputs and outputs.
 *   <li>{@code torch2nnef.limit.torchMemory}: the child's whole address space (heap, libtorch, the
 *       model; {@code ulimit -v}), default three quarters of this machine's memory but at least
 *       {@value MemoryCap#MIN_DEFAULT} ({@link MemoryCap}); {@code none} turns the cap off.
 * </ul>
 *
 * <p>Sizes are bytes or a number with {@code k}, {@code m}, {@code g} or {@code t}.
 */
public record Limits(long heapBytes, Optional<Long> memoryBytes) {
    /** The property of the child's Java heap. */
    public static final String HEAP = "torch2nnef.limit.torchHeap";

    /** The property of the child's address-space cap. */
    public static final String MEMORY = "torch2nnef.limit.torchMemory";

    static final String DEFAULT_HEAP = "4g";

    /**
     * The limits the system properties set.
     *
     * @throws IllegalArgumentException naming the property for a value that is not a size
     */
    public static Limits fromSystemProperties() {
        return new Limits(
                MemoryCap.size(HEAP, System.getProperty(HEAP, DEFAULT_HEAP)),
                MemoryCap.fromProperty(MEMORY));
    }
}
