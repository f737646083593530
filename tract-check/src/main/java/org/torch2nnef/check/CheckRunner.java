package org.torch2nnef.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.torch2nnef.check.debug.DebugBundleContent;
import org.torch2nnef.check.debug.DebugBundleWriter;
import org.torch2nnef.check.debug.Versions;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.check.torch.SeededInputs;
import org.torch2nnef.check.torch.TorchReference;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.torch.TorchReferenceResult;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractCheck;
import org.torch2nnef.check.tract.TractCheckRequest;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.check.tract.TractUnavailableException;
import org.torch2nnef.nnef.io.NnefArchiveReader;

/**
 * The check workflow behind {@code torch2nnef check} and {@code torch2nnef export --check}:
 * reads the NNEF input and output names from the written {@code graph.nnef}, runs the TorchScript
 * through DJL on the given or seeded inputs to get the reference outputs ({@code io.npz}, keyed by
 * the NNEF names, inputs mapped in order onto {@code forward}'s arguments and outputs onto its
 * flattened results), runs the chosen checker on the written model, and writes the JSON report and,
 * when the check does not pass, the debug bundle.
 *
 * <pre>{@code
 * CheckReport r = CheckRunner.run(CheckRequest.builder(pt, nnefTgz)
 *     .mode(CheckerMode.AUTO).debugBundle(Path.of("failure.tgz")).build());
 * System.out.print(r.toConsoleTable());
 * System.exit(r.exitCode());
 * }</pre>
 *
 * <p>Never throws for bad input or checker trouble: the report's verdict and message say what
 * happened (exit codes 0 equal, 1 outputs differ, 2 usage or input error, 3 checker unavailable
 * or crashed).
 */
public final class CheckRunner {
  /** The io bundle's file name in the work directory and the debug bundle. */
  public static final String IO_NPZ = "io.npz";
  /** Where an archived model is extracted in the work directory for the interpreter. */
  static final String EXTRACTED_MODEL = "model";

  private final TractLocator locator;

  /** A runner locating tract through the process environment ({@code TRACT_BIN}, PATH). */
  public CheckRunner() {
    this(new TractLocator());
  }

  /** A runner locating tract with {@code locator}. */
  public CheckRunner(TractLocator locator) {
    this.locator = locator;
  }

  /** Runs {@code request} with tract located through the process environment. */
  public static CheckReport run(CheckRequest request) {
    return new CheckRunner().check(request);
  }

  /** Runs {@code request}; see the class comment. */
  public CheckReport check(CheckRequest request) {
    Path work;
    boolean temporary = request.workDir().isEmpty();
    try {
      work = temporary ? Files.createTempDirectory("torch2nnef-check")
          : Files.createDirectories(request.workDir().get());
    } catch (IOException e) {
      return failure(request.mode().cliName(), request, ExitCode.USAGE_OR_INPUT_ERROR,
          "cannot create the work directory: " + e.getMessage());
    }
    try {
      return checkIn(request, work);
    } finally {
      if (temporary) {
        deleteTree(work);
      }
    }
  }

  private CheckReport checkIn(CheckRequest request, Path work) {
    CheckerChoice choice = choose(request);
    if (choice.unavailable() != null) {
      return failure(choice.checker(), request, ExitCode.CHECKER_UNAVAILABLE, choice.unavailable())
          .withSelection(choice.why());
    }
    NnefSignature signature;
    TorchReferenceResult torch;
    Path io = work.resolve(IO_NPZ);
    try {
      signature = NnefSignature.read(request.nnefModel());
      torch = TorchReference.run(new TorchReferenceRequest(request.torchScript(),
          inputs(request, signature), signature.outputs()));
      Npz.write(torch.io(), io);
    } catch (IOException | IllegalArgumentException e) {
      return finish(request, failure(choice.checker(), request, ExitCode.USAGE_OR_INPUT_ERROR,
          e.getMessage()).withSelection(choice.why()), Optional.empty(), Optional.empty(),
          Optional.empty());
    }
    ModelFiles files = new ModelFiles(request.nnefModel(), work);
    CheckReport report;
    if (choice.tract() != null) {
      report = new TractCheck(locator).check(new TractCheckRequest(request.nnefModel(), io,
          signature.outputs(), request.approximation(), signature.tractExtra(), request.tract(),
          request.timeout(), work));
      ModelTarget target = ModelTarget.resolve(request.tractTarget(), signature.properties());
      report = report.withTractTarget(target.describe(), target.warnings(choice.tract().version()));
    } else {
      report = ReferenceCheck.run(files.get(), request.nnefModel(), torch.io(), signature,
          request.approximation());
    }
    report = report.withSelection(choice.why());
    if (report.verdict() == ExitCode.OUTPUTS_DIFFER) {
      report = localize(request, report, inputsOf(torch, signature), files);
    }
    Optional<String> tractVersion = choice.tract() == null ? Optional.empty()
        : Optional.of(choice.tract().version().toString());
    return finish(request, report, Optional.of(io), Optional.of(torch.libtorchVersion()),
        tractVersion);
  }

  /** Names the first diverging tensor when torch's intermediate values were provided. */
  private static CheckReport localize(CheckRequest request, CheckReport report,
      TensorBundle inputs, ModelFiles files) {
    TensorBundle torchValues;
    try {
      if (request.torchIntermediates().isPresent()) {
        torchValues = Npz.read(request.torchIntermediates().get());
      } else if (request.torchProbe().isPresent()) {
        TorchProbe probe = request.torchProbe().get();
        TorchReferenceResult r = TorchReference.run(new TorchReferenceRequest(
            probe.torchScript(), List.copyOf(inputs.tensors()), probe.nnefNames()));
        torchValues = new TensorBundle("torch probe " + probe.torchScript());
        r.outputs().forEach(torchValues::add);
      } else {
        return report;
      }
    } catch (IOException | IllegalArgumentException e) {
      return report.withNote("not localized: " + e.getMessage());
    }
    return Localizer.localize(report, files.get(), request.nnefModel(), inputs, torchValues,
        request.approximation());
  }

