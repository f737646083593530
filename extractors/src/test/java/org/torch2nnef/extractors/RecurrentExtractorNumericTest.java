package org.torch2nnef.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.TractTarget;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Every configuration of the built-in recurrent extractors (layers 1 and 2, bidirectional,
 * batch_first both ways, with and without bias, proj_size, given and absent initial states, every
 * output used, an unbatched input, the last layer's final states selected from h_n; dynamically
 * quantized int8 LSTM and GRU layers, aten::quantized_lstm and quantized_gru), exported with a
 * symbolic time axis, and with a symbolic batch too, and compared with torch (DJL) by the reference
 * check at two sizes of each symbolic axis, and by the real tract too when one is found.
 */
class RecurrentExtractorNumericTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lstm_1layer",
                "lstm_2layer_bidir_batch_first",
                "lstm_proj_2layer",
                "lstm_nobias_bidir_given_states",
                "lstm_proj_bidir_given_states",
                "lstm_outputs_downstream",
                "gru_1layer",
                "gru_2layer_bidir_batch_first",
                "gru_nobias_given_state",
                "rnn_tanh_2layer_bidir_batch_first",
                "rnn_relu_nobias_given_state",
                "lstm_unbatched",
                "gru_2layer_bidir_last_states",
                "quantized_lstm_2layer_bidir_batch_first",
                "quantized_gru_2layer_bidir_given_state"
            })
    void scanOverSymbolicTimeMatchesTorchAtTwoLengths(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                m.torchScript(),
                                m.exportOptions(out).dynamicAxes(m.symbolicAxes()).build());
        assertTrue(r.tractOps().contains("tract_core_scan"), r.summary());
        assertTrue(r.symbols().contains("S"), r.summary());
        for (long length : new long[] {3, 7}) {
            m.assertMatchesTorch(out, length, -1);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lstm_1layer",
                "lstm_2layer_bidir_batch_first",
                "lstm_proj_2layer",
                "lstm_nobias_bidir_given_states",
                "lstm_proj_bidir_given_states",
                "lstm_outputs_downstream",
                "gru_1layer",
                "gru_2layer_bidir_batch_first",
                "gru_nobias_given_state",
                "rnn_tanh_2layer_bidir_batch_first",
                "rnn_relu_nobias_given_state",
                "gru_2layer_bidir_last_states",
                "quantized_lstm_2layer_bidir_batch_first",
                "quantized_gru_2layer_bidir_given_state"
            })
    void scanOverSymbolicBatchAndTimeMatchesTorchAtTwoSizesOfEach(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + "_batch.nnef.tgz");
        ExportResult r =
                new Exporter()
                        .export(
                                m.torchScript(),
                                m.exportOptions(out).dynamicAxes(m.symbolicTimeAndBatch()).build());
        assertTrue(r.symbols().containsAll(List.of("S", "B")), r.summary());
        for (long batch : new long[] {1, 4}) {
            for (long length : new long[] {3, 7}) {
                m.assertMatchesTorch(out, length, batch);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "lstm_2layer_bidir_batch_first",
                "lstm_proj_bidir_given_states",
                "gru_nobias_given_state",
                "rnn_tanh_2layer_bidir_batch_first"
            })
    void strictModeUnrollsAConcreteLengthIntoStandardNnef(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + "_strict.nnef.tgz");
        ExportResult r =
                new Exporter().export(m.torchScript(), m.exportOptions(out).strict(true).build());
        assertTrue(r.tractOps().isEmpty(), r.summary());
        m.assertMatchesTorch(out, -1, -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"in0:0=S", "in0:1=B"})
    void strictModeRefusesASymbolicTimeOrBatchAxisNamingIt(String axis) throws Exception {
        RecurrentModel m = RecurrentModel.load("lstm_1layer");
        Path out = tmp.resolve("refused.nnef.tgz");
        ExportException e =
                refused(
                        m,
                        m.exportOptions(out)
                                .dynamicAxes(List.of(DynamicAxes.parse(axis)))
                                .strict(true));
        // refused where the symbol is declared, before any op: NNEF has no symbolic sizes
        assertTrue(
                e.getMessage().contains("tract_symbol " + axis.substring(axis.indexOf('=') + 1)),
                e.getMessage());
        assertTrue(e.getMessage().contains("--nnef-spec-strict"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    /**
     * tract before 0.21.2 reads symbols in shape arguments only: the zero initial state of a
     * symbolic batch is then a tract_core_broadcast, not a tile by B; it still computes torch's
     * outputs at two sizes of each axis.
     */
    @Test
    void aZeroStateOverASymbolicBatchIsABroadcastForTractsBefore0212() throws Exception {
        RecurrentModel m = RecurrentModel.load("lstm_1layer");
        Path out = tmp.resolve("lstm_1layer_0.20.22.nnef.tgz");
        new Exporter()
                .export(
                        m.torchScript(),
                        ExportOptions.builder(out)
                                .inputs(m.declarations())
                                .dynamicAxes(m.symbolicTimeAndBatch())
                                .tract(TractTarget.parse("0.20.22"))
                                .build());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("tract_core_broadcast(") && !text.contains("repeats = [B"), text);
        for (long batch : new long[] {1, 4}) {
            for (long length : new long[] {3, 7}) {
                m.assertMatchesTorch(out, length, batch);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gru_training:the module is in training mode (train = true); export the model in eval()"
            })
    void unsupportedCallsAreRefusedWithTheModuleAndTheReason(String spec) throws Exception {
        String name = spec.substring(0, spec.indexOf(':'));
        RecurrentModel m = RecurrentModel.load(name);
        ExportException e = refused(m, m.exportOptions(tmp.resolve(name + ".nnef.tgz")));
        assertTrue(e.getMessage().contains("rnn (torch.nn.modules.rnn."), e.getMessage());
        assertTrue(e.getMessage().contains(spec.substring(spec.indexOf(':') + 1)), e.getMessage());
    }

    /**
     * A dynamically quantized layer quantizes its input and its state at run time (tract's
     * round-half-to-even), with int8 weights cast to f32: the export at the traced sizes matches
     * torch, and {@code --nnef-spec-strict}, which has no rounding op, refuses it naming the op.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "quantized_lstm_2layer_bidir_batch_first",
                "quantized_gru_2layer_bidir_given_state"
            })
    void dynamicallyQuantizedLayersQuantizeInputAndStateAtRunTime(String name) throws Exception {
        RecurrentModel m = RecurrentModel.load(name);
        Path out = tmp.resolve(name + ".nnef.tgz");
        ExportResult r = new Exporter().export(m.torchScript(), m.exportOptions(out).build());
        assertEquals(
                Set.of("tract_core_scan", "tract_core_cast", "tract_core_round_even"),
                r.tractOps(),
                r.summary());
        String text = NnefPrinter.print(NnefArchiveReader.read(out));
        assertTrue(text.contains("hq = t2n_dynamic_quantize_127(h, axes = [0, 1]);"), text);
        m.assertMatchesTorch(out, -1, -1);
        Path strict = tmp.resolve(name + "_strict.nnef.tgz");
        ExportException e = refused(m, m.exportOptions(strict).strict(true));
        assertTrue(e.getMessage().contains("refused by --nnef-spec-strict"), e.getMessage());
        assertFalse(Files.exists(strict));
    }

    /** The export of {@code m} with {@code options}, which must fail. */
    private static ExportException refused(RecurrentModel m, ExportOptions.Builder options) {
        return assertThrows(
                ExportException.class,
                () -> new Exporter().export(m.torchScript(), options.build()));
    }
}
