package org.torch2nnef.check.torch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The child process of {@link ChildProcessTorchRunner}: {@code TorchReferenceProcess MODEL.pt DIR}
 * runs {@link TorchReference} on the inputs of {@code DIR/inputs.npz} (in order) with the output
 * names of {@code DIR/output-names.txt} (one a line, none for the defaults) and writes {@code
 * DIR/outputs.npz} and {@code DIR/libtorch-version.txt}; {@code DIR/quantized-engine.txt}, when
 * present, names the quantized engine to run with, and {@code DIR/quantized-engine-used.txt} gets
 * the one in force. Exit codes: 0 done; 2 libtorch refused the model or inputs, the message in
 * {@code DIR/error.txt}; 3 out of memory (also the JVM's own code for {@code
 * -XX:+ExitOnOutOfMemoryError}). Anything else is a crash.
 */
public final class TorchReferenceProcess {
    static final String INPUTS = "inputs.npz";
    static final String OUTPUT_NAMES = "output-names.txt";
    static final String OUTPUTS = "outputs.npz";
    static final String VERSION = "libtorch-version.txt";
    static final String ENGINE = "quantized-engine.txt";
    static final String ENGINE_USED = "quantized-engine-used.txt";
    static final String ERROR = "error.txt";
    static final int REFUSED = 2;
    static final int OUT_OF_MEMORY = 3;

    /** libtorch's words for a failed allocation (c10's CPU allocator, C++'s bad_alloc). */
    private static final String[] ALLOCATION_FAILURES = {"can't allocate memory", "bad_alloc"};

    private TorchReferenceProcess() {}

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TorchReferenceProcess MODEL.pt DIR");
            System.exit(REFUSED);
        }
        Path model = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        try {
            List<HostTensor> inputs = List.copyOf(Npz.read(dir.resolve(INPUTS)).tensors());
            List<String> names =
                    Files.readAllLines(dir.resolve(OUTPUT_NAMES), StandardCharsets.UTF_8);
            Path engine = dir.resolve(ENGINE);
            Optional<String> wanted =
                    Files.isRegularFile(engine)
                            ? Optional.of(Files.readString(engine).strip())
                            : Optional.empty();
            TorchReferenceResult r =
                    TorchReference.run(new TorchReferenceRequest(model, inputs, names, wanted));
            TensorBundle outputs = new TensorBundle("torch reference of " + model);
            r.outputs().forEach(outputs::add);
            Npz.write(outputs, dir.resolve(OUTPUTS));
            Files.writeString(dir.resolve(VERSION), r.libtorchVersion());
            Files.writeString(dir.resolve(ENGINE_USED), r.quantizedEngine());
            System.exit(0);
        } catch (IOException | IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            Files.writeString(dir.resolve(ERROR), message, StandardCharsets.UTF_8);
            System.exit(allocationFailure(message) ? OUT_OF_MEMORY : REFUSED);
        } catch (OutOfMemoryError e) {
            System.exit(OUT_OF_MEMORY);
        }
    }

    private static boolean allocationFailure(String message) {
        for (String marker : ALLOCATION_FAILURES) {
            if (message.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
