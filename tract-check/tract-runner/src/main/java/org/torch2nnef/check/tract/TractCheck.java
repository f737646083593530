package org.torch2nnef.check.tract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.model.Float16;

/**
 * Checks an exported NNEF model with tract: tract runs it on the bundle's inputs and asserts the
 * bundle's outputs itself; when the release can save its outputs we also compare them ourselves to
 * report per-output figures. The verdict is the worse of the two.
 */
public final class TractCheck {
    /** The checker name in reports. */
    public static final String CHECKER = "tract";

    /** File name of tract's saved outputs inside the request's work directory. */
    public static final String SAVED_OUTPUTS = "tract-outputs.npz";

    /**
     * The io bundle with f16 arrays widened to f32, for tract to read (see {@code
     * readableByTract}).
     */
    static final String WIDENED_IO = "io-f32.npz";

    /**
     * The io bundle of a pulsed run: the inputs, and torch's outputs without the items that depend
     * on the end of the sequence ({@link PulsedOutputs#withinSequence}).
     */
    static final String PULSED_IO = "io-pulsed.npz";

    private final TractLocator locator;
    private final Supplier<TractMemoryCap> cap;

    /** A check locating tract through the process environment. */
    public TractCheck() {
        this(new TractLocator());
    }

    /** A check locating tract with {@code locator}, capped as the system property says. */
    public TractCheck(TractLocator locator) {
        this(locator, TractMemoryCap::fromSystemProperties);
    }

    /**
     * A check locating tract with {@code locator}, each of whose tract processes runs under the cap
     * {@code cap} gives (asked once per check).
     */
    public TractCheck(TractLocator locator, Supplier<TractMemoryCap> cap) {
        this.locator = locator;
        this.cap = cap;
    }

    /** What tract's npz writer says when two outputs carry one name. */
    private static final String DUPLICATE_NPZ_ENTRY = "Duplicate filename";

    /** Runs {@code request} with tract located through the process environment. */
    public static CheckReport run(TractCheckRequest request) {
        return new TractCheck().check(request);
    }

