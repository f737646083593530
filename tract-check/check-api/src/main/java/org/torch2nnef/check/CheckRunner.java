package org.torch2nnef.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import org.torch2nnef.check.debug.DebugBundleContent;
import org.torch2nnef.check.debug.DebugBundleWriter;
import org.torch2nnef.check.debug.Versions;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.check.torch.SeededInputs;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.torch.TorchReferenceResult;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.IoMessages;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefFormatException;
import org.torch2nnef.nnef.io.ScratchNames;
import org.torch2nnef.nnef.io.ShutdownCleanup;

/**
 * The check workflow behind {@code torch2nnef check} and {@code torch2nnef export --check}: reads
 * the NNEF input and output names from the written {@code graph.nnef}, runs the TorchScript through
 * the {@link TorchRunner} on the given or seeded inputs to get the reference outputs ({@code
 * io.npz}, keyed by the NNEF names, inputs mapped in order onto {@code forward}'s arguments and
 * outputs onto its flattened results), runs the chosen {@link Checker} on the written model, and
 * writes the JSON report and, when the check does not pass, the debug bundle. The torch runner, the
 * checkers and the {@link DivergenceLocator} are the installed ones ({@link ServiceLoader}).
 *
 * <pre>{@code
 * CheckReport r = CheckRunner.run(CheckRequest.builder(pt, nnefTgz)
 *     .mode(CheckerMode.AUTO).debugBundle(Path.of("failure.tgz")).build());
 * System.out.print(r.toConsoleTable());
 * System.exit(r.exitCode());
 * }</pre>
 *
 * <p>Never throws for bad input or checker trouble: the report's verdict and message say what
 * happened (exit codes 0 equal, 1 outputs differ, 2 usage or input error, 3 checker unavailable or
 * crashed).
 */
public final class CheckRunner {
    /** The io bundle's file name in the work directory and the debug bundle. */
    public static final String IO_NPZ = "io.npz";

    /** The start of the names of temporary work directories. */
    static final String WORK_DIR_PREFIX = "torch2nnef-check";

    /** Where an archived model is extracted in the work directory for the interpreter. */
    static final String EXTRACTED_MODEL = "model";

    /** Why nothing can be checked without the torch runner. */
    static final String NO_TORCH_RUNNER =
            "the torch runner (module torch-runner: DJL and libtorch) is not on"
                    + " the class path: this is an export-only installation, which cannot check";

    private final List<Checker> checkers;
    private final Optional<TorchRunner> torchRunner;
    private final Optional<TorchScriptScreen> screen;
    private final boolean torchInChildProcess;

    /** A child process started before the check ({@link #startingChild}), taken by it. */
    private final AtomicReference<TorchProcess> started = new AtomicReference<>();

    private final Optional<DivergenceLocator> localizer =
            installed(DivergenceLocator.class).stream().findFirst();

    /** A runner with the installed checkers (tract located through {@code TRACT_BIN}, PATH). */
    public CheckRunner() {
        this(installed(Checker.class));
    }

    /** A runner with {@code checkers} and the installed torch runner. */
    public CheckRunner(List<Checker> checkers) {
        this(checkers, installed(TorchRunner.class).stream().findFirst(), Optional.empty(), false);
    }

    private CheckRunner(
            List<Checker> checkers,
            Optional<TorchRunner> torchRunner,
            Optional<TorchScriptScreen> screen,
            boolean torchInChildProcess) {
        this.checkers = List.copyOf(checkers);
        this.torchRunner = torchRunner;
        this.screen = screen;
        this.torchInChildProcess = torchInChildProcess;
    }

    /**
     * This runner, reading every TorchScript with {@code screen} before the torch runner sees it
     * and running libtorch — the torch reference run, and the reference interpreter, which computes
     * with it — in child processes limited by the request's timeout and a memory cap: what the CLI
     * does with untrusted models.
     */
    public CheckRunner isolatingTorch(TorchScriptScreen screen) {
        return new CheckRunner(checkers, torchRunner, Optional.of(screen), true);
    }

