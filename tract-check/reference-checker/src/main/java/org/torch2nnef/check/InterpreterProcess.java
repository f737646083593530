package org.torch2nnef.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.ChildJvm;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The child process of {@link InterpreterRun}: {@code InterpreterProcess FILES MODEL DIR} runs the
 * reference interpreter on the model files {@code FILES} ({@code MODEL} names it in messages) with
 * the inputs of {@code DIR/inputs.npz} and the output names of {@code DIR/output-names.txt} (one a
 * line, none for the graph's outputs), and writes {@code DIR/outputs.npz}. Exit codes: 0 done;
 * {@value #REFUSED_BASE} plus a check verdict when the model was refused, the message in {@code
 * DIR/error.txt}; {@link ChildJvm#OUT_OF_MEMORY} out of memory. Anything else is a crash.
 */
public final class InterpreterProcess {
    static final String INPUTS = "inputs.npz";
    static final String OUTPUT_NAMES = "output-names.txt";
    static final String OUTPUTS = "outputs.npz";

    /** Exit codes from here on carry a verdict; far from the JVM's own 1 and the OOM code 3. */
    static final int REFUSED_BASE = 20;

    private InterpreterProcess() {}

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: InterpreterProcess FILES MODEL DIR");
            System.exit(REFUSED_BASE + ExitCode.USAGE_OR_INPUT_ERROR.code());
        }
        ChildJvm.dieWithParent();
        Path dir = Path.of(args[2]);
        try {
            TensorBundle inputs = Npz.read(dir.resolve(INPUTS));
            List<String> outputs =
                    Files.readAllLines(dir.resolve(OUTPUT_NAMES), StandardCharsets.UTF_8);
            TensorBundle got =
                    new InterpreterRun(Path.of(args[0]), Path.of(args[1]), inputs, outputs)
                            .inProcess();
            Npz.write(got, dir.resolve(OUTPUTS));
            System.exit(0);
        } catch (InterpreterRun.Refused e) {
            ChildJvm.exitRefusing(dir, e.getMessage(), REFUSED_BASE + e.verdict().code());
        } catch (IOException e) { // our own files in DIR: a full disk, not the model
            ChildJvm.exitRefusing(
                    dir,
                    args[1] + ": the reference interpreter's child process: " + e.getMessage(),
                    REFUSED_BASE + ExitCode.CHECKER_UNAVAILABLE.code());
        } catch (OutOfMemoryError e) {
            System.exit(ChildJvm.OUT_OF_MEMORY);
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
