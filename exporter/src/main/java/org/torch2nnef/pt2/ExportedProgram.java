package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.graph.OpSchemas;
import org.torch2nnef.graph.TorchGraph;

/**
 * A {@code .pt2} opened for export: its graph (untyped, as the TorchScript front end builds it),
 * its user inputs declared from the program (example sizes, dtypes, one tract symbol per dynamic
 * dim) and the ranges torch allows those symbols. Close it when done: weights are read from the
 * archive when written.
 */
public final class ExportedProgram implements AutoCloseable {
    private final ProgramArchive archive;
    private final TorchGraph graph;
    private final ProgramInputs inputs;
    private final Optional<String> torchVersion;

    private ExportedProgram(
            ProgramArchive archive,
            TorchGraph graph,
            ProgramInputs inputs,
            Optional<String> torchVersion) {
        this.archive = archive;
        this.graph = graph;
        this.inputs = inputs;
        this.torchVersion = torchVersion;
    }

    /**
     * @param path a {@code torch.export.save} archive
     * @param schemas the op table's signatures
     * @param renames {@code --dynamic-axes}: tract symbols for the program's dynamic dims
     * @return the open program
     * @throws org.torch2nnef.torchscript.TorchScriptFormatException if the archive or its program
     *     is unreadable (the message names file, entry and node)
     * @throws IllegalArgumentException if {@code renames} do not fit the program
     * @throws IOException if reading fails
     */
    public static ExportedProgram open(Path path, OpSchemas schemas, List<DynamicAxes> renames)
            throws IOException {
        ProgramArchive archive = ProgramArchive.open(path);
        try {
            String where = archive.programLocation();
            ProgramSignature signature = ProgramSignature.read(archive);
            TorchGraph graph = new ProgramGraphBuilder(archive, schemas).build(signature);
            JsonNode values =
                    JsonFields.object(
                            JsonFields.object(
                                    JsonFields.object(archive.program(), "graph_module", where),
                                    "graph",
                                    where),
                            "tensor_values",
                            where);
            List<TensorMeta> metas = new ArrayList<>();
            for (String name : signature.userInputs()) {
                metas.add(
                        TensorMeta.read(
                                JsonFields.object(values, name, where + " tensor_values"),
                                where + " input " + name));
            }
            ProgramInputs inputs =
                    ProgramInputs.of(
                            signature.userInputs(),
                            metas,
                            renames,
                            archive.program().get("range_constraints"),
                            where);
            JsonNode version = archive.program().get("torch_version");
            return new ExportedProgram(
                    archive,
                    graph,
                    inputs,
                    version != null && version.isTextual()
                            ? Optional.of(version.asText())
                            : Optional.empty());
        } catch (IOException | RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    /**
     * @return the untyped graph
     */
    public TorchGraph graph() {
        return graph;
    }

    /**
     * @return one declaration per user input, in order, at torch's example sizes
     */
    public List<InputDeclaration> inputs() {
        List<InputDeclaration> out = new ArrayList<>();
        for (int i = 0; i < inputs.names().size(); i++) {
            TensorMeta m = inputs.metas().get(i);
            long[] sizes = new long[m.sizes().size()];
            for (int a = 0; a < sizes.length; a++) {
                sizes[a] = m.sizes().get(a).constant();
            }
            out.add(new InputDeclaration(inputs.names().get(i), sizes, m.dtype()));
        }
        return out;
    }

    /**
     * @return the tract symbol of every dynamic axis, per input that has one
     */
    public List<DynamicAxes> dynamicAxes() {
        return inputs.axes();
    }

    /**
     * @return the range of each symbol, in order of first use
     */
    public List<SymbolRange> ranges() {
        return inputs.ranges();
    }

    /**
     * @return each symbol's allowed sizes as [min, max], by tract symbol
     */
    public Map<String, long[]> rangeBounds() {
        Map<String, long[]> out = new TreeMap<>();
        inputs.ranges().forEach(r -> out.put(r.symbol(), new long[] {r.min(), r.max()}));
        return out;
    }

    /**
     * @return the torch version that saved the program, if recorded
     */
    public Optional<String> torchVersion() {
        return torchVersion;
    }

    /**
     * @return the archive file
     */
    public Path path() {
        return archive.path();
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
