package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.TorchReference;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.check.tract.TractUnavailableException;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;
import org.torch2nnef.torchscript.TorchDType;

/**
 * The checks of the op-family tests on models made by a {@code make_<family>_models.py}: float,
 * int64 inputs ({@code "dtype": "int64"} with a {@code "high"} bound, e.g. token ids) and bool key
 * padding masks {@code [B, T]} ({@code "dtype": "bool"}); the NNEF model read back from disk runs
 * in the reference interpreter and must match libtorch within {@link OpNumerics#TOLERANCE}; when a
 * tract binary is found (TRACT_BIN, then PATH) tract must accept the model and match torch too.
 */
final class FamilyNumerics {

    /**
     * One input as the generator recorded it: dtype float32, int64 or bool; {@code high} bounds
     * int64 values.
     */
    record InputInfo(long[] shape, String dtype, long high) {
        boolean int64() {
            return dtype.equals("int64");
        }

        boolean bool() {
            return dtype.equals("bool");
        }

        InputInfo withShape(long[] s) {
            return new InputInfo(s, dtype, high);
        }
    }

    private FamilyNumerics() {}

    static List<InputInfo> inputs(String model) throws IOException {
        JsonNode json = new ObjectMapper().readTree(OpModel.DIR.resolve(model + ".json").toFile());
        List<InputInfo> out = new ArrayList<>();
        for (JsonNode in : json.get("inputs")) {
            long[] s = new long[in.get("shape").size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = in.get("shape").get(i).asLong();
            }
            String dtype = in.get("dtype").asText();
            out.add(new InputInfo(s, dtype, dtype.equals("int64") ? in.get("high").asLong() : 0));
        }
        return out;
    }

