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
 * {@code DIR/error.txt}; {@link ChildJvm#OUT_OF_MEMORY} out of memory. Anything else is a crash.
 */
public final class TorchReferenceProcess {
    static final String INPUTS = "inputs.npz";
    static final String OUTPUT_NAMES = "output-names.txt";
    static final String OUTPUTS = "outputs.npz";
    static final String VERSION = "libtorch-version.txt";
    static final String ENGINE = "quantized-engine.txt";
    static final String ENGINE_USED = "quantized-engine-used.txt";
    static final int REFUSED = 2;

    private TorchReferenceProcess() {}

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: TorchReferenceProcess MODEL.pt DIR");
            System.exit(REFUSED);
        }
        ChildJvm.dieWithParent();
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
            ChildJvm.exitRefusing(dir, String.valueOf(e.getMessage()), REFUSED);
        } catch (OutOfMemoryError e) {
            System.exit(ChildJvm.OUT_OF_MEMORY);
        }
    }
}