    /**
     * This runner (isolating torch) with its child process started now, so that libtorch loads
     * while the caller still reads its options and the model: the next {@link #check} runs in it,
     * and ends it. For a command running one check; a child that no check took ends with this JVM.
     * When the child cannot start, the check meets the problem again and reports it.
     *
     * @param timeout how long each run in the child may take: the request's {@code timeout}
     */
    public CheckRunner startingChild(Duration timeout) {
        if (torchInChildProcess && torchRunner.isPresent()) {
            try {
                TorchProcess child = torchRunner.get().startChildProcess(timeout);
                TorchProcess before = started.getAndSet(child);
                if (before != null) {
                    before.close();
                }
            } catch (IOException | IllegalArgumentException e) {
                // the check starts its own and reports what fails
            }
        }
        return this;
    }

    /**
     * Ends the child {@link #startingChild} started when no check took it (the command stopped
     * before checking): a command run inside a longer-lived JVM must not leave it waiting.
     */
    public void endStartedChild() {
        TorchProcess unused = started.getAndSet(null);
        if (unused != null) {
            unused.close();
        }
    }

    /**
     * This runner, taking torch's outputs from {@code expected} instead of running torch (the
     * screen still reads the model): {@code check --io-npz}.
     */
    public CheckRunner expecting(ExpectedOutputs expected) {
        return new CheckRunner(checkers, Optional.of(expected), screen, false);
    }

    private static <T> List<T> installed(Class<T> service) {
        return ServiceLoader.load(service, CheckRunner.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
    }

    /** Runs {@code request} with the installed checkers. */
    public static CheckReport run(CheckRequest request) {
        return new CheckRunner().check(request);
    }

    /** Runs {@code request}; see the class comment. */
    public CheckReport check(CheckRequest request) {
        Path work;
        boolean temporary = request.workDir().isEmpty();
        try {
            work =
                    temporary
                            ? temporaryWorkDir()
                            : Files.createDirectories(request.workDir().get());
        } catch (IOException e) {
            return failure(
                    request.mode().cliName(),
                    request,
                    ExitCode.USAGE_OR_INPUT_ERROR,
                    "cannot create the work directory: " + e.getMessage());
        }
        try {
            return checkIn(request, work);
        } finally {
            if (temporary) {
                TemporaryTrees.delete(work);
                ShutdownCleanup.forget(work);
            }
        }
    }

    /**
     * A private directory under {@code java.io.tmpdir}, deleted at exit on Ctrl-C or SIGTERM; those
     * of checks that were killed (or crashed the JVM) are removed first.
     */
    private static Path temporaryWorkDir() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        ScratchNames.removeStale(tmp, WORK_DIR_PREFIX);
        Path work = Files.createTempDirectory(tmp, ScratchNames.fresh(WORK_DIR_PREFIX));
        ShutdownCleanup.register(work);
        return work;
    }

    private CheckReport checkIn(CheckRequest request, Path work) {
        if (torchRunner.isEmpty()) {
            return refused(request, ExitCode.CHECKER_UNAVAILABLE, NO_TORCH_RUNNER);
        }
        Optional<TorchProcess> child;
        try {
            // first: libtorch loads in the child while this process reads the model
            TorchProcess ready = started.getAndSet(null);
            if (ready != null && !ready.timeout().equals(request.timeout())) {
                ready.close();
                ready = null;
            }
            child =
                    !torchInChildProcess
                            ? Optional.empty()
                            : Optional.of(
                                    ready != null
                                            ? ready
                                            : torchRunner
                                                    .get()
                                                    .startChildProcess(request.timeout()));
        } catch (IOException e) {
            return refused(
                    request,
                    ExitCode.CHECKER_UNAVAILABLE,
                    "cannot start the child process that runs libtorch: " + e.getMessage());
        } catch (IllegalArgumentException e) { // a malformed cap: the user's to fix
            return refused(request, ExitCode.USAGE_OR_INPUT_ERROR, e.getMessage());
        }
        try {
            return checkIn(request, work, child);
        } finally {
            child.ifPresent(TorchProcess::close);
        }
    }

