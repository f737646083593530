package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * A torch.export program through the command line: exported with no {@code --input}, its symbol
 * renamed by {@code --dynamic-axes}, inspected typed, and checked against the user's expected
 * outputs at both sizes ({@code --io-npz}).
 */
class ExportedProgramCliTest {
    private static final Path DIR =
            Path.of("..", "samples", "torch-export").toAbsolutePath().normalize();

    @Test
    void exportsInspectsAndChecksAtBothSizes(@TempDir Path tmp) {
        Path out = tmp.resolve("te.nnef.tgz");
        CommandRun export =
                CommandRun.run(
                        "export",
                        DIR.resolve("transformer_encoder.pt2").toString(),
                        "-o",
                        out.toString(),
                        "--dynamic-axes",
                        "src:1=T");
        assertEquals(0, export.exit(), export.all());
        assertTrue(export.all().contains("src: float32[1,T,32]"), export.all());

        CommandRun inspect =
                CommandRun.run("inspect", DIR.resolve("transformer_encoder.core.pt2").toString());
        assertEquals(0, inspect.exit(), inspect.all());
        assertTrue(inspect.out().contains("# symbol_ranges: S: 2..512 (torch s98)"), inspect.out());

        CommandRun check =
                checkWithIo(
                        DIR.resolve("transformer_encoder.pt2"),
                        out,
                        "reference",
                        DIR.resolve("transformer_encoder.npz"));
        assertEquals(0, check.exit(), check.all());
        assertTrue(check.out().contains("(sizes @2)"), check.out());
        assertTrue(check.out().contains("[1, 17, 32]"), check.out());
    }

    @Test
    void checkOfAProgramWithoutExpectedOutputsSaysWhatToGive(@TempDir Path tmp) {
        Path out = tmp.resolve("c.nnef.tgz");
        Path model = DIR.resolve("conv_relu_linear.pt2");
        assertEquals(0, CommandRun.run("export", model.toString(), "-o", out.toString()).exit());
        CommandRun check = CommandRun.run("check", model.toString(), out.toString());
        assertEquals(2, check.exit(), check.all());
        assertTrue(
                check.err().contains("give torch's inputs and outputs with --io-npz"), check.err());
    }

    @Test
    void anOutputThatDiffersFailsTheCheck(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("c.nnef.tgz");
        Path model = DIR.resolve("conv_relu_linear.pt2");
        assertEquals(0, CommandRun.run("export", model.toString(), "-o", out.toString()).exit());
        // torch's outputs at the second size, one element off by 0.5
        TensorBundle io = Npz.read(DIR.resolve("conv_relu_linear.npz"));
        TensorBundle wrong = new TensorBundle("wrong");
        for (HostTensor t : io.tensors()) {
            if (!t.name().equals("output_0@2")) {
                wrong.add(t);
                continue;
            }
            float[] v = new float[t.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) t.getDouble(i) + (i == 3 ? 0.5f : 0f);
            }
            wrong.add(HostTensor.ofFloats(t.name(), t.shape(), v));
        }
        Path npz = tmp.resolve("wrong.npz");
        Npz.write(wrong, npz);
        CommandRun check = checkWithIo(model, out, "reference", npz);
        assertEquals(1, check.exit(), check.all());
        assertTrue(check.out().contains("verdict: EQUAL (exit 0)"), check.out()); // example sizes
    }

    /**
     * Pre-dispatch keeps nn.LSTM as one {@code aten::lstm.input} node, which the built-in LSTM
     * extractor exports as it does a traced one (a scan per direction); equal to torch's outputs in
     * the reference interpreter, and in tract when one is found (TRACT_BIN, then PATH).
     */
    @Test
    void preDispatchLstmExportsThroughTheModuleExtractor(@TempDir Path tmp) {
        Path out = tmp.resolve("bilstm.nnef.tgz");
        Path model = DIR.resolve("bilstm_tagger.pt2");
        CommandRun export = CommandRun.run("export", model.toString(), "-o", out.toString());
        assertEquals(0, export.exit(), export.all());
        assertTrue(export.all().contains("tract_core_scan"), export.all());
        List<String> checkers = new ArrayList<>(List.of("reference"));
        if (new TractLocator().find(Optional.empty()).isPresent()) {
            checkers.add("tract");
        }
        for (String checker : checkers) {
            CommandRun check = checkWithIo(model, out, checker, DIR.resolve("bilstm_tagger.npz"));
            System.out.println("pt2 bilstm_tagger " + checker + ": exit " + check.exit());
            assertEquals(0, check.exit(), checker + ": " + check.all());
        }
    }

    /** {@code check MODEL NNEF --checker CHECKER --io-npz IO}. */
    private static CommandRun checkWithIo(Path model, Path nnef, String checker, Path io) {
        return CommandRun.run(
                "check",
                model.toString(),
                nnef.toString(),
                "--checker",
                checker,
                "--io-npz",
                io.toString());
    }
}
