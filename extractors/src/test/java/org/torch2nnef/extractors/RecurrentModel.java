package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.CheckRunner;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.InputDeclaration;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.torchscript.TorchDType;

/**
 * A traced model of {@code src/test/resources/recurrent} (make_recurrent_models.py): its input
 * shapes and the time axis of its first input, declared to the exporter as {@code in0, in1, ...}
 * and checked against torch with the project's check (reference interpreter, or tract).
 *
 * @param name e.g. {@code lstm_1layer}
 * @param shapes the traced input shapes
 * @param timeAxis the time axis of {@code in0}, or -1 for a cell model
 */
record RecurrentModel(String name, List<long[]> shapes, int timeAxis) {
    static final Path DIR = Path.of("src/test/resources/recurrent");

    /**
     * The target of the exports: the found tract's release when it is older than the default
     * target, so that its checks test what that release loads; otherwise the default.
     */
    static final TractTarget TARGET =
            new TractLocator()
                    .find(Optional.empty())
                    .map(t -> TractTarget.forRelease(t.version().toString()))
                    .orElse(TractTarget.NEWEST_SUPPORTED);

    static RecurrentModel load(String name) throws IOException {
        JsonNode json = new ObjectMapper().readTree(DIR.resolve(name + ".json").toFile());
        List<long[]> shapes = new ArrayList<>();
        for (JsonNode in : json.get("inputs")) {
            long[] s = new long[in.get("shape").size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = in.get("shape").get(i).asLong();
            }
            shapes.add(s);
        }
        return new RecurrentModel(name, shapes, json.get("time_axis").asInt());
    }

    Path torchScript() {
        return DIR.resolve(name + ".pt");
    }

    /** Export options writing to {@code out} for {@link #TARGET} with {@link #declarations}. */
    ExportOptions.Builder exportOptions(Path out) {
        return ExportOptions.builder(out).tract(TARGET).inputs(declarations());
    }

    /**
     * {@code in0..}: traced shapes, the time axis of in0 written as {@code S} when {@code
     * symbolic}.
     */
    List<InputDeclaration> declarations() {
        List<InputDeclaration> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            out.add(new InputDeclaration("in" + i, shapes.get(i), TorchDType.FLOAT32));
        }
        return out;
    }

    /**
     * The time axis of {@code in0} as {@code S}; for a cell, the batch axis of every input as
     * {@code B}.
     */
    List<DynamicAxes> symbolicAxes() {
        if (timeAxis >= 0) {
            return List.of(DynamicAxes.parse("in0:" + timeAxis + "=S"));
        }
        return batchAxes();
    }

    /** The time axis of {@code in0} as {@code S} and the batch axis of every input as {@code B}. */
    List<DynamicAxes> symbolicTimeAndBatch() {
        List<DynamicAxes> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            String time = i == 0 && timeAxis >= 0 ? timeAxis + "=S," : "";
            out.add(DynamicAxes.parse("in" + i + ":" + time + batchAxis(i) + "=B"));
        }
        return out;
    }

    private List<DynamicAxes> batchAxes() {
        List<DynamicAxes> out = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            out.add(DynamicAxes.parse("in" + i + ":" + batchAxis(i) + "=B"));
        }
        return out;
    }

    /**
     * The batch axis of input {@code i}: 0 for a cell's inputs; for a layer, the axis of {@code
     * in0} beside its time axis, and axis 1 of the initial states ({@code [layers*dirs, batch,
     * size]}, as torch.nn.LSTM documents them).
     */
    private int batchAxis(int i) {
        if (timeAxis < 0) {
            return 0;
        }
        if (shapes.get(0).length != 3) {
            throw new IllegalStateException(name + ": an unbatched input has no batch axis");
        }
        return i == 0 ? 1 - timeAxis : 1;
    }

    /**
     * Runs the check of the exported model on seeded inputs of the given time length and batch
     * size.
     *
     * @param nnef the exported model
     * @param length the time length of {@code in0}, or -1 to keep the traced one
     * @param batch the batch size of every input, or -1 to keep the traced one
     * @param mode reference or tract
     * @return the report
     */
    CheckReport check(Path nnef, long length, long batch, CheckerMode mode) {
        List<InputSpec> specs = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            long[] s = shapes.get(i).clone();
            if (i == 0 && length >= 0) {
                s[timeAxis] = length;
            }
            if (batch >= 0) {
                s[batchAxis(i)] = batch;
            }
            StringBuilder text = new StringBuilder("in" + i + "=");
            for (int d = 0; d < s.length; d++) {
                text.append(d == 0 ? "" : ",").append(s[d]);
            }
            specs.add(InputSpec.parse(text.toString()));
        }
        return CheckRunner.run(
                CheckRequest.builder(torchScript(), nnef)
                        .mode(mode)
                        .inputShapes(specs)
                        .seed(31 * Math.max(length, 0) + Math.max(batch, 0))
                        .build());
    }

    /**
     * Asserts that the exported model matches torch by the reference check, and by tract's when one
     * is found.
     *
     * @param nnef the exported model
     * @param length the time length of {@code in0}, or -1 to keep the traced one
     * @param batch the batch size of every input, or -1 to keep the traced one
     */
    void assertMatchesTorch(Path nnef, long length, long batch) {
        String at = name + " at length " + length + ", batch " + batch;
        CheckReport report = check(nnef, length, batch, CheckerMode.REFERENCE);
        assertEquals(0, report.exitCode(), at + ":\n" + report.toConsoleTable());
        if (tractPresent()) {
            CheckReport tract = check(nnef, length, batch, CheckerMode.TRACT);
            assertEquals(0, tract.exitCode(), at + " (tract):\n" + tract.toConsoleTable());
        }
    }

    /**
     * @return whether a real tract binary is found (TRACT_BIN, then PATH)
     */
    static boolean tractPresent() {
        return new TractLocator().find(Optional.empty()).isPresent();
    }
}
