package org.torch2nnef.zoo;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractLocator;

/**
 * Generates {@code docs/model-zoo.md}: runs every zoo model through {@link ZooRunner} (the
 * reference check, and tract's where {@code TRACT_BIN} or PATH has one) and writes {@link
 * ZooMarkdown}'s report. Run by {@code bin/zoo-report} from the repository root:
 *
 * <pre>{@code ZooReport [ZOO_DIR [OUT [VERDICTS]]]
 *   # defaults: samples/zoo docs/model-zoo.md cli/target/zoo-verdicts.json}</pre>
 *
 * <p>{@code ZooReport --ops-only [ZOO_DIR [OUT]]} rewrites only the report's op sections from the
 * registry and the zoo's census, keeping the model table and its verdicts: what a new op needs,
 * with no model to run and no tract at hand.
 *
 * <p>VERDICTS receives the actual verdicts in the form of {@code expected.json}, to diff with it
 * when updating the expectations. Exit codes: 0 written (verdicts that do not meet {@code
 * expected.json} are listed on stderr, for the suite to fail on), 2 bad arguments or a model
 * archive missing.
 */
public final class ZooReport {
    /** The report's path from the repository root. */
    public static final String DOCS = "docs/model-zoo.md";

    /** Where the actual verdicts go by default, from the repository root. */
    public static final String VERDICTS = "cli/target/zoo-verdicts.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ZooReport() {}

    /** See the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--ops-only")) {
            Path zoo = Path.of(args.length > 1 ? args[1] : "samples/zoo");
            Path out = Path.of(args.length > 2 ? args[2] : DOCS);
            ZooOpTable ops = new ZooOpTable(ZooManifest.read(zoo));
            Files.writeString(out, ZooMarkdown.withOpSections(Files.readString(out), ops));
            return;
        }
        if (args.length > 3) {
            System.err.println(
                    "usage: ZooReport [ZOO_DIR [OUT [VERDICTS]]]  (defaults: samples/zoo "
                            + DOCS
                            + " "
                            + VERDICTS
                            + ")");
            System.exit(2);
        }
        Path zoo = Path.of(args.length > 0 ? args[0] : "samples/zoo");
        Path out = Path.of(args.length > 1 ? args[1] : DOCS);
        Path verdicts = Path.of(args.length > 2 ? args[2] : VERDICTS);
        ZooManifest manifest = ZooManifest.read(zoo);
        ZooExpectations expectations = ZooExpectations.read(zoo);
        List<String> missing =
                manifest.models().stream()
                        .filter(m -> !Files.exists(m.archive()))
                        .map(m -> m.archive().toString())
                        .toList();
        if (!missing.isEmpty()) {
            System.err.println(
                    "zoo-report: missing archives "
                            + missing
                            + "; run /usr/bin/python3 samples/zoo/generate_zoo.py");
            System.exit(2);
        }
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        Path work = Files.createTempDirectory("zoo-report");
        List<ZooOutcome> outcomes = new ArrayList<>();
        List<String> unmet = new ArrayList<>();
        ZooRunner runner = new ZooRunner(zoo, work, tract);
        try {
            for (ZooModel m : manifest.models()) {
                ZooOutcome o = runner.run(m);
                outcomes.add(o);
                for (CheckerMode c : runner.checkers()) {
                    String expected =
                            expectations.of(m.name()).map(e -> e.of(c)).orElse("(not listed)");
                    System.err.printf("%-24s %-9s %s%n", m.name(), c.cliName(), o.verdict(c));
                    if (!ZooExpectations.meets(o.verdict(c), expected)) {
                        unmet.add(m.name() + " " + c.cliName() + ": expected '" + expected + "'");
                    }
                }
                deleteExport(o);
            }
            String setting =
                    "Reference: libtorch "
                            + Engine.getEngine("PyTorch").getVersion()
                            + " through DJL; checkers: the reference interpreter"
                            + tract.map(
                                            t ->
                                                    " and tract "
                                                            + t.version()
                                                            + " ("
                                                            + t.foundVia()
                                                            + ")")
                                    .orElse(" (no tract found: tract not run)")
                            + ".";
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.createDirectories(verdicts.toAbsolutePath().getParent());
            Files.writeString(verdicts, verdictsJson(outcomes, runner.checkers()));
            Files.writeString(
                    out,
                    ZooMarkdown.render(
                            manifest,
                            outcomes,
                            runner.checkers(),
                            setting,
                            new ZooOpTable(manifest)));
        } finally {
            deleteTree(work);
        }
        System.err.println("zoo-report: wrote " + out + " and " + verdicts);
        if (!unmet.isEmpty()) {
            System.err.println(
                    "zoo-report: verdicts not meeting "
                            + expectations.file()
                            + " (the zoo"
                            + " suite fails on these):");
            unmet.forEach(u -> System.err.println("  " + u));
        }
    }

    /** The verdicts as {@code expected.json} spells them: one string when the checkers agree. */
    static String verdictsJson(List<ZooOutcome> outcomes, List<CheckerMode> checkers)
            throws IOException {
        ObjectNode root = JSON.createObjectNode();
        for (ZooOutcome o : outcomes) {
            List<String> each = checkers.stream().map(o::verdict).toList();
            if (each.stream().distinct().count() == 1) {
                root.put(o.model().name(), each.get(0));
            } else {
                ObjectNode byChecker = root.putObject(o.model().name());
                checkers.forEach(c -> byChecker.put(c.cliName(), o.verdict(c)));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /** Archives of big models are not kept while the others run. */
    private static void deleteExport(ZooOutcome o) throws IOException {
        if (o.export().exported()) {
            Files.deleteIfExists(o.export().archive());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
