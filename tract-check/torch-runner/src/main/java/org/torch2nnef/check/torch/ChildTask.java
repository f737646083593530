package org.torch2nnef.check.torch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One piece of work a {@link ChildJvm} runs on libtorch for the parent: the torch reference run
 * ({@link TorchReferenceProcess}) or the reference interpreter. It reads its inputs from, and
 * writes its results to, its own folder; a public no-argument constructor makes it.
 */
public interface ChildTask {
    /**
     * Runs in the child.
     *
     * @param dir the task's folder
     * @param args its arguments
     * @return 0 when done; a code of the task's own with a message in {@link ChildJvm#ERROR} when
     *     it refuses its input (see {@link ChildJvm#refusing}); {@link ChildJvm#OUT_OF_MEMORY} when
     *     out of memory
     * @throws IOException for its own files: anything thrown is reported as a crash
     */
    int run(Path dir, List<String> args) throws IOException;
}
