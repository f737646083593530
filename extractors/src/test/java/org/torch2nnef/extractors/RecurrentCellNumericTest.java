package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;

/**
 * The cell op translators ({@code aten::lstm_cell}, {@code aten::gru_cell} with and without bias,
 * {@code aten::rnn_tanh_cell}, {@code aten::rnn_relu_cell}) compared with torch by the reference
 * check, and by the real tract when one is found: in standard NNEF (strict mode), and with a symbolic
 * batch at two sizes of it.
 */
class RecurrentCellNumericTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_cell", "gru_cell", "gru_cell_nobias", "rnn_tanh_cell", "rnn_relu_cell"})
    void cellMatchesTorch(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r = new Exporter().export(m.torchScript(), m.exportOptions(out)
                .strict(true).build());
        assertTrue(r.opsUsed().contains(stepFragment(name)), r.summary());
        assertMatchesTorch(m, out, m.shapes().get(0)[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm_cell", "gru_cell_nobias", "rnn_relu_cell"})
    void cellWithASymbolicBatchMatchesTorchAtTwoSizes(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + "_dyn.nnef.tgz");
        new Exporter().export(m.torchScript(), m.exportOptions(out)
                .dynamicAxes(m.symbolicAxes()).build());
        assertMatchesTorch(m, out, 1);
        assertMatchesTorch(m, out, 5);
    }

    private static String stepFragment(String model) {
        return "t2n_" + model.replace("_nobias", "").replace("_cell", "") + "_step";
    }

    private static void assertMatchesTorch(RecurrentModel m, Path out, long batch) {
        CheckReport report = m.check(out, batch, CheckerMode.REFERENCE);
        assertEquals(0, report.exitCode(), m.name() + " batch " + batch + ":\n" + report.toConsoleTable());
        if (RecurrentModel.tractPresent()) {
            CheckReport tract = m.check(out, batch, CheckerMode.TRACT);
            assertEquals(0, tract.exitCode(), m.name() + " (tract) batch " + batch + ":\n" + tract.toConsoleTable());
        }
    }
}
