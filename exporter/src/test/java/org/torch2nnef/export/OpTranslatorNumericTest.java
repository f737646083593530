package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Every translator of the standard families, exercised by a tiny traced model and compared with
 * torch through the NNEF reference interpreter (see {@link OpNumerics}) and, when a tract binary is
 * found (TRACT_BIN, then PATH), through tract too (see {@link OpChecks}).
 */
class OpTranslatorNumericTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"conv1d_stride_dilation", "conv2d_groups", "conv2d_depthwise_nobias", "conv2d_same",
        "conv3d", "conv_transpose3d", "aten_convolution", "conv_transpose1d", "conv_transpose2d_groups", "conv_transpose2d_output_padding", "linear_1d", "linear_2d", "linear_3d_nobias", "matmul_broadcast",
        "matmul_vector", "mm_t", "bmm", "addmm", "activations", "gelu_exact", "prelu", "softmaxes", "arithmetic", "unary",
        "div_rounding", "shapes", "aliased_outputs", "dropout_eval", "tuple_return", "small_constants"})
    void matchesTorch(String model) throws Exception {
        OpChecks.matchesTorch(model, tmp);
    }

    /**
     * Ops shape inference has no rule for yet ({@code aten::selu}):
     * typed here by hand (shapes as torch computes them), then exported and compared the same way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"selu:input=f32[2,3]:selu=f32[2,3]"})
    void matchesTorchWhenTypedByHand(String spec) throws Exception {
        String[] parts = spec.split(":");
        String model = parts[0];
        try (OpModel m = OpModel.open(model, java.util.Arrays.copyOfRange(parts, 1, parts.length))) {
            Path out = tmp.resolve(model + ".nnef.tar");
            ExportResult result = new Exporter().export(m.graph, TractUnderTest.options(out).build());
            List<org.torch2nnef.check.tensor.HostTensor> inputs = OpNumerics.randomInputs(OpNumerics.inputShapes(model), 7);
            OpNumerics.compare(model, out, inputs);
            OpChecks.checkIfAvailable(OpModel.DIR.resolve(model + ".pt"), result, inputs, tmp.resolve(model + "-tract"));
        }
    }

    /**
     * Outputs that do not depend on the input (make_constant_models.py): numbers known at export time
     * become variables of torch's dtype and shape, since tract reads an integer literal as a size it
     * cannot return as tensor data; then compared with torch like every model.
     */
    @Test
    void constantOutputsAreVariablesOfTheirDtype() throws Exception {
        ExportResult r = OpChecks.matchesTorch("constant_outputs", tmp);
        String text = NnefPrinter.print(NnefArchiveReader.read(r.output()));
        // torch.tensor(3.0), torch.tensor(4), steps + 1: 0-d float32, int64, int64
        for (String line : new String[] {"_2 = variable<scalar>(shape = [], label = ",
            "_4 = variable<integer>(shape = [], label = ", "_7 = variable<integer>(shape = [], label = "}) {
            assertTrue(text.contains(line), line + " in\n" + text);
        }
    }
}
