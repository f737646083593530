package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;

/**
 * The cell op translators ({@code aten::lstm_cell}, {@code aten::gru_cell} with and without bias,
 * {@code aten::rnn_tanh_cell}, {@code aten::rnn_relu_cell}) compared with torch by the reference
 * check, and by the real tract when one is found: in standard NNEF (strict mode), and with a
 * symbolic batch at two sizes of it.
 */
class RecurrentCellNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lstm_cell",
                "gru_cell",
                "gru_cell_nobias",
                "rnn_tanh_cell",
                "rnn_relu_cell"
            })
    void cellMatchesTorch(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r =
                new Exporter().export(m.torchScript(), m.exportOptions(out).strict(true).build());
        assertTrue(r.opsUsed().contains(stepFragment(name)), r.summary());
        m.assertMatchesTorch(out, -1, -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm_cell", "gru_cell_nobias", "rnn_relu_cell"})
    void cellWithASymbolicBatchMatchesTorchAtTwoSizes(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + "_dyn.nnef.tgz");
        new Exporter()
                .export(
                        m.torchScript(),
                        m.exportOptions(out).dynamicAxes(m.symbolicAxes()).build());
        m.assertMatchesTorch(out, -1, 1);
        m.assertMatchesTorch(out, -1, 5);
    }

    private static String stepFragment(String model) {
        return "t2n_" + model.replace("_nobias", "").replace("_cell", "") + "_step";
    }
}
