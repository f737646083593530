package org.torch2nnef.torchscript;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the zip reader and archive opener: any bytes either open as a
 * TorchScript archive or are refused with an {@link IOException} (a {@link
 * TorchScriptFormatException} for a bad archive); any other throwable is a finding. {@code mvn
 * verify} replays the seeds in {@code TorchScriptArchiveFuzzTestInputs/openArchive}; {@code
 * JAZZER_FUZZ=1} fuzzes (CONTRIBUTING.md).
 */
class TorchScriptArchiveFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void openArchive(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("fuzz", ".pt");
        try {
            Files.write(file, bytes);
            readEveryEntry(file);
            openAndWalk(file);
        } finally {
            Files.delete(file);
        }
    }

    /** The zip layer alone: directory, local headers, inflation and sizes of every entry. */
    private static void readEveryEntry(Path file) {
        try (ZipEntries zip = ZipEntries.open(file)) {
            for (String name : zip.names()) {
                zip.readAll(name);
            }
        } catch (IOException refused) {
            // documented refusal
        }
    }

    /** The archive layer: pickles, code files, debug info and extra files it exposes. */
    private static void openAndWalk(Path file) {
        try (TorchScriptArchive archive = TorchScriptArchive.open(file)) {
            archive.root();
            archive.constants();
            archive.formatVersion();
            for (String module : archive.sourceModules()) {
                archive.source(module);
                archive.debugInfo(module);
            }
            for (String extra : archive.extraFiles()) {
                archive.extraFile(extra);
            }
        } catch (IOException refused) {
            // documented refusal
        }
    }
}
