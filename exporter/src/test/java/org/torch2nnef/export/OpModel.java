package org.torch2nnef.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.GraphBuilder;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.TorchGraph;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchScriptArchive;

/**
 * A test model of {@code src/test/resources/ops} (made by make_op_models.py), its graph built and
 * typed from shapes the test states, written as torch computes them ({@code "linear=f32[2,4,3]"},
 * sizes may be single-letter symbols or {@code k*S}). Keeps the archive open for streaming.
 */
final class OpModel implements AutoCloseable {
    static final Path DIR = Path.of("src/test/resources/ops");

    final TorchScriptArchive archive;
    final TorchGraph graph;

    private OpModel(TorchScriptArchive archive, TorchGraph graph) {
        this.archive = archive;
        this.graph = graph;
    }

    static OpModel open(String name, String... types) throws IOException {
        TorchScriptArchive archive = TorchScriptArchive.open(DIR.resolve(name + ".pt"));
        TorchGraph graph = GraphBuilder.build(archive, OpRegistry.standard().schemas());
        for (String t : types) {
            int eq = t.indexOf('=');
            String valueName = t.substring(0, eq);
            Value v =
                    graph.value(valueName)
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "no value "
                                                            + valueName
                                                            + " in "
                                                            + name
                                                            + "; has inputs "
                                                            + graph.inputs()
                                                            + ", nodes "
                                                            + graph.nodes()));
            v.setType(parse(t.substring(eq + 1)));
        }
        return new OpModel(archive, graph);
    }

    /** {@code f32[2,S,4]}, {@code i64[]}, {@code bool[3]}. */
    static ValueType.TensorType parse(String text) {
        int open = text.indexOf('[');
        TorchDType dtype =
                switch (text.substring(0, open)) {
                    case "f32" -> TorchDType.FLOAT32;
                    case "i64" -> TorchDType.INT64;
                    case "bool" -> TorchDType.BOOL;
                    default -> throw new IllegalArgumentException(text);
                };
        String body = text.substring(open + 1, text.length() - 1);
        List<Dim> dims = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String d : body.split(",")) {
                dims.add(dim(d.trim()));
            }
        }
        return new ValueType.TensorType(dtype, new Shape(dims));
    }

    private static Dim dim(String d) {
        int star = d.indexOf('*');
        if (star > 0) {
            return Dim.symbol(d.substring(star + 1)).times(Long.parseLong(d.substring(0, star)));
        }
        return Character.isLetter(d.charAt(0)) ? Dim.symbol(d) : Dim.of(Long.parseLong(d));
    }

    @Override
    public void close() throws IOException {
        archive.close();
    }
}
