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
 * The task of {@link ChildProcessTorchRunner} in a {@link ChildJvm}, with the argument {@code
 * MODEL.pt}: runs {@link TorchReference} on the inputs of {@code DIR/inputs.npz} (in order) with
 * the output names of {@code DIR/output-names.txt} (one a line, none for the defaults) and writes
 * {@code DIR/outputs.npz} and {@code DIR/libtorch-version.txt}; {@code DIR/quantized-engine.txt},
 * when present, names the quantized engine to run with, and {@code DIR/quantized-engine-used.txt}
 * gets the one in force. Codes: 0 done; 2 libtorch refused the model or inputs, the message in
 * {@code DIR/error.txt}; {@link ChildJvm#OUT_OF_MEMORY} out of memory.
 */
public final class TorchReferenceProcess implements ChildTask {
    static final String INPUTS = "inputs.npz";
    static final String OUTPUT_NAMES = "output-names.txt";
    static final String OUTPUTS = "outputs.npz";
    static final String VERSION = "libtorch-version.txt";
    static final String ENGINE = "quantized-engine.txt";
    static final String ENGINE_USED = "quantized-engine-used.txt";
    static final int REFUSED = 2;

    /** See the class comment. */
    @Override
    public int run(Path dir, List<String> args) throws IOException {
        Path model = Path.of(args.get(0));
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
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            return ChildJvm.refusing(dir, String.valueOf(e.getMessage()), REFUSED);
        } catch (OutOfMemoryError e) {
            return ChildJvm.OUT_OF_MEMORY;
        }
    }
}
