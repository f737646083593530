package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.Path;
import org.torch2nnef.nnef.contract.Limit;
import org.torch2nnef.nnef.contract.NpyHeader;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/** Bounds on what a check holds in its own heap, whatever the models it is handed declare. */
public final class CheckLimits {
    /**
     * Bytes of tensors the check holds: the inputs it generates from the declared shapes, and the
     * outputs each child process hands back (both are refused from their sizes, before anything is
     * allocated). By default a quarter of the heap this JVM may grow to, since inputs, torch's
     * outputs and the interpreter's are held together.
     */
    public static final Limit TENSOR_BYTES =
            new Limit("checkTensorBytes", Runtime.getRuntime().maxMemory() / 4);

    private CheckLimits() {}

    /** The bytes of tensors the headers of {@code npz} declare (its data is not read). */
    public static long npzBytes(Path npz) throws IOException {
        long total = 0;
        for (NpyHeader h : Npz.headers(npz)) {
            long bytes = h.dtype().byteSize();
            for (long d : h.shape()) {
                bytes = d != 0 && bytes > Long.MAX_VALUE / d ? Long.MAX_VALUE : bytes * d;
            }
            total = bytes > Long.MAX_VALUE - total ? Long.MAX_VALUE : total + bytes;
        }
        return total;
    }

    /**
     * The tensors of {@code npz}, refused from its headers alone past {@link #TENSOR_BYTES}: an npz
     * of zeros deflates to almost nothing.
     *
     * @throws IOException naming the file, its size and the limit; or the npz's own refusal
     */
    public static TensorBundle readNpz(Path npz) throws IOException {
        long total = npzBytes(npz);
        long max = TENSOR_BYTES.value();
        if (total > max) {
            throw new IOException(
                    npz
                            + ": holds "
                            + total
                            + " bytes of tensors, more than the "
                            + max
                            + " this process reads ("
                            + raise()
                            + ")");
        }
        return Npz.read(npz);
    }

    /** The message end naming the limit and how to raise it. */
    public static String raise() {
        return TENSOR_BYTES.describe() + " and a larger -Xmx through TORCH2NNEF_JAVA_OPTS";
    }
}
