package org.torch2nnef.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.ChildJvm;
import org.torch2nnef.check.torch.ChildTask;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The task of {@link InterpreterRun} in a {@link ChildJvm}, with the arguments {@code FILES MODEL}:
 * runs the reference interpreter on the model files {@code FILES} ({@code MODEL} names it in
 * messages) with the inputs of {@code DIR/inputs.npz} and the output names of {@code
 * DIR/output-names.txt} (one a line, none for the graph's outputs), and writes {@code
 * DIR/outputs.npz}. Codes: 0 done; {@value #REFUSED_BASE} plus a check verdict when the model was
 * refused, the message in {@code DIR/error.txt}; {@link ChildJvm#OUT_OF_MEMORY} out of memory.
 */
public final class InterpreterProcess implements ChildTask {
    static final String INPUTS = "inputs.npz";
    static final String OUTPUT_NAMES = "output-names.txt";
    static final String OUTPUTS = "outputs.npz";

    /** Codes from here on carry a verdict; far from the JVM's own 1 and the OOM code 3. */
    static final int REFUSED_BASE = 20;

    /** See the class comment. */
    @Override
    public int run(Path dir, List<String> args) throws IOException {
        try {
            TensorBundle inputs = Npz.read(dir.resolve(INPUTS));
            List<String> outputs =
                    Files.readAllLines(dir.resolve(OUTPUT_NAMES), StandardCharsets.UTF_8);
            TensorBundle got =
                    new InterpreterRun(Path.of(args.get(0)), Path.of(args.get(1)), inputs, outputs)
                            .inProcess();
            Npz.write(got, dir.resolve(OUTPUTS));
            return 0;
        } catch (InterpreterRun.Refused e) {
            return ChildJvm.refusing(dir, e.getMessage(), REFUSED_BASE + e.verdict().code());
        } catch (IOException e) { // our own files in DIR: a full disk, not the model
            return ChildJvm.refusing(
                    dir,
                    args.get(1) + ": the reference interpreter's child process: " + e.getMessage(),
                    REFUSED_BASE + ExitCode.CHECKER_UNAVAILABLE.code());
        } catch (OutOfMemoryError e) {
            return ChildJvm.OUT_OF_MEMORY;
        }
    }

    /** The verdict a refusing child's exit code carries. */
    static Optional<ExitCode> verdict(int exit) {
        for (ExitCode c : ExitCode.values()) {
            if (exit == REFUSED_BASE + c.code() && c != ExitCode.EQUAL) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
