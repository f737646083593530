package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.torch.DjlTensors;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.Node;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The numeric check of a torch.export fixture: exported with no input declared, run in the
 * reference interpreter on torch's inputs at the example sizes and at the second size of its
 * dynamic dims, equal to torch's outputs.
 */
public final class ProgramNumerics {
    private static final double TOLERANCE = 1e-4;

    private ProgramNumerics() {}

    /**
     * @return the program files of {@code samples/torch-export} that export (both forms)
     */
    public static List<Path> exportablePrograms() {
        return ProgramFixtures.programs()
                .filter(p -> !ProgramFixtures.NOT_YET.containsKey(p))
                .map(ProgramFixtures::program)
                .toList();
    }

    /**
     * @param program a program file of {@code samples/torch-export}
     * @return the op kinds its graph uses
     */
    public static Set<String> kinds(Path program) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        try (ExportedProgram p =
                ExportedProgram.open(program, OpRegistry.standard().schemas(), List.of())) {
            p.graph().nodes().stream().map(Node::kind).forEach(out::add);
        }
        return out;
    }

    /**
     * @param program a program file of {@code samples/torch-export}
     * @param tmp a scratch folder
     */
    public static void matchesTorch(Path program, Path tmp) throws Exception {
        matchesTorch(program.getFileName().toString().replaceFirst("\\.pt2$", ""), tmp);
    }

    static void matchesTorch(String program, Path tmp) throws Exception {
        ExportResult r =
                new Exporter()
                        .export(
                                ProgramFixtures.program(program),
                                ExportOptions.builder(
                                                Files.createDirectories(tmp)
                                                        .resolve(program + ".nnef.tgz"))
                                        .build());
        TensorBundle io = Npz.read(ProgramFixtures.npz(program));
        NnefInterpreter interpreter = NnefInterpreter.load(r.output());
        for (String suffix : Stream.of("", "@2").toList()) {
            if (io.find("input_0" + suffix).isEmpty()) {
                continue; // a static model has one size
            }
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Map<String, NDArray> feed = new LinkedHashMap<>();
                List<String> names = interpreter.inputNames();
                for (int i = 0; i < names.size(); i++) {
                    feed.put(names.get(i), DjlTensors.toNd(io.get("input_" + i + suffix), manager));
                }
                Map<String, NDArray> actual = interpreter.run(feed, manager);
                int i = 0;
                for (Map.Entry<String, NDArray> e : actual.entrySet()) {
                    assertClose(program + suffix, io.get("output_" + i++ + suffix), e.getValue());
                }
                assertEquals(r.outputs().size(), i);
            }
        }
    }

    private static void assertClose(String where, HostTensor want, NDArray got) {
        assertArrayEquals(want.shape(), got.getShape().getShape(), where + " shape");
        double[] g = got.toType(DataType.FLOAT64, false).toDoubleArray();
        for (int j = 0; j < g.length; j++) {
            double w = want.getDouble(j);
            assertTrue(
                    Math.abs(g[j] - w) <= TOLERANCE + TOLERANCE * Math.abs(w),
                    where + "[" + j + "]: NNEF " + g[j] + ", torch " + w);
        }
    }
}
