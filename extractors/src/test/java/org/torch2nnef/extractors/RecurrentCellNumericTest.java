package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;

/**
 * The cell op translators ({@code aten::lstm_cell}, {@code aten::gru_cell} with and without bias,
 * {@code aten::rnn_tanh_cell}, {@code aten::rnn_relu_cell}) compared with torch by the reference
 * check, and by the real tract when one is found; in standard NNEF (strict mode).
 */
class RecurrentCellNumericTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_cell", "gru_cell", "gru_cell_nobias", "rnn_tanh_cell", "rnn_relu_cell"})
    void cellMatchesTorch(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r = new Exporter().export(m.torchScript(), ExportOptions.builder(out).inputs(m.declarations())
                .strict(true).build());
        assertTrue(r.opsUsed().contains("t2n_" + name.replace("_nobias", "").replace("_cell", "") + "_step"), r.summary());
        CheckReport report = m.check(out, 0, CheckerMode.REFERENCE);
        assertEquals(0, report.exitCode(), report.toConsoleTable());
        if (RecurrentModel.tractPresent()) {
            CheckReport tract = m.check(out, 0, CheckerMode.TRACT);
            assertEquals(0, tract.exitCode(), tract.toConsoleTable());
        }
    }
}