    /** Runs {@code request}; never throws for tract or input problems, the report says. */
    public CheckReport check(TractCheckRequest request) {
        Approximation wanted = request.approximation();
        TractBinary tract;
        try {
            tract = locator.locate(request.tract());
        } catch (TractUnavailableException e) {
            return report(
                    "unknown",
                    wanted,
                    ExitCode.CHECKER_UNAVAILABLE,
                    e.getMessage(),
                    List.of(),
                    "",
                    List.of());
        }
        String version = tract.version().toString();
        TractFeatures features = tract.features();
        Approximation effective = features.effectiveApproximation(wanted);
        TensorBundle expected;
        TractMemoryCap capped;
        try {
            capped = cap.get();
            if (!Files.exists(request.model())) {
                throw new IOException(request.model() + ": model not found");
            }
            expected = Npz.read(request.ioBundle());
            request.outputNames().forEach(expected::get);
            Files.createDirectories(request.workDir());
        } catch (IOException | IllegalArgumentException e) {
            return report(
                    version,
                    effective,
                    ExitCode.USAGE_OR_INPUT_ERROR,
                    e.getMessage(),
                    List.of(),
                    "",
                    List.of());
        }
        Path saved = request.workDir().resolve(SAVED_OUTPUTS).toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(tract.path().toString());
        ProcessResult result;
        Optional<PulseProperties> pulsed = Optional.empty();
        String aliasNote = "";
        // outputs compared in steps: tract saves them and asserts nothing, we compare
        boolean savedOnly = !request.outputSteps().isEmpty() && features.saveOutputsNpz();
        try {
            Files.deleteIfExists(saved);
            Path io = request.ioBundle();
            if (request.loading() instanceof TractLoading.Pulse pulse) {
                List<String> dump = new ArrayList<>(List.of(tract.path().toString()));
                dump.addAll(
                        TractCommand.pulseDump(
                                request.model().toAbsolutePath().toString(),
                                request.nnefTractExtra(),
                                pulse));
                ProcessResult r = capped.run(dump, request.workDir(), request.timeout());
                TractOutcome dumped = TractOutcome.of(r, request.timeout(), capped);
                if (dumped.verdict() != ExitCode.EQUAL) {
                    return report(
                            version,
                            effective,
                            dumped.verdict(),
                            "tract cannot pulse the model along "
                                    + pulse.spec()
                                    + ": "
                                    + dumped.message(),
                            List.of(),
                            r.output(),
                            dump);
                }
                pulsed = Optional.of(PulseProperties.parse(r.output()));
                try {
                    expected =
                            PulsedOutputs.withinSequence(
                                    expected, request.outputNames(), pulsed.get());
                } catch (IllegalArgumentException e) {
                    return report(
                            version,
                            effective,
                            ExitCode.USAGE_OR_INPUT_ERROR,
                            "--pulse " + pulse.spec() + ": " + e.getMessage(),
                            List.of(),
                            r.output(),
                            dump);
                }
                io = request.workDir().resolve(PULSED_IO);
                Npz.write(expected, io);
            }
            Path bundle = readableByTract(io, expected, request.workDir());
            command.addAll(runArguments(request, features, bundle, Optional.of(saved.toString())));
            result = capped.run(command, request.workDir(), request.timeout());
            if (result.exitCode() != 0
                    && result.output().contains(DUPLICATE_NPZ_ENTRY)
                    && savedOnly
                    && pulsed.isEmpty()) {
                // outputs compared in quantization steps: tract's assertion would judge them at a
                // float tolerance, so run it once per output and compare them ourselves
                Files.deleteIfExists(saved);
                Path inputs = bundle;
                SingleOutputRuns.Result single =
                        SingleOutputRuns.run(
                                tract,
                                capped,
                                request,
                                request.timeout(),
                                (model, out) ->
                                        TractCommand.arguments(
                                                features,
                                                model,
                                                inputs.toAbsolutePath().toString(),
                                                request.approximation(),
                                                request.nnefTractExtra(),
                                                Optional.of(out),
                                                TractCommand.loading(
                                                        request.loading(),
                                                        inputs.toAbsolutePath().toString(),
                                                        request.symbols()),
                                                false));
                result = single.last();
                command = single.command();
                if (single.outputs().isPresent()) {
                    Npz.write(single.outputs().get(), saved);
                }
                aliasNote =
                        "; tract holds two outputs as one tensor, so it cannot save them by name"
                                + " (--save-outputs-npz: duplicate entry): each output saved by"
                                + " its own run on a copy of the model declaring only it";
            } else if (result.exitCode() != 0 && result.output().contains(DUPLICATE_NPZ_ENTRY)) {
                // Outputs that are one tensor in tract (a tensor returned twice, or identity
                // copies tract removes while loading) carry one name, and tract's npz writer
                // refuses the second entry: the model is fine, only saving them by name fails.
                // tract's own assertion still compares every output, by position.
                Files.deleteIfExists(saved); // what it wrote before refusing
                command = new ArrayList<>(List.of(tract.path().toString()));
                command.addAll(runArguments(request, features, bundle, Optional.empty()));
                result = capped.run(command, request.workDir(), request.timeout());
                savedOnly = false; // without saving, tract asserts every output itself
                aliasNote =
                        "; tract holds two outputs as one tensor, so it cannot save them by name"
                                + " (--save-outputs-npz: duplicate entry): compared by tract's own"
                                + " --assert-output-bundle, without error figures";
            }
        } catch (TractUnavailableException | IOException | IllegalArgumentException e) {
            return report(
                    version,
                    effective,
                    ExitCode.CHECKER_UNAVAILABLE,
                    e.getMessage(),
                    List.of(),
                    "",
                    command);
        }
        TractOutcome outcome = TractOutcome.of(result, request.timeout(), capped);
        List<OutputComparison> outputs = List.of();
        String note = aliasNote;
        if (!request.outputNames().isEmpty() && Files.isRegularFile(saved)) {
            try {
                TensorBundle got =
                        narrowedF16(CheckLimits.readNpz(saved), expected, request.outputNames());
                if (pulsed.isPresent()) {
                    got = streamed(got, expected, request.outputNames(), pulsed.get());
                }
                outputs =
                        TensorComparator.compareOutputs(
                                expected,
                                got,
                                request.outputNames(),
                                effective,
                                request.outputSteps(),
                                request.stepTolerance());
            } catch (IOException | IllegalArgumentException e) {
                note = "; tract's saved outputs are unreadable: " + e.getMessage();
            }
        }
        ExitCode verdict = outcome.verdict();
        String message = outcome.message();
        if (verdict == ExitCode.EQUAL && savedOnly && outputs.isEmpty()) {
            // tract was not asked to assert: without its outputs nothing was compared
            verdict = ExitCode.CHECKER_UNAVAILABLE;
            message = "tract saved no outputs to compare in quantization steps";
        }
        if (verdict == ExitCode.EQUAL && CheckReport.verdictOf(outputs) != ExitCode.EQUAL) {
            verdict = ExitCode.OUTPUTS_DIFFER;
            message =
                    "tract accepted the run, but its saved outputs differ at "
                            + effective
                            + (request.outputSteps().isEmpty()
                                    ? ""
                                    : " (outputs "
                                            + request.outputSteps().keySet()
                                            + " in quantization steps)");
        }
        if (pulsed.isPresent() && request.loading() instanceof TractLoading.Pulse p) {
            note +=
                    "; streamed with --pulse "
                            + p.spec()
                            + " ("
                            + pulsed.get()
                            + "): outputs compared from their delay on, except their last"
                            + " delay items, which depend on how the sequence ends (torch pads"
                            + " inner tensors with zeros past its end, a stream never ends)";
        }
        if (effective != wanted) {
            note +=
                    "; tract "
                            + version
                            + " cannot check at "
                            + wanted
                            + ", it checked at "
                            + effective;
        }
        return report(
                version, effective, verdict, message + note, outputs, result.output(), command);
    }

