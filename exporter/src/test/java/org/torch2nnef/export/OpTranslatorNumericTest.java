package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertThrows;
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
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "conv1d_stride_dilation",
                "conv2d_groups",
                "conv2d_depthwise_nobias",
                "conv2d_same",
                "conv3d",
                "conv_transpose3d",
                "aten_convolution",
                "conv_calls",
                "conv_transpose1d",
                "conv_transpose2d_groups",
                "conv_transpose2d_output_padding",
                "linear_1d",
                "linear_2d",
                "linear_3d_nobias",
                "matmul_broadcast",
                "matmul_vector",
                "mm_t",
                "bmm",
                "addmm",
                "activations",
                "gelu_exact",
                "prelu",
                "softmaxes",
                "arithmetic",
                "unary",
                "div_rounding",
                "shapes",
                "aliased_outputs",
                "dropout_eval",
                "feature_alpha_dropout_eval",
                "view_reshape_as",
                "tuple_return",
                "small_constants",
                "selu",
                "erf",
                "isnan",
                "remainder",
                "trigonometry",
                "float_of_size",
                "scalar_implicit",
                "alpha_dropout_eval",
                "feature_dropout_eval",
                "fill_fresh",
                "unsafe_chunk",
                "unsafe_split",
                "tuple_in_list",
                "quantized_stored"
            })
    void matchesTorch(String model) throws Exception {
        OpChecks.matchesTorch(model, tmp);
    }

    /**
     * The {@code quantized_buffers} sample (samples/generate.py {@code QuantizedBuffers}): its
     * forward dequantizes per-tensor qint8, quint8, qint32 and per-channel qint8 buffers stored in
     * the archive.
     */
    @Test
    void storedQuantizedSampleMatchesTorch() throws Exception {
        OpChecks.matchesTorch(
                Path.of("..", "samples", "models", "quantized_buffers.pt")
                        .toAbsolutePath()
                        .normalize(),
                tmp);
    }

    /**
     * Standard NNEF has no erf: under {@code --nnef-spec-strict} the export is refused naming the
     * op and the extension.
     */
    @Test
    void erfNeedsTractUnlessStrict() {
        ExportOptions options =
                ExportOptions.builder(tmp.resolve("erf.nnef.tgz"))
                        .inputs(List.of(InputDeclaration.parse("x=2,5")))
                        .strict(true)
                        .build();
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () -> new Exporter().export(OpModel.DIR.resolve("erf.pt"), options));
        assertTrue(e.getMessage().contains("aten::erf"), e.getMessage());
        assertTrue(
                e.getMessage().contains("needs the tract extension tract_core_erf"),
                e.getMessage());
    }

    /**
     * Outputs that do not depend on the input (make_constant_models.py): numbers known at export
     * time become variables of torch's dtype and shape, since tract reads an integer literal as a
     * size it cannot return as tensor data; then compared with torch like every model.
     */
    @Test
    void constantOutputsAreVariablesOfTheirDtype() throws Exception {
        ExportResult r = OpChecks.matchesTorch("constant_outputs", tmp);
        String text = NnefPrinter.print(NnefArchiveReader.read(r.output()));
        // torch.tensor(3.0), torch.tensor(4), steps + 1: 0-d float32, int64, int64
        for (String line :
                new String[] {
                    "_2 = variable<scalar>(shape = [], label = ",
                    "_4 = variable<integer>(shape = [], label = ",
                    "_7 = variable<integer>(shape = [], label = "
                }) {
            assertTrue(text.contains(line), line + " in\n" + text);
        }
    }
}
