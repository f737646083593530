package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.HandWrittenModels;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.io.DatWriter;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import picocli.CommandLine;

/**
 * {@code check} reads an untrusted TorchScript with our reader before libtorch sees it, and runs
 * libtorch in a capped child process whose failure is exit code 3 with the JSON report written.
 */
class CheckIsolationTest {
    private static final String MEMORY = "torch2nnef.limit.torchMemory";
    private static final String EXTRACT = "torch2nnef.limit.nnefExtractBytes";

    @TempDir Path tmp;

    private record Run(int code, String out) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Torch2Nnef.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        return new Run(cl.execute(args), out.toString());
    }

    /** {@code check PT NNEF --checker reference --report JSON} with {@code property} set. */
    private static Run runWith(String property, String value, String pt, String nnef, Path json) {
        System.setProperty(property, value);
        try {
            return run("check", pt, nnef, "--checker", "reference", "--report", json.toString());
        } finally {
            System.clearProperty(property);
        }
    }

    private String tupleModel() throws IOException {
        return HandWrittenModels.write("tiny_tuple", "tiny_tuple_weights.npz", tmp.resolve("m"))
                .toString();
    }

    /** A TorchScript zip whose data.pkl is a list nested {@code depth} deep (crashed libtorch). */
    private Path nestedListPickle(int depth) throws IOException {
        byte[] pickle = new byte[2 + depth + (depth - 1) + 1];
        int i = 0;
        pickle[i++] = (byte) 0x80; // PROTO 2
        pickle[i++] = 2;
        for (int d = 0; d < depth; d++) {
            pickle[i++] = ']'; // EMPTY_LIST
        }
        for (int d = 1; d < depth; d++) {
            pickle[i++] = 'a'; // APPEND: each list into the one below it
        }
        pickle[i] = '.'; // STOP
        Path pt = tmp.resolve("nested.pt");
        try (OutputStream o = Files.newOutputStream(pt);
                ZipOutputStream zip = new ZipOutputStream(o)) {
            zip.putNextEntry(new ZipEntry("nested/version"));
            zip.write("3\n".getBytes(StandardCharsets.US_ASCII));
            zip.putNextEntry(new ZipEntry("nested/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        return pt;
    }

    @Test
    void aTorchScriptOurReaderRefusesIsExitTwoBeforeLibtorchWithTheReportWritten()
            throws IOException {
        Path pt = nestedListPickle(100_000);
        Path json = tmp.resolve("report.json");
        Run r =
                run(
                        "check",
                        pt.toString(),
                        tupleModel(),
                        "--checker",
                        "reference",
                        "--report",
                        json.toString());
        assertEquals(2, r.code(), r.out());
        CheckReport report = CheckReport.readJson(json);
        assertEquals(2, report.exitCode());
        assertTrue(report.message().startsWith(pt.toString()), report.message());
        assertFalse(report.message().contains("libtorch"), report.message());
        assertFalse(r.out().contains("\tat "), r.out());
    }

    @Test
    void aTorchChildThatCannotLiveUnderItsMemoryCapIsExitThreeWithTheReportWritten()
            throws IOException {
        Path pt = HandWrittenModels.resource("tiny_tuple.pt", tmp.resolve("res"));
        Path json = tmp.resolve("report.json");
        Run r = runWith(MEMORY, "32m", pt.toString(), tupleModel(), json);
        assertEquals(3, r.code(), r.out());
        CheckReport report = CheckReport.readJson(json);
        assertEquals(3, report.exitCode());
        assertTrue(
                report.message()
                        .startsWith(
                                pt + ": the torch reference run (libtorch, in a child process)"),
                report.message());
        assertTrue(report.message().contains("memory 32m"), report.message());
    }

    /**
     * The tiny_tuple model as a tgz with one more entry, {@code zeros.dat}: 96 MiB of zeros that
     * gzip makes about a hundred kilobytes.
     */
    private Path tupleTgzWithZeros() throws IOException {
        Path dir = Path.of(tupleModel());
        Path tgz = tmp.resolve("zeros.nnef.tgz");
        TensorData zeros =
                TensorData.lazy(
                        ItemType.FLOAT32,
                        new long[] {24 << 20},
                        out -> {
                            byte[] chunk = new byte[1 << 20];
                            for (int i = 0; i < 96; i++) {
                                out.write(chunk);
                            }
                        });
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tgz));
                TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            HandWrittenModels.putFiles(tar, dir);
            TarArchiveEntry e = new TarArchiveEntry("zeros.dat");
            e.setSize(DatWriter.fileSize(zeros));
            tar.putArchiveEntry(e);
            DatWriter.write(zeros, tar, "zeros.dat");
            tar.closeArchiveEntry();
        }
        assertTrue(Files.size(tgz) < 1 << 20, "the archive is small: " + Files.size(tgz));
        return tgz;
    }

    @Test
    void anArchiveExtractingPastTheDiskBudgetIsExitTwoNamingTheEntryAndTheKnob()
            throws IOException {
        Path pt = HandWrittenModels.resource("tiny_tuple.pt", tmp.resolve("res"));
        Path tgz = tupleTgzWithZeros();
        Path json = tmp.resolve("report.json");
        Run r = runWith(EXTRACT, String.valueOf(64 << 20), pt.toString(), tgz.toString(), json);
        assertEquals(2, r.code(), r.out());
        CheckReport report = CheckReport.readJson(json);
        assertEquals(2, report.exitCode());
        assertEquals(
                tgz
                        + "!zeros.dat: extracting the model needs more than 67108864 bytes of disk"
                        + " (limit 67108864, raise with -Dtorch2nnef.limit.nnefExtractBytes=N)",
                report.message());
        assertFalse(r.out().contains("\tat "), r.out());
        // and under the default budget the same archive is extracted and checked
        r = run("check", pt.toString(), tgz.toString(), "--checker", "reference");
        assertEquals(0, r.code(), r.out());
    }
}
