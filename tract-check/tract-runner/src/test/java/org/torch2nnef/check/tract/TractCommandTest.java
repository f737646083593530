package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.nnef.contract.TractRelease;

/** Expected command lines follow the feature table read from tract's release sources. */
class TractCommandTest {
    private static List<String> args(String version, Approximation a, boolean extra)
            throws TractUnavailableException {
        return TractCommand.arguments(
                new TractFeatures(TractRelease.fromVersionOutput("tract " + version)),
                "m.nnef.tgz",
                "io.npz",
                a,
                extra,
                Optional.of("out.npz"),
                List.of());
    }

    private static final List<String> BASE =
            List.of(
                    "m.nnef.tgz",
                    "--nnef-tract-core",
                    "--nnef-tract-pulse",
                    "-O",
                    "run",
                    "--input-from-bundle",
                    "io.npz",
                    "--assert-output-bundle",
                    "io.npz",
                    "--allow-float-casts");

    private static List<String> base(String... tail) {
        List<String> l = new ArrayList<>(BASE);
        l.addAll(List.of(tail));
        return l;
    }

    /**
     * Outputs compared in quantization steps: tract runs and saves its outputs but asserts nothing
     * (its float tolerance would fail an element one step away); a release that cannot save its
     * outputs still asserts them.
     */
    @Test
    void stepComparedOutputsAreSavedNotAsserted() throws Exception {
        assertEquals(
                List.of(
                        "m.nnef.tgz",
                        "--nnef-tract-core",
                        "--nnef-tract-pulse",
                        "-O",
                        "run",
                        "--input-from-bundle",
                        "io.npz",
                        "--allow-float-casts",
                        "--save-outputs-npz",
                        "out.npz"),
                TractCommand.arguments(
                        new TractFeatures(TractRelease.fromVersionOutput("tract 0.21.13")),
                        "m.nnef.tgz",
                        "io.npz",
                        Approximation.APPROXIMATE,
                        false,
                        Optional.of("out.npz"),
                        List.of(),
                        false));
        assertTrue(
                TractCommand.arguments(
                                new TractFeatures(TractRelease.fromVersionOutput("tract 0.20.17")),
                                "m.nnef.tgz",
                                "io.npz",
                                Approximation.APPROXIMATE,
                                false,
                                Optional.of("out.npz"),
                                List.of(),
                                false)
                        .contains("--assert-output-bundle"));
    }

    @Test
    void currentTractGetsEveryFlag() throws Exception {
        assertEquals(
                base("--approx", "ultra", "--save-outputs-npz", "out.npz"),
                args("0.23.5", Approximation.ULTRA, false));
        List<String> extra = args("0.21.8", Approximation.APPROXIMATE, true);
        assertEquals(
                List.of(
                        "m.nnef.tgz",
                        "--nnef-tract-core",
                        "--nnef-tract-pulse",
                        "--nnef-tract-extra",
                        "-O",
                        "run"),
                extra.subList(0, 6));
        assertTrue(extra.containsAll(List.of("--approx", "approximate")));
    }

    @Test
    void tract0217HasFourLevelsWhoseSuperIsTodaysVery() throws Exception {
        TractFeatures f = new TractFeatures(new TractRelease(0, 21, 7));
        assertEquals(
                base("--approx", "super", "--save-outputs-npz", "out.npz"),
                args("0.21.7", Approximation.VERY, false));
        assertEquals(Approximation.VERY, f.effectiveApproximation(Approximation.ULTRA));
        assertEquals(Approximation.CLOSE, f.effectiveApproximation(Approximation.CLOSE));
        assertEquals(Optional.of("exact"), f.approxArgument(Approximation.EXACT));
    }

    @Test
    void olderTractHasNoApproxAndAssertsAtApproximate() throws Exception {
        assertEquals(
                base("--save-outputs-npz", "out.npz"),
                args("0.21.6", Approximation.CLOSE, true).stream()
                        .filter(a -> !a.equals("--nnef-tract-extra"))
                        .toList());
        assertEquals(
                Approximation.APPROXIMATE,
                new TractFeatures(new TractRelease(0, 20, 22))
                        .effectiveApproximation(Approximation.EXACT));
        assertEquals(base(), args("0.20.7", Approximation.APPROXIMATE, false));
    }

    @Test
    void unsupportedCombinationsSayWhatIsNeeded() {
        TractUnavailableException e =
                assertThrows(
                        TractUnavailableException.class,
                        () -> args("0.20.18", Approximation.APPROXIMATE, true));
        assertTrue(e.getMessage().contains("--nnef-tract-extra (needs 0.20.19"), e.getMessage());
        e =
                assertThrows(
                        TractUnavailableException.class,
                        () -> args("0.19.2", Approximation.APPROXIMATE, false));
        assertTrue(e.getMessage().contains("0.19.2 is too old"), e.getMessage());
        assertTrue(new TractFeatures(new TractRelease(0, 21, 13)).nnefTractTransformers());
        assertTrue(!new TractFeatures(new TractRelease(0, 21, 9)).approxCustom());
    }

    @Test
    void loadingOptionsGoBeforeTheRunCommand() throws Exception {
        List<String> io = List.of("io.npz");
        assertEquals(
                List.of(), TractCommand.loading(TractLoading.SYMBOLS, "io.npz", Map.of("S", 10L)));
        assertEquals(
                List.of("--input-facts-from-bundle", "io.npz"),
                TractCommand.loading(new TractLoading.ConcreteFacts(), "io.npz", Map.of()));
        assertEquals(
                List.of("--set", "B=2", "--set", "S=10"),
                TractCommand.loading(
                        new TractLoading.SetSymbols(), "io.npz", Map.of("S", 10L, "B", 2L)));
        List<String> pulse =
                TractCommand.loading(TractLoading.Pulse.parse("T=8"), io.get(0), Map.of());
        assertEquals(List.of("--pulse", "T=8"), pulse);
        List<String> args =
                TractCommand.arguments(
                        new TractFeatures(new TractRelease(0, 22, 3)),
                        "m.nnef.tgz",
                        "io.npz",
                        Approximation.APPROXIMATE,
                        false,
                        Optional.empty(),
                        pulse);
        assertEquals(args.indexOf("-O") - 2, args.indexOf("--pulse"), args.toString());
        assertEquals(
                List.of(
                        "m.nnef.tgz",
                        "--nnef-tract-core",
                        "--nnef-tract-pulse",
                        "--pulse",
                        "T=8",
                        "dump"),
                TractCommand.pulseDump("m.nnef.tgz", false, TractLoading.Pulse.parse("T=8")));
    }
}
