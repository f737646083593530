package org.torch2nnef.check.tract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * Builds tract's command line for checking an NNEF model against an io bundle: {@code MODEL
 * --nnef-tract-core --nnef-tract-pulse [--nnef-tract-extra] -O run --input-from-bundle IO
 * --assert-output-bundle IO --allow-float-casts [--approx LEVEL] [--save-outputs-npz OUT]}, keeping
 * only what the release supports ({@link TractFeatures}).
 */
public final class TractCommand {
    private TractCommand() {}

    /**
     * The arguments after the executable.
     *
     * @param features the release's feature table
     * @param model the NNEF model as tract should see it (directory, .nnef.tar, .nnef.tgz)
     * @param ioBundle the npz with inputs and expected outputs
     * @param approximation wanted level; mapped by {@link TractFeatures#approxArgument}
     * @param nnefTractExtra whether the model uses tract_extra operators
     * @param saveOutputs where tract should write its outputs, if the release can
     * @param loading global options saying how tract loads the model ({@link #loading}), put before
     *     the {@code run} command
     * @throws TractUnavailableException when the release is too old or lacks a needed extension
     */
    public static List<String> arguments(
            TractFeatures features,
            String model,
            String ioBundle,
            Approximation approximation,
            boolean nnefTractExtra,
            Optional<String> saveOutputs,
            List<String> loading)
            throws TractUnavailableException {
        return arguments(
                features,
                model,
                ioBundle,
                approximation,
                nnefTractExtra,
                saveOutputs,
                loading,
                true);
    }

    /**
     * As {@link #arguments(TractFeatures, String, String, Approximation, boolean, Optional, List)};
     * without {@code assertOutputs} (and when the release can save its outputs) tract runs and
     * saves its outputs without asserting them, for outputs that we compare in quantization steps.
     */
    public static List<String> arguments(
            TractFeatures features,
            String model,
            String ioBundle,
            Approximation approximation,
            boolean nnefTractExtra,
            Optional<String> saveOutputs,
            List<String> loading,
            boolean assertOutputs)
            throws TractUnavailableException {
        if (!features.supported()) {
            throw new TractUnavailableException(
                    "tract "
                            + features.version()
                            + " is too old; torch2nnef drives tract "
                            + TractRelease.OLDEST_SUPPORTED
                            + " or later");
        }
        if (nnefTractExtra && !features.nnefTractExtra()) {
            throw new TractUnavailableException(
                    "the model uses tract_extra operators but tract "
                            + features.version()
                            + " has no --nnef-tract-extra (needs "
                            + TractFeatures.NNEF_TRACT_EXTRA
                            + " or later)");
        }
        List<String> args =
                new ArrayList<>(List.of(model, "--nnef-tract-core", "--nnef-tract-pulse"));
        if (nnefTractExtra) {
            args.add("--nnef-tract-extra");
        }
        args.addAll(loading);
        args.addAll(List.of("-O", "run", "--input-from-bundle", ioBundle));
        boolean asserting = assertOutputs || saveOutputs.isEmpty() || !features.saveOutputsNpz();
        if (asserting) {
            args.addAll(List.of("--assert-output-bundle", ioBundle));
        }
        args.add("--allow-float-casts");
        if (asserting) {
            features.approxArgument(approximation)
                    .ifPresent(a -> args.addAll(List.of("--approx", a)));
        }
        if (saveOutputs.isPresent() && features.saveOutputsNpz()) {
            args.addAll(List.of("--save-outputs-npz", saveOutputs.get()));
        }
        return args;
    }

    /**
     * The global options loading the model as {@code loading} says (each exists from tract 0.20.0,
     * cli/src/main.rs): none for the symbols, {@code --input-facts-from-bundle IO} for concrete
     * input facts, {@code --set S=N} per symbol (applied after decluttering), {@code --pulse S=N}.
     *
     * @param loading how tract is given the inputs' sizes
     * @param ioBundle the npz with the check's inputs
     * @param symbols each symbol's value at the check's inputs (for {@code --set})
     */
    public static List<String> loading(
            TractLoading loading, String ioBundle, Map<String, Long> symbols) {
        if (loading instanceof TractLoading.ConcreteFacts) {
            return List.of("--input-facts-from-bundle", ioBundle);
        }
        if (loading instanceof TractLoading.SetSymbols) {
            List<String> args = new ArrayList<>();
            new TreeMap<>(symbols).forEach((s, v) -> args.addAll(List.of("--set", s + "=" + v)));
            return args;
        }
        if (loading instanceof TractLoading.Pulse p) {
            return List.of("--pulse", p.spec());
        }
        return List.of();
    }

    /**
     * The arguments after the executable printing the pulsed model and its properties ({@link
     * PulseProperties}): {@code MODEL --nnef-tract-core --nnef-tract-pulse [--nnef-tract-extra]
     * --pulse S=N dump}.
     */
    public static List<String> pulseDump(
            String model, boolean nnefTractExtra, TractLoading.Pulse pulse) {
        List<String> args =
                new ArrayList<>(List.of(model, "--nnef-tract-core", "--nnef-tract-pulse"));
        if (nnefTractExtra) {
            args.add("--nnef-tract-extra");
        }
        args.addAll(List.of("--pulse", pulse.spec(), "dump"));
        return args;
    }
}
