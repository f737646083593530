package org.torch2nnef.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.tract.StandInTract;
import org.torch2nnef.check.tract.TractChecker;
import org.torch2nnef.check.tract.TractLocator;

/**
 * Every checker is handed only what our own NNEF reader accepts: an archive the reader refuses is
 * exit code 2 naming the archive and the entry, before tract (here a STAND-IN that would pass
 * anything) or the reference interpreter runs, and the JSON report is written all the same.
 */
class CheckRunnerModelValidationTest {
    @TempDir Path tmp;

    /** A tar of the valid tiny_tuple model plus {@code extra} entries (name, bytes). */
    private Path tarWith(Map<String, byte[]> replaced, Map<String, byte[]> extra)
            throws IOException {
        Path dir =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        Path tar = tmp.resolve("hostile.nnef.tar");
        try (OutputStream o = Files.newOutputStream(tar);
                TarArchiveOutputStream t = new TarArchiveOutputStream(o);
                Stream<Path> files = Files.list(dir)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                add(t, name, replaced.getOrDefault(name, Files.readAllBytes(f)));
            }
            for (Map.Entry<String, byte[]> e : extra.entrySet()) {
                add(t, e.getKey(), e.getValue());
            }
        }
        return tar;
    }

    private static void add(TarArchiveOutputStream t, String name, byte[] bytes)
            throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true); // keep '../' and leading '/'
        e.setSize(bytes.length);
        t.putArchiveEntry(e);
        t.write(bytes);
        t.closeArchiveEntry();
    }

    private CheckReport checkUnderStandInTract(Path model, StandInTract tract) throws IOException {
        CheckRunner runner =
                new CheckRunner(
                        List.of(
                                new TractChecker(
                                        new TractLocator(
                                                Map.of("TRACT_BIN", tract.executable.toString()))),
                                new ReferenceChecker()));
        Path torchScript = HandWrittenModels.resource("tiny_tuple.pt", tmp.resolve("res"));
        return runner.check(
                CheckRequest.builder(torchScript, model)
                        .reportJson(tmp.resolve("report.json"))
                        .build());
    }

    private StandInTract passingTract() throws IOException {
        return StandInTract.write(tmp.resolve("bin"), "0.21.13", "ok", 0, null, 0);
    }

    private void assertRefusedBeforeTract(CheckReport r, StandInTract tract, String head)
            throws IOException {
        assertEquals(2, r.exitCode(), r.toConsoleTable());
        assertTrue(r.message().startsWith(head), r.message());
        assertFalse(Files.exists(tmp.resolve("bin/argv.txt")), "tract must not have run");
        CheckReport written = CheckReport.readJson(tmp.resolve("report.json"));
        assertEquals(2, written.exitCode());
        assertEquals(r.message(), written.message());
    }

    @Test
    void inputsSeededPastTheTensorBudgetAreRefusedBeforeTorchOrTract() throws IOException {
        StandInTract tract = passingTract();
        Path tar = tarWith(Map.of(), Map.of());
        System.setProperty(CheckLimits.TENSOR_BYTES.property(), "16");
        CheckReport r;
        try {
            r = checkUnderStandInTract(tar, tract);
        } finally {
            System.clearProperty(CheckLimits.TENSOR_BYTES.property());
        }
        // x [2, 4] and y [2, 3], float32: 56 bytes
        assertRefusedBeforeTract(r, tract, tar + ": the seeded inputs ");
        assertTrue(
                r.message()
                        .endsWith(
                                " need 56 bytes, more than the 16 this process holds (limit 16,"
                                        + " raise with -Dtorch2nnef.limit.checkTensorBytes=N and a"
                                        + " larger -Xmx through TORCH2NNEF_JAVA_OPTS)"),
                r.message());
    }

    @Test
    void anInputsNpzPastTheTensorBudgetIsRefusedFromItsHeaders() throws IOException {
        Path tar = tarWith(Map.of(), Map.of());
        Path npz = HandWrittenModels.resource("tiny_tuple_io.npz", tmp.resolve("res"));
        System.setProperty(CheckLimits.TENSOR_BYTES.property(), "16");
        CheckReport r;
        try {
            r =
                    new CheckRunner(List.of(new ReferenceChecker()))
                            .check(
                                    CheckRequest.builder(
                                                    HandWrittenModels.resource(
                                                            "tiny_tuple.pt", tmp.resolve("res")),
                                                    tar)
                                            .mode(CheckerMode.REFERENCE)
                                            .inputsNpz(npz)
                                            .build());
        } finally {
            System.clearProperty(CheckLimits.TENSOR_BYTES.property());
        }
        assertEquals(2, r.exitCode(), r.toConsoleTable());
        // x [2, 4], y [2, 3], out_relu [2, 3], out_sum [2], float32
        assertEquals(
                "--inputs-npz "
                        + npz
                        + ": holds 88 bytes of tensors, more than the 16 this process reads"
                        + " (limit 16, raise with -Dtorch2nnef.limit.checkTensorBytes=N and a"
                        + " larger -Xmx through TORCH2NNEF_JAVA_OPTS)",
                r.message());
    }

    @Test
    void anEntryClimbingOutOfTheArchiveIsRefusedBeforeTract() throws IOException {
        StandInTract tract = passingTract();
        Path tar = tarWith(Map.of(), Map.of("../escape.dat", new byte[] {1}));
        CheckReport r = checkUnderStandInTract(tar, tract);
        assertRefusedBeforeTract(r, tract, tar.toString());
        assertTrue(r.message().contains("../escape.dat"), r.message());
    }

    @Test
    void anAbsoluteEntryIsRefusedBeforeTract() throws IOException {
        StandInTract tract = passingTract();
        Path tar = tarWith(Map.of(), Map.of("/tmp/abs.dat", new byte[] {1}));
        CheckReport r = checkUnderStandInTract(tar, tract);
        assertRefusedBeforeTract(r, tract, tar.toString());
        assertTrue(r.message().contains("/tmp/abs.dat"), r.message());
    }

    @Test
    void aDatLongerThanItsHeaderSaysIsRefusedBeforeTract() throws IOException {
        StandInTract tract = passingTract();
        Path dir =
                HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"));
        byte[] dat = Files.readAllBytes(dir.resolve("lin.bias.dat"));
        byte[] longer = Arrays.copyOf(dat, dat.length + 16);
        Path tar = tarWith(Map.of("lin.bias.dat", longer), Map.of());
        CheckReport r = checkUnderStandInTract(tar, tract);
        assertRefusedBeforeTract(
                r,
                tract,
                tar
                        + "!lin.bias.dat: entry has "
                        + longer.length
                        + " bytes, its header announces "
                        + dat.length);
    }

    @Test
    void theValidArchiveStillReachesTract() throws IOException {
        StandInTract tract = passingTract();
        CheckReport r = checkUnderStandInTract(tarWith(Map.of(), Map.of()), tract);
        assertEquals(0, r.exitCode(), r.toConsoleTable());
        assertEquals("tract", r.checker());
    }
}
