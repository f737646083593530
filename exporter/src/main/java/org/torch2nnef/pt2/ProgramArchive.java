package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.torchscript.RawTensorArchive;
import org.torch2nnef.torchscript.ReaderLimits;
import org.torch2nnef.torchscript.TorchScriptFormatException;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * A {@code .pt2} archive as {@code torch.export.save} writes it: under one folder, {@code
 * models/model.json} (the serialized ExportedProgram) and the tensors under {@code data/weights/}
 * and {@code data/constants/}, each described by its folder's config JSON. Entries are read within
 * the same {@link ReaderLimits} as a {@code .pt}; tensor bytes stay in the zip until written.
 */
public final class ProgramArchive implements AutoCloseable {
    private static final String PROGRAM = "models/model.json";

    private final RawTensorArchive zip;
    private final String prefix;
    private final JsonNode program;
    private final StoredTensors weights;
    private final StoredTensors constants;

    private ProgramArchive(
            RawTensorArchive zip,
            String prefix,
            JsonNode program,
            StoredTensors weights,
            StoredTensors constants) {
        this.zip = zip;
        this.prefix = prefix;
        this.program = program;
        this.weights = weights;
        this.constants = constants;
    }

    /**
     * @param path a file that may be a {@code .pt2}
     * @return whether it is named as one
     */
    public static boolean isProgramFile(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(".pt2");
    }

    /**
     * Opens a program archive and reads its program and tensor configs (not tensor data).
     *
     * @param path a {@code .pt2} written by {@code torch.export.save}
     * @return the open archive; close it when its tensors are no longer needed
     * @throws TorchScriptFormatException if it is not a readable program archive or exceeds a limit
     *     (the message names the file and entry)
     * @throws IOException if the file cannot be read
     */
    public static ProgramArchive open(Path path) throws IOException {
        RawTensorArchive zip = RawTensorArchive.open(path, ReaderLimits.fromSystemProperties());
        try {
            String prefix = findPrefix(zip);
            String where = path + "!" + prefix + PROGRAM;
            JsonNode program = JsonFields.parse(zip.readAll(prefix + PROGRAM), where);
            StoredTensors weights =
                    StoredTensors.read(zip, prefix + "data/weights/", "model_weights_config.json");
            StoredTensors constants =
                    StoredTensors.read(
                            zip, prefix + "data/constants/", "model_constants_config.json");
            return new ProgramArchive(zip, prefix, program, weights, constants);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static String findPrefix(RawTensorArchive zip) throws ProgramFormatException {
        List<String> candidates = new ArrayList<>();
        for (String name : zip.names()) {
            int slash = name.indexOf('/');
            if (slash >= 0 && name.substring(slash + 1).equals(PROGRAM)) {
                candidates.add(name.substring(0, slash + 1));
            }
        }
        if (candidates.isEmpty()) {
            boolean torchScript = zip.names().stream().anyMatch(n -> n.endsWith("/data.pkl"));
            throw new ProgramFormatException(
                    zip.path()
                            + ": no '<name>/"
                            + PROGRAM
                            + "' entry"
                            + (torchScript
                                    ? " (it holds data.pkl: a TorchScript archive; name it .pt)"
                                    : " (is it a torch.export.save archive?)"));
        }
        if (candidates.size() > 1) {
            throw new ProgramFormatException(
                    "ambiguous archive "
                            + zip.path()
                            + ": "
                            + PROGRAM
                            + " under each of "
                            + candidates);
        }
        return candidates.get(0);
    }

    /**
     * @return the archive file
     */
    public Path path() {
        return zip.path();
    }

    /**
     * @return where the program is, e.g. {@code m.pt2!m/models/model.json}, for messages
     */
    String programLocation() {
        return zip.path() + "!" + prefix + PROGRAM;
    }

    /**
     * @return the serialized ExportedProgram
     */
    JsonNode program() {
        return program;
    }

    /**
     * @param fqn a parameter's or persistent buffer's name, e.g. {@code 0.weight}
     * @return its tensor, if the archive stores it
     */
    Optional<TorchTensor> weight(String fqn) {
        return weights.tensor(fqn);
    }

    /**
     * @param fqn a constant's or non-persistent buffer's name
     * @return its tensor, if the archive stores it
     */
    Optional<TorchTensor> constant(String fqn) {
        return constants.tensor(fqn);
    }

    /**
     * @return every stored weight by name (for tests and inspection)
     */
    Map<String, TorchTensor> weights() {
        return weights.all();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
