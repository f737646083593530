package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.torch2nnef.cli.CommandRun.run;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InspectCommandTest {
    private static final String SEQUENCE = sample("sequence");

    private static String sample(String name) {
        return Path.of("..", "samples", "models", name + ".pt")
                .toAbsolutePath()
                .normalize()
                .toString();
    }

    @Test
    void printsTheTypedGraphWithSymbolicAxes() {
        CommandRun r = run("inspect", SEQUENCE, "--input", "x=2,4,12", "--dynamic-axes", "x:2=S");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("inputs:\n  x: float32[2,4,S]\nnodes:\n"), out);
        // Conv1d(k=3, stride 2, padding 1) on S steps: (S + 2 - 2 - 1) // 2 + 1
        assertTrue(
                out.contains(
                        "-> input: float32[2,6,(S-1)/2+1]\n      in conv (torch.nn.modules.conv.Conv1d) at"
                                + " code/__torch__/torch/nn/modules/conv.py:12:13 ("),
                out);
        assertTrue(out.contains("samples/graph_models.py:"), out);
        assertTrue(out.contains("aten::gru(input_1: float32[2,(S-1)/2+1,6]"), out);
        assertTrue(out.contains("outputs:\n  g: float32[2,(S-1)/2+1,10]\n"), out);
        assertTrue(
                out.contains("module calls:\n  <root> (graph_models.Sequence).forward(x) -> g, "),
                out);
        assertTrue(
                out.contains(
                        "\n    gru (torch.nn.modules.rnn.GRU).forward(input_1) -> g, _1  [7 nodes]\n"),
                out);
    }

    @Test
    void listsSizesAssumedAtTheExampleLength() {
        String model =
                Path.of("..", "samples", "zoo", "models", "conv1d_layers.pt")
                        .toAbsolutePath()
                        .normalize()
                        .toString();
        CommandRun r = run("inspect", model, "--input", "x=2,4,32", "--dynamic-axes", "x:0=B,2=T");
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out()
                        .endsWith(
                                "# assumed: (T-1)/2+1 == 2*((T-3)/4)+2 (both 16 at T=32) for aten::add at"
                                        + " code/__torch__.py:28:9 (samples/zoo/generate_zoo.py:351) in module <root> (Conv1dLayers)\n"),
                r.out());
    }

    @Test
    void withoutInputsPrintsTheGraphUntyped() {
        CommandRun r = run("inspect", sample("conv_relu_linear"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(
                r.out()
                        .startsWith(
                                "# no --input given: dtypes and shapes are not inferred (graph printed untyped)\n"
                                        + "inputs:\n  x: Tensor\n"),
                r.out());
        assertTrue(r.out().contains("aten::relu(input: Tensor) -> relu: Tensor"), r.out());
    }

    @Test
    void badDeclarationsAreUsageErrors() {
        CommandRun bad = run("inspect", SEQUENCE, "--input", "x=2,four");
        assertEquals(2, bad.exit());
        assertTrue(
                bad.err().contains("size 'four' is not a whole number in --input 'x=2,four'"),
                bad.err());
        CommandRun symbol =
                run("inspect", SEQUENCE, "--input", "x=2,4,12", "--dynamic-axes", "x:2=SEQ");
        assertEquals(2, symbol.exit());
        assertTrue(symbol.err().contains("symbol 'SEQ' must be a single letter"), symbol.err());
        CommandRun orphan = run("inspect", SEQUENCE, "--dynamic-axes", "x:2=S");
        assertEquals(2, orphan.exit());
        assertTrue(
                orphan.err().contains("--dynamic-axes needs the --input declarations"),
                orphan.err());
    }

    /** As for export: unreadable models and wrong declarations 2, shapes that do not fit 1. */
    @Test
    void modelErrorsExitAsExportDoes() {
        CommandRun missing = run("inspect", "no/such/model.pt");
        assertEquals(2, missing.exit());
        assertEquals("torch2nnef inspect: no/such/model.pt: no such file\n", missing.err());
        CommandRun wrongName =
                run("inspect", SEQUENCE, "--input", "x=2,4,12", "--input", "y=2,4,12");
        assertEquals(2, wrongName.exit());
        assertTrue(
                wrongName.err().contains("sequence.pt has no input 'y'; its inputs are [x]"),
                wrongName.err());
        CommandRun mismatch = run("inspect", SEQUENCE, "--input", "x=2,5,12");
        assertEquals(1, mismatch.exit());
        assertTrue(
                mismatch.err().contains("has 5 channels, weight [6,4,3] (groups 1) expects 4"),
                mismatch.err());
    }
}