    /** Declarations {@code in0, in1, ...} with the generator's shapes and dtypes. */
    static List<InputDeclaration> declarations(List<InputInfo> inputs) {
        List<InputDeclaration> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputInfo in = inputs.get(i);
            out.add(
                    new InputDeclaration(
                            "in" + i,
                            in.shape(),
                            in.int64()
                                    ? TorchDType.INT64
                                    : in.bool() ? TorchDType.BOOL : TorchDType.FLOAT32));
        }
        return out;
    }

    /**
     * Seeded values: Gaussian floats, ints uniform in {@code [0, high)}; a bool mask {@code [B, T]}
     * marks the last {@code min(b, T - 1)} positions of row {@code b} as padding (true), so that
     * row 0 is whole and no row is all padding.
     */
    static List<HostTensor> values(List<InputInfo> inputs, long seed) {
        Random random = new Random(seed);
        List<HostTensor> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InputInfo in = inputs.get(i);
            int n = (int) HostTensor.elementCount(in.shape());
            if (in.int64()) {
                ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < n; j++) {
                    b.putLong(random.nextInt((int) in.high()));
                }
                out.add(HostTensor.of("in" + i, DType.I64, in.shape(), b.flip()));
            } else if (in.bool()) {
                out.add(paddingMask("in" + i, in.shape()));
            } else {
                float[] v = new float[n];
                for (int j = 0; j < n; j++) {
                    v[j] = (float) random.nextGaussian();
                }
                out.add(HostTensor.ofFloats("in" + i, in.shape(), v));
            }
        }
        return out;
    }

    /** Exports the model with its recorded inputs and checks it on seeded values. */
    static ExportResult exportAndCheck(String model, Path dir) throws Exception {
        List<InputInfo> inputs = inputs(model);
        ExportOptions options =
                TractUnderTest.options(dir.resolve(model + ".nnef.tgz"))
                        .inputs(declarations(inputs))
                        .build();
        ExportResult result = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        check(model, result.output(), values(inputs, 42), dir);
        return result;
    }

    /**
     * Exports the model with axis {@code axis} of input {@code in0} named {@code S} (dynamic), then
     * checks it with that axis at each of {@code lengths}.
     *
     * @return the export result
     */
    static ExportResult exportDynamicAndCheck(String model, int axis, Path dir, long... lengths)
            throws Exception {
        List<InputInfo> inputs = inputs(model);
        ExportOptions options =
                TractUnderTest.options(dir.resolve(model + "_dynamic.nnef.tgz"))
                        .inputs(declarations(inputs))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:" + axis + "=S")))
                        .build();
        ExportResult result = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        for (long length : lengths) {
            List<InputInfo> resized = new ArrayList<>(inputs);
            long[] shape = inputs.get(0).shape().clone();
            shape[axis] = length;
            resized.set(0, inputs.get(0).withShape(shape));
            check(model, result.output(), values(resized, length), dir.resolve("S" + length));
        }
        return result;
    }

    /**
     * @return the NNEF text of an export, read back from disk
     */
    static String graphText(ExportResult result) throws IOException {
        return NnefPrinter.print(NnefArchiveReader.read(result.output()));
    }

    /**
     * Exports the model with dynamic axes (e.g. {@code in0:0=B,1=S}), then checks it at each
     * binding of their symbols (e.g. {@code {B=1, S=7}}).
     *
     * @return the export result
     */
    static ExportResult exportDynamicAndCheck(
            String model, Path dir, List<String> axes, List<Map<String, Long>> bindings)
            throws Exception {
        List<InputInfo> inputs = inputs(model);
        List<DynamicAxes> dynamic = axes.stream().map(DynamicAxes::parse).toList();
        ExportOptions options =
                ExportOptions.builder(dir.resolve(model + "_dynamic.nnef.tgz"))
                        .inputs(declarations(inputs))
                        .dynamicAxes(dynamic)
                        .build();
        ExportResult result = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        for (Map<String, Long> binding : bindings) {
            List<InputInfo> resized = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                long[] shape = inputs.get(i).shape().clone();
                for (DynamicAxes d : dynamic) {
                    if (d.name().equals("in" + i)) {
                        d.axes().forEach((axis, symbol) -> shape[axis] = binding.get(symbol));
                    }
                }
                resized.add(inputs.get(i).withShape(shape));
            }
            check(
                    model,
                    result.output(),
                    values(resized, binding.hashCode()),
                    dir.resolve("at" + binding.hashCode()));
        }
        return result;
    }

    /** Reference interpreter within 1e-4, then tract when present. */
    static void check(String model, Path nnef, List<HostTensor> inputs, Path dir) throws Exception {
        Path torchScript = OpModel.DIR.resolve(model + ".pt");
        List<HostTensor> expected =
                TorchReference.run(new TorchReferenceRequest(torchScript, inputs, List.of()))
                        .outputs();
        NnefInterpreter interpreter = NnefInterpreter.load(nnef);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Map<String, NDArray> feed = new LinkedHashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                feed.put(interpreter.inputNames().get(i), ndarray(manager, inputs.get(i)));
            }
            OpNumerics.assertOutputs(model, expected, interpreter.run(feed, manager));
        }
        checkWithTract(torchScript, nnef, inputs, dir);
    }

    private static NDArray ndarray(NDManager manager, HostTensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(t.shape());
        if (t.dtype() == DType.BOOL) {
            boolean[] v = new boolean[t.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = b.get(i) != 0;
            }
            return manager.create(v, shape);
        }
        if (t.dtype() == DType.I64) {
            long[] v = new long[t.elementCount()];
            b.asLongBuffer().get(v);
            return manager.create(v, shape);
        }
        float[] v = new float[t.elementCount()];
        b.asFloatBuffer().get(v);
        return manager.create(v, shape);
    }

    private static HostTensor paddingMask(String name, long[] shape) {
        if (shape.length != 2) {
            throw new IllegalArgumentException(
                    name
                            + ": a bool input is a padding mask [B, T], got "
                            + Arrays.toString(shape));
        }
        int rows = (int) shape[0];
        int length = (int) shape[1];
        ByteBuffer b = ByteBuffer.allocate(rows * length);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < length; t++) {
                b.put((byte) (t >= length - Math.min(r, length - 1) ? 1 : 0));
            }
        }
        return HostTensor.of(name, DType.BOOL, shape, b.flip());
    }

    /** tract, when this machine has one, must accept the model and compute torch's outputs. */
    private static void checkWithTract(
            Path torchScript, Path nnef, List<HostTensor> inputs, Path dir) throws IOException {
        Optional<Path> tract;
        try {
            tract = Optional.of(new TractLocator().locate(Optional.empty()).path());
        } catch (TractUnavailableException e) {
            return;
        }
        Files.createDirectories(dir);
        Path npz = dir.resolve(nnef.getFileName() + ".inputs.npz");
        TensorBundle bundle = new TensorBundle("inputs");
        inputs.forEach(bundle::add);
        Npz.write(bundle, npz);
        CheckReport r =
                CheckRunner.run(
                        CheckRequest.builder(torchScript, nnef)
                                .mode(CheckerMode.TRACT)
                                .tract(tract.get())
                                .inputsNpz(npz)
                                .build());
        assertEquals(
                ExitCode.EQUAL,
                r.verdict(),
                nnef + " in tract:\n" + r.toConsoleTable() + r.checkerOutput());
    }
}
