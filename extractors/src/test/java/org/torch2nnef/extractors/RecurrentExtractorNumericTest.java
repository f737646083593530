package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;

/**
 * Every configuration of the built-in recurrent extractors (layers 1 and 2, bidirectional,
 * batch_first both ways, with and without bias, proj_size, given and absent initial states, every
 * output used, an unbatched input), exported with a symbolic time axis and compared with torch (DJL) by the reference
 * check at two lengths of it, and by the real tract too when one is found.
 */
class RecurrentExtractorNumericTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_1layer", "lstm_2layer_bidir_batch_first", "lstm_proj_2layer",
        "lstm_nobias_bidir_given_states", "lstm_proj_bidir_given_states", "lstm_outputs_downstream", "gru_1layer",
        "gru_2layer_bidir_batch_first", "gru_nobias_given_state", "rnn_tanh_2layer_bidir_batch_first",
        "rnn_relu_nobias_given_state", "lstm_unbatched"})
    void scanOverSymbolicTimeMatchesTorchAtTwoLengths(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r = new Exporter().export(m.torchScript(), m.exportOptions(out)
                .dynamicAxes(m.symbolicAxes()).build());
        assertTrue(r.tractOps().contains("tract_core_scan"), r.summary());
        assertTrue(r.symbols().contains("S"), r.summary());
        for (long length : new long[] {3, 7}) {
            CheckReport report = m.check(out, length, CheckerMode.REFERENCE);
            assertEquals(0, report.exitCode(), name + " at length " + length + ":\n" + report.toConsoleTable());
            if (RecurrentModel.tractPresent()) {
                CheckReport tract = m.check(out, length, CheckerMode.TRACT);
                assertEquals(0, tract.exitCode(), name + " (tract) at length " + length + ":\n" + tract.toConsoleTable());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm_2layer_bidir_batch_first", "lstm_proj_bidir_given_states", "gru_nobias_given_state",
        "rnn_tanh_2layer_bidir_batch_first"})
    void strictModeUnrollsAConcreteLengthIntoStandardNnef(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + "_strict.nnef.tgz");
        ExportResult r = new Exporter().export(m.torchScript(), m.exportOptions(out)
                .strict(true).build());
        assertTrue(r.tractOps().isEmpty(), r.summary());
        long length = m.shapes().get(0)[m.timeAxis()];
        CheckReport report = m.check(out, length, CheckerMode.REFERENCE);
        assertEquals(0, report.exitCode(), report.toConsoleTable());
    }

    @Test
    void strictModeRefusesASymbolicTimeAxisNamingIt() throws Exception {
        RecurrentModel m = RecurrentModel.load("lstm_1layer");
        Path out = tmp.resolve("refused.nnef.tgz");
        ExportException e = assertThrows(ExportException.class, () -> new Exporter().export(m.torchScript(),
                m.exportOptions(out).dynamicAxes(m.symbolicAxes()).strict(true).build()));
        // refused where the symbol is declared, before any op: NNEF has no symbolic sizes
        assertTrue(e.getMessage().contains("tract_symbol S"), e.getMessage());
        assertTrue(e.getMessage().contains("--nnef-spec-strict"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void aSymbolicBatchIsRefusedWithTheReason() throws Exception {
        RecurrentModel m = RecurrentModel.load("lstm_1layer");
        ExportException e = assertThrows(ExportException.class, () -> new Exporter().export(m.torchScript(),
                m.exportOptions(tmp.resolve("b.nnef.tgz"))
                        .dynamicAxes(java.util.List.of(org.torch2nnef.export.DynamicAxes.parse("in0:1=B"))).build()));
        assertTrue(e.getMessage().contains("batch axis must have a concrete size"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gru_training:the module is in training mode (train = true); export the model in eval()"})
    void unsupportedCallsAreRefusedWithTheModuleAndTheReason(String spec) throws Exception {
        String name = spec.substring(0, spec.indexOf(':'));
        RecurrentModel m = RecurrentModel.load(name);
        ExportException e = assertThrows(ExportException.class, () -> new Exporter().export(m.torchScript(),
                m.exportOptions(tmp.resolve(name + ".nnef.tgz")).build()));
        assertTrue(e.getMessage().contains("rnn (torch.nn.modules.rnn."), e.getMessage());
        assertTrue(e.getMessage().contains(spec.substring(spec.indexOf(':') + 1)), e.getMessage());
    }
}
