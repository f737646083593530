package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.torch2nnef.check.NnefSignature;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.TorchReference;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractCheck;
import org.torch2nnef.check.tract.TractCheckRequest;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.check.tract.TractUnavailableException;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.contract.TractRelease;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Exports an op model of {@code src/test/resources/ops} and checks that the NNEF model, read back
 * from disk and run by the reference interpreter, computes what libtorch computes for the .pt
 * (seeded random inputs, every output within {@code 1e-4} absolute plus {@code 1e-4} relative), and
 * where a real tract binary is found, runs it through tract too ({@link #checkWithTract}).
 */
final class OpNumerics {
    static final double TOLERANCE = 1e-4;

    private OpNumerics() {}

    /** Input shapes as make_op_models.py recorded them. */
    static List<long[]> inputShapes(String model) throws IOException {
        return inputShapes(OpModel.DIR.resolve(model + ".json"));
    }

    /** Input shapes as a generator recorded them in a model's side file. */
    static List<long[]> inputShapes(Path sideFile) throws IOException {
        JsonNode json = new ObjectMapper().readTree(sideFile.toFile());
        List<long[]> shapes = new ArrayList<>();
        for (JsonNode in : json.get("inputs")) {
            long[] s = new long[in.get("shape").size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = in.get("shape").get(i).asLong();
            }
            shapes.add(s);
        }
        return shapes;
    }

    /** Declarations {@code in0, in1, ...} of the given shapes, float32. */
    static List<InputDeclaration> declarations(List<long[]> shapes) {
        List<InputDeclaration> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            out.add(new InputDeclaration("in" + i, shapes.get(i), TorchDType.FLOAT32));
        }
        return out;
    }

    static List<HostTensor> randomInputs(List<long[]> shapes, long seed) {
        Random random = new Random(seed);
        List<HostTensor> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            float[] values = new float[(int) HostTensor.elementCount(shapes.get(i))];
            for (int j = 0; j < values.length; j++) {
                values[j] = (float) random.nextGaussian();
            }
            out.add(HostTensor.ofFloats("in" + i, shapes.get(i), values));
        }
        return out;
    }

    /**
     * Exports {@code model} with {@code options} (inputs declared {@code in0...}), runs torch and
     * the exported model on {@code inputs}, and asserts equal outputs.
     *
     * @return the export result
     */
    static ExportResult exportAndCompare(
            String model, ExportOptions options, List<HostTensor> inputs) throws Exception {
        ExportResult result = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        compare(model, result.output(), inputs);
        return result;
    }

    static void compare(String model, Path nnef, List<HostTensor> inputs) throws Exception {
        compare(OpModel.DIR.resolve(model + ".pt"), nnef, inputs);
    }

    static void compare(Path torchScript, Path nnef, List<HostTensor> inputs) throws Exception {
        String model = torchScript.getFileName().toString();
        List<HostTensor> expected =
                TorchReference.run(new TorchReferenceRequest(torchScript, inputs, List.of()))
                        .outputs();
        NnefInterpreter interpreter = NnefInterpreter.load(nnef);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> feed = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                HostTensor in = inputs.get(i);
                feed.put(
                        interpreter.inputNames().get(i),
                        manager.create(floats(in), new Shape(in.shape())));
            }
            Map<String, NDArray> actual = interpreter.run(feed, manager);
            checkWithTract(
                    model,
                    nnef,
                    inputs,
                    interpreter.inputNames(),
                    expected,
                    List.copyOf(actual.keySet()));
            assertOutputs(model, expected, actual);
        }
    }

    /** Every output of the NNEF run equals torch's within {@link #TOLERANCE}, in order. */
    static void assertOutputs(
            String model, List<HostTensor> expected, Map<String, NDArray> actual) {
        assertEquals(expected.size(), actual.size(), model + ": output count");
        int i = 0;
        for (Map.Entry<String, NDArray> e : actual.entrySet()) {
            HostTensor want = expected.get(i++);
            NDArray got = e.getValue();
            assertArrayEquals(
                    want.shape(),
                    got.getShape().getShape(),
                    model + " output " + e.getKey() + " shape");
            double[] g = got.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            for (int j = 0; j < g.length; j++) {
                double w = want.getDouble(j);
                double diff = Math.abs(g[j] - w);
                assertTrue(
                        diff <= TOLERANCE + TOLERANCE * Math.abs(w),
                        model
                                + " output "
                                + e.getKey()
                                + "["
                                + j
                                + "]: NNEF "
                                + g[j]
                                + ", torch "
                                + w);
            }
        }
    }

    /**
     * Runs the exported model through a real tract binary ({@code TRACT_BIN}, else {@code tract} on
     * PATH) on the same inputs and asserts tract's verdict ({@code --assert-output-bundle} at
     * tract's {@code approximate} level: 1e-4 absolute, 5e-4 relative for f32); says so and returns
     * when there is no tract.
     */
    static void checkWithTract(
            String model,
            Path nnef,
            List<HostTensor> inputs,
            List<String> inputNames,
            List<HostTensor> expected,
            List<String> outputNames)
            throws IOException {
        String configured = System.getenv(TractLocator.ENV);
        Optional<TractBinary> tract =
                configured != null && !configured.isBlank()
                        ? Optional.of(locate())
                        : new TractLocator().find(Optional.empty());
        if (tract.isEmpty()) {
            System.out.println("no tract: tract part skipped (" + model + ")");
            return;
        }
        String target =
                NnefSignature.read(nnef).properties().get(ModelPropertyKeys.TRACT_TARGET_VERSION);
        if (target != null && tract.get().version().compareTo(TractRelease.parse(target)) < 0) {
            // a test exporting for a newer release on purpose (TractTargetTest); that release is
            // not here to load it
            System.out.println(
                    "tract "
                            + tract.get().version()
                            + " is older than the export's target "
                            + target
                            + ": tract part skipped ("
                            + model
                            + ")");
            return;
        }
        TensorBundle io = new TensorBundle(model);
        for (int i = 0; i < inputs.size(); i++) {
            io.add(inputs.get(i).withName(inputNames.get(i)));
        }
        for (int i = 0; i < outputNames.size(); i++) {
            io.add(widenedF16(expected.get(i)).withName(outputNames.get(i)));
        }
        Path dir = Files.createTempDirectory(nnef.toAbsolutePath().getParent(), "tract-");
        Path npz = dir.resolve("io.npz");
        Npz.write(io, npz);
        // tract's own --assert-output-bundle verdict: its saved-outputs npz may name an output
        // after
        // the node computing it when -O merged nodes, so a by-name comparison of it can miss
        // outputs
        CheckReport report =
                new TractCheck()
                        .check(
                                TractCheckRequest.of(nnef, npz, List.of(), dir)
                                        .withTract(tract.get().path()));
        assertEquals(
                ExitCode.EQUAL,
                report.verdict(),
                model
                        + ": tract "
                        + report.checkerVersion()
                        + " "
                        + report.message()
                        + "\n"
                        + report.toConsoleTable()
                        + "\n"
                        + String.join(" ", report.command())
                        + "\n"
                        + report.checkerOutput()
                        + "\n"
                        + NnefPrinter.print(NnefArchiveReader.read(nnef)));
    }

    /**
     * tract's npz reader takes no float16 (0.21, 0.22: "Can not extract tensor"); f32 holds every
     * f16 exactly.
     */
    private static HostTensor widenedF16(HostTensor t) {
        if (t.dtype() != DType.F16) {
            return t;
        }
        float[] values = new float[t.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) t.getDouble(i);
        }
        return HostTensor.ofFloats(t.name(), t.shape(), values);
    }

    private static TractBinary locate() {
        try {
            return new TractLocator().locate(Optional.empty());
        } catch (TractUnavailableException e) {
            throw new IllegalStateException(
                    TractLocator.ENV + " is set but unusable: " + e.getMessage(), e);
        }
    }

    private static float[] floats(HostTensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[t.elementCount()];
        b.asFloatBuffer().get(out);
        return out;
    }
}