    /**
     * tract's {@code run} arguments for {@code request}, saving its outputs where asked; outputs
     * compared in quantization steps are saved, not asserted by tract.
     */
    private static List<String> runArguments(
            TractCheckRequest request,
            TractFeatures features,
            Path bundle,
            Optional<String> saveOutputs)
            throws TractUnavailableException {
        return TractCommand.arguments(
                features,
                request.model().toAbsolutePath().toString(),
                bundle.toAbsolutePath().toString(),
                request.approximation(),
                request.nnefTractExtra(),
                saveOutputs,
                TractCommand.loading(
                        request.loading(), bundle.toAbsolutePath().toString(), request.symbols()),
                request.outputSteps().isEmpty());
    }

    /**
     * Each output of a pulsed run over the whole sequence: its turns end to end, from its delay on,
     * as long as torch's output ({@link PulsedOutputs}).
     */
    static TensorBundle streamed(
            TensorBundle saved, TensorBundle expected, List<String> names, PulseProperties pulse) {
        if (pulse.delays().length != names.size()) {
            throw new IllegalArgumentException(
                    "tract's pulsed model has "
                            + pulse.delays().length
                            + " outputs, the model declares "
                            + names.size());
        }
        TensorBundle out = new TensorBundle(saved.source() + " (streamed)");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int axis = Math.toIntExact(pulse.outputAxes()[i]);
            out.add(
                    PulsedOutputs.assemble(
                            saved,
                            name,
                            axis,
                            pulse.delays()[i],
                            expected.get(name).shape()[axis]));
        }
        return out;
    }

    /**
     * The io bundle as tract can read it: its npz reader takes no float16 (0.21, 0.22: "Can not
     * extract tensor"), so f16 arrays are given widened to f32, which holds every f16 exactly.
     */
    private static Path readableByTract(Path ioBundle, TensorBundle io, Path workDir)
            throws IOException {
        if (io.tensors().stream().noneMatch(t -> t.dtype() == DType.F16)) {
            return ioBundle;
        }
        TensorBundle widened = new TensorBundle(io.source());
        for (HostTensor t : io.tensors()) {
            widened.add(t.dtype() == DType.F16 ? toF32(t) : t);
        }
        Path out = workDir.resolve(WIDENED_IO);
        Npz.write(widened, out);
        return out;
    }

    private static HostTensor toF32(HostTensor t) {
        float[] values = new float[t.elementCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) t.getDouble(i);
        }
        return HostTensor.ofFloats(t.name(), t.shape(), values);
    }

    /**
     * tract saves f16 outputs as f32 (cli/src/run.rs); narrowing them back is exact, so the
     * comparison sees the type tract computed in.
     */
    private static TensorBundle narrowedF16(
            TensorBundle saved, TensorBundle expected, List<String> names) {
        TensorBundle out = new TensorBundle(saved.source());
        for (HostTensor t : saved.tensors()) {
            boolean narrow =
                    names.contains(t.name())
                            && t.dtype() == DType.F32
                            && expected.get(t.name()).dtype() == DType.F16;
            out.add(narrow ? toF16(t) : t);
        }
        return out;
    }

    private static HostTensor toF16(HostTensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.elementCount() * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.elementCount(); i++) {
            b.putShort(Float16.fromFloat((float) t.getDouble(i)));
        }
        b.flip();
        return HostTensor.of(t.name(), DType.F16, t.shape(), b);
    }

    private static CheckReport report(
            String version,
            Approximation level,
            ExitCode verdict,
            String message,
            List<OutputComparison> outputs,
            String output,
            List<String> command) {
        String msg = message.startsWith("; ") ? message.substring(2) : message;
        return new CheckReport(
                CHECKER, version, level.cliName(), outputs, verdict, msg, output, command);
    }
}