  /**
   * The model's files as a directory: an archive is extracted into the work directory on first
   * use, because the interpreter reads a directory's tensors lazily from their files but would
   * hold every tensor of an archive in memory. When extraction fails the archive itself is
   * returned, and reading it reports the problem.
   */
  private static final class ModelFiles {
    private final Path model;
    private final Path work;
    private Path files;

    ModelFiles(Path model, Path work) {
      this.model = model;
      this.work = work;
    }

    Path get() {
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
        return model;
      }
    }
  }

  /** Which checker runs, and why: for {@code auto}, tract when it is found. */
  private CheckerChoice choose(CheckRequest request) {
    switch (request.mode()) {
      case REFERENCE:
        return new CheckerChoice(ReferenceCheck.CHECKER, null, null, "");
      case TRACT:
        try {
          return new CheckerChoice(TractCheck.CHECKER, locator.locate(request.tract()), null, "");
        } catch (TractUnavailableException e) {
          return new CheckerChoice(TractCheck.CHECKER, null, e.getMessage(), "");
        }
      default:
        Optional<TractBinary> found = locator.find(request.tract());
        if (found.isPresent()) {
          return new CheckerChoice(TractCheck.CHECKER, found.get(), null, "auto: tract "
              + found.get().version() + " found via " + found.get().foundVia());
        }
        if (request.tract().isPresent()) {
          // An explicit --tract that does not work is a mistake to report, not to route around.
          try {
            locator.locate(request.tract());
          } catch (TractUnavailableException e) {
            return new CheckerChoice(TractCheck.CHECKER, null, e.getMessage(), "");
          }
        }
        return new CheckerChoice(ReferenceCheck.CHECKER, null, null, "auto: tract not found"
            + " (--tract, " + TractLocator.ENV + ", PATH), ran the built-in reference interpreter");
    }
  }

  /**
   * The chosen checker.
   *
   * @param checker its report name
   * @param tract the located tract when tract runs
   * @param unavailable why the requested checker cannot run, null when it can
   * @param why the auto-selection note, empty when the user chose
   */
  private record CheckerChoice(String checker, TractBinary tract, String unavailable, String why) {}

  private static List<HostTensor> inputs(CheckRequest request, NnefSignature signature)
      throws IOException {
    if (request.inputsNpz().isPresent()) {
      if (!request.inputShapes().isEmpty()) {
        throw new IllegalArgumentException("give either --inputs-npz or --input shapes, not both");
      }
      return TorchReference.inputsFromNpz(request.inputsNpz().get(), signature.inputNames());
    }
    TensorBundle seeded = SeededInputs.generate(signature.resolveShapes(request.inputShapes()),
        request.seed());
    return List.copyOf(seeded.tensors());
  }

  private static TensorBundle inputsOf(TorchReferenceResult torch, NnefSignature signature) {
    TensorBundle b = new TensorBundle(torch.io().source());
    signature.inputNames().forEach(n -> b.add(torch.io().get(n)));
    return b;
  }

  /** Writes the JSON report and, unless the check passed, the debug bundle. */
  private static CheckReport finish(CheckRequest request, CheckReport report, Optional<Path> io,
      Optional<String> libtorch, Optional<String> tract) {
    CheckReport out = report;
    if (report.verdict() != ExitCode.EQUAL && request.debugBundle().isPresent()) {
      out = writeBundle(request, out, io, Versions.collect(libtorch, tract));
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
        out = noted.verdict() == ExitCode.EQUAL ? noted.withVerdict(ExitCode.USAGE_OR_INPUT_ERROR)
            : noted;
      }
    }
    return out;
  }

  private static CheckReport writeBundle(CheckRequest request, CheckReport report,
      Optional<Path> io, Map<String, String> versions) {
    if (io.isEmpty()) {
      return report.withNote("no debug bundle: the check stopped before the io bundle existed");
    }
    String checkerOutput = report.checkerOutput().isEmpty()
        ? report.toConsoleTable() : report.checkerOutput();
    // In-process checkers have no command line; run.sh re-runs the same check instead.
    List<String> command = !report.command().isEmpty() ? report.command() : List.of(
        DebugBundleWriter.TORCH2NNEF, "check", request.torchScript().toAbsolutePath().toString(),
        request.nnefModel().toAbsolutePath().toString(), "--inputs-npz",
        io.get().toAbsolutePath().toString(), "--checker", report.checker(), "--approx",
        report.approximation());
    try {
      Path target = DebugBundleWriter.write(new DebugBundleContent(request.nnefModel(), io.get(),
          command, checkerOutput, versions, request.exportLog(),
          Optional.of(request.torchScript())), request.debugBundle().get());
      return report.withNote("debug bundle written to " + target);
    } catch (IOException | UncheckedIOException e) {
      return report.withNote("debug bundle not written: " + e.getMessage());
    }
  }

  private static CheckReport failure(String checker, CheckRequest request, ExitCode code,
      String message) {
    return new CheckReport(checker, "unknown", request.approximation().cliName(), List.of(), code,
        message, "", List.of());
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the check result is what matters.
    }
  }
}
