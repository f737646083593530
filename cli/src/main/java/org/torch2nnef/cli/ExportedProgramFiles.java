package org.torch2nnef.cli;

import java.nio.file.Path;
import org.torch2nnef.pt2.ProgramArchive;

/** Whether a model file is a torch.export program, which the check cannot run through libtorch. */
final class ExportedProgramFiles {
    private ExportedProgramFiles() {}

    static boolean is(Path model) {
        return ProgramArchive.isProgramFile(model);
    }
}
