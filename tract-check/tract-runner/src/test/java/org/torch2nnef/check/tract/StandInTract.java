package org.torch2nnef.check.tract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a STAND-IN {@code tract}: a shell script, not tract. It answers {@code --version} with the
 * version chosen, records its arguments one per line, copies a prepared npz to the {@code
 * --save-outputs-npz} path if one is given, prints the chosen text and exits with the chosen code.
 * Tests using it check only the command line we build and how we read exit codes and output, never
 * tract's behaviour.
 */
public final class StandInTract {
    /** The script. */
    public final Path executable;

    final Path argsFile;

    private StandInTract(Path executable, Path argsFile) {
        this.executable = executable;
        this.argsFile = argsFile;
    }

    /** Writes the script into {@code dir}; see the class comment. */
    public static StandInTract write(
            Path dir,
            String version,
            String output,
            int exitCode,
            Path savedOutputs,
            int sleepSeconds)
            throws IOException {
        Files.createDirectories(dir);
        Path exe = dir.resolve("tract");
        Path args = dir.resolve("argv.txt");
        String script =
                "#!/bin/sh\n"
                        + "if [ \"$1\" = --version ]; then echo 'tract "
                        + version
                        + "'; exit 0; fi\n"
                        + "printf '%s\\n' \"$@\" > '"
                        + args
                        + "'\n"
                        + "prev=\n"
                        + "for a in \"$@\"; do\n"
                        + "  if [ \"$prev\" = --save-outputs-npz ] && [ -n '"
                        + (savedOutputs == null ? "" : savedOutputs)
                        + "' ]; then cp '"
                        + savedOutputs
                        + "' \"$a\"; fi\n"
                        + "  prev=$a\n"
                        + "done\n"
                        + (sleepSeconds > 0 ? "sleep " + sleepSeconds + "\n" : "")
                        + "cat <<'EOF_OUTPUT'\n"
                        + output
                        + "\nEOF_OUTPUT\n"
                        + "exit "
                        + exitCode
                        + "\n";
        Files.writeString(exe, script);
        if (!exe.toFile().setExecutable(true)) {
            throw new IOException("cannot chmod " + exe);
        }
        return new StandInTract(exe, args);
    }

    /** The arguments of the last run, one per element. */
    public List<String> recordedArgs() throws IOException {
        return Files.readAllLines(argsFile);
    }
}
