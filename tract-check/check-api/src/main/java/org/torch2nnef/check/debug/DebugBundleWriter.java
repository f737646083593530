package org.torch2nnef.check.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes a debug bundle ({@code --debug-bundle DIR|FILE.tgz}): {@code model/} (a copy of the
 * exported model), {@code io.npz}, {@code run.sh} (the checker command, runnable from the bundle),
 * {@code checker-output.txt}, {@code versions.txt}, {@code export.log} and, when given, {@code
 * torch/} (the TorchScript model).
 */
public final class DebugBundleWriter {
    /** Entry names inside the bundle. */
    public static final String MODEL_DIR = "model";

    /** The io bundle copy. */
    public static final String IO = "io.npz";

    /** The runnable checker command. */
    public static final String RUN = "run.sh";

    /** The checker's captured output. */
    public static final String CHECKER_OUTPUT = "checker-output.txt";

    /** Version lines. */
    public static final String VERSIONS = "versions.txt";

    /** The exporter log. */
    public static final String EXPORT_LOG = "export.log";

    /** The TorchScript model's directory. */
    public static final String TORCH_DIR = "torch";

    /** The program name of our own command line in a checker command. */
    public static final String TORCH2NNEF = "torch2nnef";

    private DebugBundleWriter() {}

    /**
     * Writes {@code content} to {@code target}: a {@code .tgz} / {@code .tar.gz} archive when the
     * name says so, otherwise a directory (created if needed, existing entries overwritten).
     *
     * @return {@code target}
     * @throws IOException naming the file that could not be read or written
     */
    public static Path write(DebugBundleContent content, Path target) throws IOException {
        if (!Files.exists(content.model())) {
            throw new IOException(content.model() + ": model to bundle not found");
        }
        if (!Files.isRegularFile(content.ioBundle())) {
            throw new IOException(content.ioBundle() + ": io bundle to bundle not found");
        }
        String name = target.getFileName().toString();
        boolean archive = name.endsWith(".tgz") || name.endsWith(".tar.gz");
        String top = name.replaceFirst("\\.(tgz|tar\\.gz)$", "");
        try (BundleSink sink = archive ? new TarGzSink(target, top) : new DirectorySink(target)) {
            String modelEntry = MODEL_DIR + "/" + content.model().getFileName();
            addModel(sink, content.model(), modelEntry);
            sink.addFile(IO, content.ioBundle());
            if (content.torchScript().isPresent()) {
                sink.addFile(torchEntry(content.torchScript().get()), content.torchScript().get());
            }
            if (!content.checkerCommand().isEmpty()) {
                sink.addText(RUN, runScript(content, modelEntry), true);
            }
            sink.addText(CHECKER_OUTPUT, content.checkerOutput(), false);
            sink.addText(VERSIONS, versionLines(content.versions()), false);
            sink.addText(EXPORT_LOG, content.exportLog(), false);
        }
        return target;
    }

    private static void addModel(BundleSink sink, Path model, String entry) throws IOException {
        if (!Files.isDirectory(model)) {
            sink.addFile(entry, model);
            return;
        }
        // regular files only, links never followed: a link to /etc/passwd planted in the model
        // directory must not end up in a bundle that CI uploads as an artifact
        Path root = model.toRealPath(); // the directory the user named, even through a link
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files =
                    walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                            .sorted()
                            .toList();
        }
        for (Path f : files) {
            sink.addFile(entry + "/" + root.relativize(f).toString().replace('\\', '/'), f);
        }
    }

    private static String torchEntry(Path torchScript) {
        return TORCH_DIR + "/" + torchScript.getFileName();
    }

    /**
     * The original command as a comment, then the same command pointed at the bundle's copies: the
     * model, io and TorchScript arguments become the copies, other absolute paths (outputs tract
     * writes) land in the bundle directory, and {@code TRACT_BIN} ({@code TORCH2NNEF} for a {@code
     * torch2nnef} command) may override the executable.
     */
    static String runScript(DebugBundleContent content, String modelEntry) {
        List<String> cmd = content.checkerCommand();
        String model = content.model().toString();
        String modelAbs = content.model().toAbsolutePath().toString();
        String io = content.ioBundle().toString();
        String ioAbs = content.ioBundle().toAbsolutePath().toString();
        Optional<Path> torch = content.torchScript();
        List<String> local = new ArrayList<>();
        for (String arg : cmd.subList(1, cmd.size())) {
            if (torch.isPresent()
                    && (arg.equals(torch.get().toString())
                            || arg.equals(torch.get().toAbsolutePath().toString()))) {
                local.add(quote(torchEntry(torch.get())));
            } else if (arg.equals(model) || arg.equals(modelAbs)) {
                local.add(quote(modelEntry));
            } else if (arg.equals(io) || arg.equals(ioAbs)) {
                local.add(quote(IO));
            } else if (arg.startsWith("/")) {
                local.add(quote(Path.of(arg).getFileName().toString()));
            } else {
                local.add(quote(arg));
            }
        }
        boolean ours = Path.of(cmd.get(0)).getFileName().toString().equals(TORCH2NNEF);
        return "#!/bin/sh\n"
                + "# Re-runs the failed check on this bundle's copies. Original command:\n"
                + "#   "
                + String.join(" ", cmd.stream().map(DebugBundleWriter::quote).toList())
                + "\n"
                + "cd \"$(dirname \"$0\")\" || exit 2\n"
                + "exec \"${"
                + (ours ? "TORCH2NNEF" : "TRACT_BIN")
                + ":-"
                + doubleQuoted(cmd.get(0))
                + "}\" "
                + String.join(" ", local)
                + "\n";
    }

    private static String versionLines(Map<String, String> versions) {
        StringBuilder sb = new StringBuilder();
        versions.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        return sb.toString();
    }

    /** Escapes the characters special inside POSIX double quotes. */
    private static String doubleQuoted(String s) {
        return s.replaceAll("([\\\\\"$`])", "\\\\$1");
    }

    /** POSIX shell single-quoting. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./=:,+-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
