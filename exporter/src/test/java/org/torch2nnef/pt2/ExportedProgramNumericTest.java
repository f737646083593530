package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.torch.DjlTensors;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Every torch.export fixture, in both forms, exports with no input declared and runs equal to
 * torch's outputs in the reference interpreter, at the example sizes and at the second size of its
 * dynamic dims.
 */
class ExportedProgramNumericTest {
    private static final double TOLERANCE = 1e-4;

    static List<String> programs() {
        return ProgramFixtures.programs()
                .filter(p -> !ProgramFixtures.NOT_YET.containsKey(p))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("programs")
    void runsEqualToTorchAtBothSizes(String program, @TempDir Path tmp) throws Exception {
        ExportResult r =
                new Exporter()
                        .export(
                                ProgramFixtures.program(program),
                                ExportOptions.builder(tmp.resolve(program + ".nnef.tgz")).build());
        TensorBundle io = Npz.read(ProgramFixtures.npz(program));
        NnefInterpreter interpreter = NnefInterpreter.load(r.output());
        for (String suffix : List.of("", "@2")) {
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
                assertEquals(i, r.outputs().size());
            }
        }
    }

    static void assertClose(String where, HostTensor want, NDArray got) {
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
