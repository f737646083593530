package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.TractChecker;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.nnef.io.ScratchNames;

/** A failing check names archive entries, not its scratch copies, and leaves no scratch behind. */
class CheckScratchTest {
    @TempDir Path tmp;

    @Test
    void aBadEntryIsNamedInTheArchiveAndTheWorkDirectoryIsRemoved() throws IOException {
        Path dir = HandWrittenModels.write("tiny_conv", "tiny_conv_weights.npz", tmp.resolve("d"));
        Path weight = dir.resolve("conv.weight.dat");
        byte[] bytes = Files.readAllBytes(weight);
        Files.write(weight, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        Path tgz = tgz(dir, tmp.resolve("tiny_conv.nnef.tgz"));
        CheckRunner reference =
                new CheckRunner(
                        List.of(
                                new TractChecker(new TractLocator(Map.of())),
                                new ReferenceChecker()));
        CheckReport r =
                reference.check(
                        CheckRequest.builder(
                                        HandWrittenModels.resource(
                                                "tiny_conv.pt", tmp.resolve("r")),
                                        tgz)
                                .mode(CheckerMode.REFERENCE)
                                .build());
        assertEquals(2, r.exitCode(), r.toConsoleTable());
        assertTrue(
                r.message().contains(tgz + "!conv.weight.dat: entry has " + (bytes.length - 4)),
                r.message());
        assertFalse(r.message().contains(CheckRunner.WORK_DIR_PREFIX), r.message());
        assertEquals(List.of(), ourWorkDirs());
    }

    @Test
    void foldersLeftByAKilledCheckAreRemovedByTheNextOne() throws Exception {
        Path tmpdir = Path.of(System.getProperty("java.io.tmpdir"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        List<Path> debris = new ArrayList<>();
        for (String base : List.of(CheckRunner.WORK_DIR_PREFIX, "torch2nnef-torch")) {
            String name =
                    ScratchNames.fresh(base)
                            .replace(
                                    "-" + ProcessHandle.current().pid() + "-",
                                    "-" + gone.pid() + "-");
            debris.add(Files.createDirectories(tmpdir.resolve(name).resolve("model")).getParent());
        }
        Path model =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        CheckReport r =
                new CheckRunner(List.of(new ReferenceChecker()))
                        .isolatingTorch(pt -> {})
                        .check(
                                CheckRequest.builder(
                                                HandWrittenModels.resource(
                                                        "tiny_tuple.pt", tmp.resolve("r")),
                                                model)
                                        .mode(CheckerMode.REFERENCE)
                                        .build());
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        for (Path d : debris) {
            assertFalse(Files.exists(d), d + " is left");
        }
        assertEquals(List.of(), ourWorkDirs());
    }

    /** Work directories of this process left in the temporary directory. */
    static List<Path> ourWorkDirs() throws IOException {
        String ours = "-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(
                            p -> {
                                String n = p.getFileName().toString();
                                return n.startsWith(CheckRunner.WORK_DIR_PREFIX)
                                        && n.contains(ours);
                            })
                    .toList();
        }
    }

    private static Path tgz(Path dir, Path target) throws IOException {
        try (OutputStream out = Files.newOutputStream(target);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            HandWrittenModels.putFiles(tar, dir);
        }
        return target;
    }
}