    private CheckReport checkIn(CheckRequest request, Path work, Optional<TorchProcess> child) {
        try {
            // once, before any checker: tract must never be handed what our reader refuses
            NnefArchiveReader.validate(request.nnefModel());
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return refused(
                    request, ExitCode.USAGE_OR_INPUT_ERROR, modelRefused(request.nnefModel(), e));
        }
        if (request.pulse().isPresent()) {
            if (request.mode() == CheckerMode.REFERENCE) {
                return refused(
                        request,
                        ExitCode.USAGE_OR_INPUT_ERROR,
                        "--pulse needs tract (--checker tract or auto): the reference"
                                + " interpreter runs whole sequences, it does not stream");
            }
            try {
                // before looking for tract: a model that cannot stream is the input's problem
                StreamingInputs.axes(
                        NnefSignature.read(request.nnefModel()), request.pulse().get());
            } catch (IOException | IllegalArgumentException e) {
                return refused(request, ExitCode.USAGE_OR_INPUT_ERROR, e.getMessage());
            }
        }
        CheckerChoice choice = choose(request);
        if (choice.preparation() instanceof Checker.Unavailable u) {
            return finishEarly(
                    request,
                    failure(choice.checker(), request, ExitCode.CHECKER_UNAVAILABLE, u.reason())
                            .withSelection(choice.why()));
        }
        Checker.Run run = ((Checker.Ready) choice.preparation()).run();
        NnefSignature signature;
        TorchReferenceResult torch;
        Path io = work.resolve(IO_NPZ);
        ModelFiles files = new ModelFiles(request.nnefModel(), work);
        Thread warmUp = warmUp(run, files);
        try {
            try {
                signature = NnefSignature.read(request.nnefModel());
                signature.outputSteps(); // a malformed property is an input error, before torch
                List<HostTensor> inputs = inputs(request, signature);
                // the checker may start on the inputs (in the child) while the TorchScript is read
                run.inputsKnown(request, named(inputs), files::get, work, child);
                screened(request.torchScript());
                torch =
                        torch(child)
                                .run(
                                        new TorchReferenceRequest(
                                                request.torchScript(),
                                                inputs,
                                                signature.outputs(),
                                                request.quantizedEngine()));
                Npz.write(torch.io(), io);
            } catch (TorchRunAbortedException e) {
                return finish(
                        request,
                        failure(
                                        choice.checker(),
                                        request,
                                        ExitCode.CHECKER_UNAVAILABLE,
                                        e.getMessage())
                                .withSelection(choice.why()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
            } catch (IOException | IllegalArgumentException e) {
                return finish(
                        request,
                        failure(
                                        choice.checker(),
                                        request,
                                        ExitCode.USAGE_OR_INPUT_ERROR,
                                        e.getMessage())
                                .withSelection(choice.why()),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty());
            }
        } finally {
            joined(warmUp); // before the work directory can go, and before files is read
        }
        CheckReport report =
                run.check(new CheckJob(request, signature, torch.io(), io, work, files::get, child))
                        .withSelection(choice.why());
        if (report.verdict() == ExitCode.OUTPUTS_DIFFER) {
            report = localize(request, report, inputsOf(torch, signature), files, work, child);
        }
        if (!torch.quantizedEngine().isEmpty()
                && (!signature.outputSteps().isEmpty() || request.quantizedEngine().isPresent())) {
            report =
                    report.withNote(
                            "torch ran its quantized kernels on libtorch's "
                                    + torch.quantizedEngine()
                                    + " engine");
        }
        report = files.inArchiveTerms(report);
        return finish(
                request,
                report,
                Optional.of(io),
                Optional.of(torch.libtorchVersion()),
                run.toolVersion());
    }

    /** The check ending before any checker ran. */
    private CheckReport refused(CheckRequest request, ExitCode code, String message) {
        return finishEarly(request, failure(request.mode().cliName(), request, code, message));
    }

    /**
     * Starts the checker's {@link Checker.Run#warmUp} on a thread of its own when torch runs in a
     * child process (on 2 cores, the child's libtorch and the reference interpreter's then load at
     * the same time); null otherwise. {@link #joined} it before the check.
     */
    private Thread warmUp(Checker.Run run, ModelFiles files) {
        if (!torchInChildProcess) {
            return null;
        }
        Thread t = new Thread(() -> run.warmUp(files::get), "torch2nnef-check-warm-up");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joined(Thread warmUp) {
        if (warmUp == null) {
            return;
        }
        try {
            warmUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The torch runner: the check's child process when isolating. */
    private TorchRunner torch(Optional<TorchProcess> child) {
        return child.isPresent() ? child.get() : torchRunner.orElseThrow();
    }

    /** Has the screen read {@code torchScript}; a refusal is an input error. */
    private void screened(Path torchScript) throws IOException {
        if (screen.isEmpty()) {
            return;
        }
        try {
            screen.get().screen(torchScript);
        } catch (StackOverflowError e) {
            throw new IOException(
                    torchScript
                            + ": nested too deeply for our TorchScript reader (stack overflow)");
        }
    }

    /** Names the first diverging tensor when torch's intermediate values were provided. */
    private CheckReport localize(
            CheckRequest request,
            CheckReport report,
            TensorBundle inputs,
            ModelFiles files,
            Path work,
            Optional<TorchProcess> child) {
        TensorBundle torchValues;
        try {
            if (request.torchIntermediates().isPresent()) {
                torchValues = CheckLimits.readNpz(request.torchIntermediates().get());
            } else if (request.torchProbe().isPresent()) {
                TorchProbe probe = request.torchProbe().get();
                screened(probe.torchScript());
                TorchReferenceResult r =
                        torch(child)
                                .run(
                                        new TorchReferenceRequest(
                                                probe.torchScript(),
                                                List.copyOf(inputs.tensors()),
                                                probe.nnefNames(),
                                                request.quantizedEngine()));
                torchValues = new TensorBundle("torch probe " + probe.torchScript());
                r.outputs().forEach(torchValues::add);
            } else {
                return report;
            }
        } catch (IOException | IllegalArgumentException e) {
            return report.withNote("not localized: " + e.getMessage());
        }
        if (localizer.isEmpty()) {
            return report.withNote("not localized: the reference interpreter is not installed");
        }
        Path dir;
        try {
            dir = files.get();
        } catch (UncheckedIOException e) {
            return report.withNote("not localized: " + e.getCause().getMessage());
        }
        return localizer
                .get()
                .localize(
                        report,
                        dir,
                        request.nnefModel(),
                        inputs,
                        torchValues,
                        request.approximation(),
                        work,
                        child);
    }

    /**
     * The model's files as a directory: an archive is extracted into the work directory on first
     * use, because the interpreter reads a directory's tensors lazily from their files but would
     * hold every tensor of an archive in memory. Extraction is bounded by a disk budget ({@code
     * torch2nnef.limit.nnefExtractBytes}, free space); a refusal is an {@link UncheckedIOException}
     * naming {@code archive!entry}, thrown again on every later use.
     */
    private static final class ModelFiles {
        private final Path model;
        private final Path work;
        private Path files;
        private UncheckedIOException refused;

        ModelFiles(Path model, Path work) {
            this.model = model;
            this.work = work;
        }

        /**
         * {@code report} naming the archive's entries ({@code model.nnef.tgz!w.dat}) rather than
         * their extracted copies, which are gone once the check ends.
         */
        CheckReport inArchiveTerms(CheckReport report) {
            if (files == null || files.equals(model)) {
                return report;
            }
            String extracted = files.toString();
            String m =
                    report.message()
                            .replace(extracted + files.getFileSystem().getSeparator(), model + "!")
                            .replace(extracted, model.toString());
            return report.withMessage(m);
        }

        synchronized Path get() {
            if (refused != null) {
                throw refused;
            }
            if (files == null) {
                files = Files.isDirectory(model) ? model : extracted();
            }
            return files;
        }

        private Path extracted() {
            try {
                Path dir = Files.createTempDirectory(work, EXTRACTED_MODEL);
                Files.delete(dir); // extract() creates it atomically when everything was extracted
                NnefArchiveReader.extract(model, dir);
                return dir;
            } catch (IOException e) {
                // the reader's refusals name archive!entry; the disk's errors name our copy
                refused =
                        new UncheckedIOException(
                                e instanceof NnefFormatException
                                        ? (NnefFormatException) e
                                        : new IOException(
                                                model
                                                        + ": cannot extract it for the reference"
                                                        + " interpreter: "
                                                        + e.getMessage(),
                                                e));
                throw refused;
            }
        }
    }

    /** Which checker runs, and why: for {@code auto}, tract when it is found. */
    private CheckerChoice choose(CheckRequest request) {
        if (request.mode() != CheckerMode.AUTO) {
            return new CheckerChoice(
                    request.mode().cliName(), prepare(request.mode(), request), "");
        }
        Checker.Preparation tract = prepare(CheckerMode.TRACT, request);
        if (tract instanceof Checker.Ready ready) {
            return new CheckerChoice(CheckerMode.TRACT.cliName(), tract, "auto: " + ready.found());
        }
        Optional<String> notInstalled = ((Checker.Unavailable) tract).notInstalled();
        if (notInstalled.isEmpty() || request.pulse().isPresent()) {
            // only tract streams: no fallback for a pulsed check
            // e.g. an explicit --tract that does not work: a mistake to report, not to route around
            return new CheckerChoice(CheckerMode.TRACT.cliName(), tract, "");
        }
        return new CheckerChoice(
                CheckerMode.REFERENCE.cliName(),
                prepare(CheckerMode.REFERENCE, request),
                "auto: " + notInstalled.get() + ", ran the built-in reference interpreter");
    }

    private Checker.Preparation prepare(CheckerMode mode, CheckRequest request) {
        return checkers.stream()
                .filter(c -> c.mode() == mode)
                .findFirst()
                .map(c -> c.prepare(request))
                .orElseGet(
                        () ->
                                new Checker.Unavailable(
                                        "the " + mode.cliName() + " checker is not installed",
                                        Optional.of(mode.cliName() + " checker not installed")));
    }

    /**
     * The chosen checker.
     *
     * @param checker its report name
     * @param preparation whether and how it runs
     * @param why the auto-selection note, empty when the user chose
     */
    private record CheckerChoice(String checker, Checker.Preparation preparation, String why) {}

    private static List<HostTensor> inputs(CheckRequest request, NnefSignature signature)
            throws IOException {
        if (request.inputsNpz().isPresent()) {
            if (!request.inputShapes().isEmpty()) {
                throw new IllegalArgumentException(
                        "give either --inputs-npz or --input shapes, not both");
            }
            Path npz = request.inputsNpz().get();
            try {
                return TorchReferenceRequest.inputsFromNpz(npz, signature.inputNames());
            } catch (FileSystemException e) { // the JDK's message is the bare path
                throw new IOException("--inputs-npz " + IoMessages.describe(npz, e), e);
            } catch (IOException e) { // the message names the file
                throw new IOException("--inputs-npz " + e.getMessage(), e);
            }
        }
        List<InputSpec> specs = signature.resolveShapes(request.inputShapes());
        try {
            return List.copyOf(SeededInputs.generate(specs, request.seed()).tensors());
        } catch (IllegalArgumentException e) { // the shapes are the model's, or given for it
            throw new IllegalArgumentException(request.nnefModel() + ": " + e.getMessage(), e);
        }
    }

    private static TensorBundle named(List<HostTensor> inputs) {
        TensorBundle b = new TensorBundle("torch's inputs");
        inputs.forEach(b::add);
        return b;
    }

    private static TensorBundle inputsOf(TorchReferenceResult torch, NnefSignature signature) {
        TensorBundle b = new TensorBundle(torch.io().source());
        signature.inputNames().forEach(n -> b.add(torch.io().get(n)));
        return b;
    }

    /** The reader's message, which names the file and entry; the file when it has none. */
    private static String modelRefused(Path model, Throwable e) {
        if (e instanceof NoSuchFileException) {
            return model + ": NNEF model not found";
        }
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return model + ": not a readable NNEF model (" + e.getClass().getSimpleName() + ")";
        }
        return message.contains(model.toString()) ? message : model + ": " + message;
    }

    /** {@link #finish} for a check that stopped before torch ran: the report is still written. */
    private CheckReport finishEarly(CheckRequest request, CheckReport report) {
        return finish(request, report, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Writes the JSON report and, unless the check passed, the debug bundle. */
    private CheckReport finish(
            CheckRequest request,
            CheckReport report,
            Optional<Path> io,
            Optional<String> libtorch,
            Optional<String> tract) {
        Optional<String> djl = torchRunner.map(TorchRunner::djlVersion);
        CheckReport out = report;
        if (report.verdict() != ExitCode.EQUAL && request.debugBundle().isPresent()) {
            out = writeBundle(request, out, io, Versions.collect(djl, libtorch, tract));
        }
        if (request.reportJson().isPresent()) {
            try {
                Path target = request.reportJson().get();
                if (target.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(target.toAbsolutePath().getParent());
                }
                out.writeJson(target);
            } catch (IOException e) {
                CheckReport noted = out.withNote("JSON report not written: " + e.getMessage());
                // A CI step reading the report must not take a missing file for a pass.
                out =
                        noted.verdict() == ExitCode.EQUAL
                                ? noted.withVerdict(ExitCode.USAGE_OR_INPUT_ERROR)
                                : noted;
            }
        }
        return out;
    }

    private static CheckReport writeBundle(
            CheckRequest request,
            CheckReport report,
            Optional<Path> io,
            Map<String, String> versions) {
        if (io.isEmpty()) {
            return report.withNote(
                    "no debug bundle: the check stopped before the io bundle existed");
        }
        String checkerOutput =
                report.checkerOutput().isEmpty() ? report.toConsoleTable() : report.checkerOutput();
        // In-process checkers have no command line; run.sh re-runs the same check instead.
        List<String> command =
                !report.command().isEmpty()
                        ? report.command()
                        : List.of(
                                DebugBundleWriter.TORCH2NNEF,
                                "check",
                                request.torchScript().toAbsolutePath().toString(),
                                request.nnefModel().toAbsolutePath().toString(),
                                "--inputs-npz",
                                io.get().toAbsolutePath().toString(),
                                "--checker",
                                report.checker(),
                                "--approx",
                                report.approximation());
        try {
            Path target =
                    DebugBundleWriter.write(
                            new DebugBundleContent(
                                    request.nnefModel(),
                                    io.get(),
                                    command,
                                    checkerOutput,
                                    versions,
                                    request.exportLog(),
                                    Optional.of(request.torchScript())),
                            request.debugBundle().get());
            return report.withNote("debug bundle written to " + target);
        } catch (IOException | UncheckedIOException e) {
            return report.withNote("debug bundle not written: " + e.getMessage());
        }
    }

    private static CheckReport failure(
            String checker, CheckRequest request, ExitCode code, String message) {
        return new CheckReport(
                checker,
                "unknown",
                request.approximation().cliName(),
                List.of(),
                code,
                message,
                "",
                List.of());
    }
}
