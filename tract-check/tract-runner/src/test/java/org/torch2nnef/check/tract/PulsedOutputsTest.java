package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The streamed output is the turns end to end from the delay on: checked on a convolution torch ran
 * both on the whole sequence and chunk by chunk (pulsed_conv.npz, make_pulse_fixture.py: delay 1, 4
 * frames per chunk, 10 frames).
 */
class PulsedOutputsTest {
    private static TensorBundle fixture() throws IOException {
        return Npz.read(Path.of("../src/test/resources/pulsed_conv.npz"));
    }

    @Test
    void turnsFromTheDelayOnAreTorchsWholeSequenceOutput() throws IOException {
        TensorBundle io = fixture();
        HostTensor whole = io.get("y");
        HostTensor streamed = PulsedOutputs.assemble(io, "y", 2, 1, 10);
        assertArrayEquals(whole.shape(), streamed.shape());
        TensorBundle got = new TensorBundle("streamed").add(streamed);
        List<OutputComparison> c =
                TensorComparator.compareOutputs(io, got, List.of("y"), Approximation.CLOSE);
        assertTrue(c.get(0).passed(), c.toString());
        // the delay matters: cut one frame early, the outputs are those of the frame before
        HostTensor early = PulsedOutputs.assemble(io, "y", 2, 0, 10);
        List<OutputComparison> off =
                TensorComparator.compareOutputs(
                        io,
                        new TensorBundle("early").add(early),
                        List.of("y"),
                        Approximation.APPROXIMATE);
        assertTrue(!off.get(0).passed(), off.toString());
    }

    @Test
    void tooFewTurnsOrNoneAreNamed() throws IOException {
        TensorBundle io = fixture();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PulsedOutputs.assemble(io, "y", 2, 3, 10));
        assertEquals(
                "output 'y': tract streamed 12 items along axis 2 in 3 turns, fewer than its"
                        + " delay 3 + torch's length 10",
                e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PulsedOutputs.assemble(io, "z", 2, 0, 10));
        assertEquals("tract saved no output 'z' (nor turn_0/z)", e.getMessage());
    }

    @Test
    void oneTurnIsSavedUnderTheOutputsName() throws IOException {
        TensorBundle io = fixture();
        TensorBundle single = new TensorBundle("one turn").add(io.get("y"));
        HostTensor cut = PulsedOutputs.assemble(single, "y", 2, 2, 5);
        assertArrayEquals(new long[] {1, 2, 5}, cut.shape());
        // channel 1, frame 0 of the cut is channel 1, frame 2 of y
        assertEquals(io.get("y").getDouble(10 + 2), cut.getDouble(5), 0.0);
    }

    @Test
    void propertiesAreReadFromTractsDump() {
        String dump =
                "┣ 3 Conv conv\n"
                        + "\u001B[1;37m# Properties\u001B[0m\n"
                        + "* \u001B[37mpulse.delay\u001B[0m: 2,I64 1, 0\n"
                        + "* \u001B[37mpulse.input_axes\u001B[0m: 1,I64 2\n"
                        + "* \u001B[37mpulse.output_axes\u001B[0m: 2,I64 2, 1\n"
                        + "* \u001B[37msource_file\u001B[0m: ,String conv.pt\n";
        PulseProperties p = PulseProperties.parse(dump);
        assertArrayEquals(new long[] {1, 0}, p.delays());
        assertArrayEquals(new long[] {2, 1}, p.outputAxes());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> PulseProperties.parse("* pulse.delay: 1,I64 3\n"));
        assertTrue(e.getMessage().contains("no pulse.output_axes"), e.getMessage());
    }

    @Test
    void theItemsThatReadPastTheEndAreLeftOutOfTheComparison() throws IOException {
        TensorBundle io = fixture();
        PulseProperties pulse = new PulseProperties(new long[] {3}, new long[] {2});
        TensorBundle cut = PulsedOutputs.withinSequence(io, List.of("y"), pulse);
        assertArrayEquals(new long[] {1, 1, 10}, cut.get("x").shape());
        assertArrayEquals(new long[] {1, 2, 7}, cut.get("y").shape());
        // channel 1 starts 7 items in: its first item is y's item 10
        assertEquals(io.get("y").getDouble(10), cut.get("y").getDouble(7), 0.0);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PulsedOutputs.withinSequence(
                                        io,
                                        List.of("y"),
                                        new PulseProperties(new long[] {10}, new long[] {2})));
        assertEquals(
                "output 'y' has 10 items along its streaming axis 2, no more than the model's"
                        + " delay 10; give a longer input",
                e.getMessage());
    }
}
