package org.torch2nnef.nnef.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Reads a model back from a directory, a tar or a gzip-compressed tar (recognised by its magic
 * bytes, whatever the name): {@code graph.nnef}, optional {@code graph.quant}, and every {@code
 * *.dat} as the tensor whose label is its path without {@code .dat}. Other files, and entries with
 * a segment starting with {@code .} (which tract skips too), are ignored.
 *
 * <p>Entries that would land outside the root ({@code ../x}, absolute paths) and links are rejected
 * with an {@link NnefFormatException} naming the entry. Tensors of a directory are read lazily from
 * their files; tensors of an archive are loaded into memory, so very large archives should be
 * {@linkplain #extract extracted} first.
 */
public final class NnefArchiveReader {
    private NnefArchiveReader() {}

    /** Reads the model at {@code path} (directory, {@code .tar} or {@code .tgz}). */
    public static NnefModel read(Path path) throws IOException {
        Limits.validate(path.toString());
        if (Files.isDirectory(path)) {
            return readDirectory(path);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    /** Reads a tar or tgz stream; {@code source} names it in errors. */
    public static NnefModel read(InputStream in, String source) throws IOException {
        return scan(in, source, true).model();
    }

    /**
     * Checks the model at {@code path} as {@link #read(Path)} does (entry names, links, duplicates,
     * every {@code .dat} header and its length, {@code graph.nnef} and {@code graph.quant}) without
     * holding tensor payloads in memory: what a checker is handed must be what this reader accepts.
     *
     * @throws NnefFormatException naming the file, and the entry for archives
     */
    public static void validate(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            readDirectory(path); // lazy: headers and sizes checked, payloads left on disk
            return;
        }
        try (InputStream in = Files.newInputStream(path)) {
            scan(in, path.toString(), false).model();
        }
    }

    /** The archive's contents, tensors loaded only when {@code loadTensors}. */
    private static Contents scan(InputStream in, String source, boolean loadTensors)
            throws IOException {
        Limits.validate(source);
        Contents c = new Contents(source);
        String where = source;
        try (TarArchiveInputStream tar = openTar(in)) {
            TarArchiveEntry entry;
            // skipping the rest of the last entry can fail too: name it
            while ((entry = nextEntry(tar, where)) != null) {
                String name = checkedName(entry, source);
                if (name == null) {
                    continue;
                }
                c.claim(name);
                where = source + "!" + name;
                if (name.equals(ArchivePaths.GRAPH_NNEF) || name.equals(ArchivePaths.GRAPH_QUANT)) {
                    c.text(name, boundedText(tar, entry.getSize(), where));
                } else if (name.endsWith(ArchivePaths.DAT_SUFFIX)) {
                    if (entry.getSize() < DatHeader.SIZE) {
                        throw new NnefFormatException(
                                where
                                        + ": entry of "
                                        + entry.getSize()
                                        + " bytes is too short for a .dat header");
                    }
                    // the size is checked before the payload is allocated: a header may announce
                    // gigabytes that the entry does not hold
                    DatHeader header = DatReader.readHeader(tar, where);
                    checkDatLength(entry.getSize(), header.dataLength(), where);
                    c.datEntry(name);
                    if (loadTensors) {
                        c.loading(header.dataLength(), where);
                        c.tensor(name, DatReader.readPayload(tar, header, where));
                    }
                }
            }
        } catch (NnefFormatException e) {
            throw e;
        } catch (IOException e) {
            throw unreadable(where, e);
        }
        return c;
    }

    /**
     * A read that failed inside an archive, naming {@code where} (the archive, or archive!entry); a
     * cut archive ends in an EOFException without a message, which would print as "null".
     */
    private static NnefFormatException unreadable(String where, IOException e) {
        String reason =
                e.getMessage() != null
                        ? e.getMessage()
                        : e instanceof EOFException
                                ? "unexpected end of data (is the archive truncated?)"
                                : e.getClass().getSimpleName();
        return new NnefFormatException(where + ": not a readable tar archive: " + reason, e);
    }

    private static void checkDatLength(long entrySize, long payloadBytes, String where)
            throws NnefFormatException {
        long announced = DatHeader.SIZE + payloadBytes;
        if (entrySize != announced) {
            throw new NnefFormatException(
                    where
                            + ": entry has "
                            + entrySize
                            + " bytes, its header announces "
                            + announced);
        }
    }

    /**
     * Extracts a tar or tgz archive into {@code targetDir}, which appears only when everything was
     * extracted (it may exist if empty or holding an earlier model). Entry names are checked as for
     * {@link #read(InputStream, String)}; payloads are streamed, not loaded. The entries' declared
     * sizes are added up before each is written and refused past {@link Limits#NNEF_EXTRACT_BYTES}
     * or past the free space of the target's file system less a {@link DiskBudget reserve}; an
     * entry delivering more than it declared is refused too.
     */
    public static void extract(Path archive, Path targetDir) throws IOException {
        String source = archive.toString();
        Limits.validate(source);
        try (InputStream in = Files.newInputStream(archive);
                TarArchiveInputStream tar = openTar(in);
                AtomicTarget out = AtomicTarget.directory(targetDir)) {
            Path root = out.temp().toRealPath();
            DiskBudget budget = DiskBudget.of(root);
            Set<String> seen = new HashSet<>();
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, source)) != null) {
                String name = checkedName(entry, source);
                if (name == null) {
                    continue;
                }
                if (!seen.add(name)) {
                    throw new NnefFormatException(source + ": entry '" + name + "' appears twice");
                }
                Path file = root.resolve(name).normalize();
                if (!file.startsWith(root)) { // defence in depth; checkedName already refused this
                    throw new NnefFormatException(
                            source + ": entry '" + name + "' escapes the target directory");
                }
                String where = source + "!" + name;
                // sparse entries expand to their real size
                long declared = Math.max(entry.getSize(), entry.getRealSize());
                budget.claim(declared, where);
                Files.createDirectories(file.getParent());
                if (name.equals(ArchivePaths.GRAPH_NNEF) || name.equals(ArchivePaths.GRAPH_QUANT)) {
                    // refused here, where the message can name the archive, not the extracted copy
                    Files.write(file, boundedBytes(tar, entry.getSize(), where));
                    continue;
                }
                try (OutputStream o = Files.newOutputStream(file)) {
                    copy(tar, o, declared, where);
                }
            }
            out.commit();
        }
    }

    /**
     * The text of graph.nnef or graph.quant, refused past {@link Limits#GRAPH_TEXT_BYTES} whatever
     * the declared size says: a 9 MB tgz can inflate to gigabytes of text.
     */
    private static String boundedText(InputStream in, long declared, String where)
            throws IOException {
        return new String(boundedBytes(in, declared, where), StandardCharsets.UTF_8);
    }

    private static byte[] boundedBytes(InputStream in, long declared, String where)
            throws IOException {
        long max = Limits.GRAPH_TEXT_BYTES.value();
        byte[] bytes;
        try {
            bytes =
                    declared > max
                            ? null
                            : in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8) + 1);
        } catch (IOException e) {
            throw unreadable(where, e);
        }
        if (bytes == null || bytes.length > max) {
            throw new NnefFormatException(
                    where
                            + ": text larger than "
                            + max
                            + " bytes ("
                            + Limits.GRAPH_TEXT_BYTES.describe()
                            + ")");
        }
        return bytes;
    }

    /**
     * Copies an entry's bytes, at most {@code declared}; a failed read names the entry, a failed
     * write is the disk's.
     */
    private static void copy(InputStream entry, OutputStream out, long declared, String where)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        while (true) {
            int n;
            try {
                n = entry.read(buffer);
            } catch (IOException e) {
                throw unreadable(where, e);
            }
            if (n < 0) {
                return;
            }
            copied += n;
            if (copied > declared) {
                throw new NnefFormatException(
                        where + ": entry holds more than the " + declared + " bytes it declares");
            }
            out.write(buffer, 0, n);
        }
    }

    private static NnefModel readDirectory(Path dir) throws IOException {
        Contents c = new Contents(dir.toString());
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(files::add);
        }
        files.sort(null);
        for (Path file : files) {
            String name =
                    ArchivePaths.normalizeEntry(
                            dir.relativize(file)
                                    .toString()
                                    .replace(file.getFileSystem().getSeparator(), "/"),
                            dir.toString());
            if (name == null) {
                continue;
            }
            if (name.equals(ArchivePaths.GRAPH_NNEF) || name.equals(ArchivePaths.GRAPH_QUANT)) {
                try (InputStream in = Files.newInputStream(file)) {
                    c.text(name, boundedText(in, Files.size(file), file.toString()));
                }
            } else if (name.endsWith(ArchivePaths.DAT_SUFFIX)) {
                c.datEntry(name);
                c.tensor(name, DatReader.open(file));
            }
        }
        return c.model();
    }

    private static TarArchiveInputStream openTar(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream body =
                (b0 == 0x1f && b1 == 0x8b) ? new GzipCompressorInputStream(in, true) : in;
        return new TarArchiveInputStream(body, StandardCharsets.UTF_8.name());
    }

    /** The next entry; {@code where} names the archive, or the entry a failure ends in. */
    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String where)
            throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw unreadable(where, e);
        }
    }

    /** The normalised name of a regular-file entry, null for skipped ones; links are refused. */
    private static String checkedName(TarArchiveEntry entry, String source)
            throws NnefFormatException {
        String name = ArchivePaths.normalizeEntry(entry.getName(), source);
        if (entry.isSymbolicLink() || entry.isLink()) {
            throw new NnefFormatException(
                    source
                            + ": entry '"
                            + entry.getName()
                            + "' is a link to '"
                            + entry.getLinkName()
                            + "'; NNEF archives hold plain files only");
        }
        if (entry.isDirectory() || !entry.isFile()) {
            return null;
        }
        return name;
    }

    /**
     * Every {@code variable} of the graph has its {@code .dat}: a tar cut between two entries reads
     * without error, and only the missing tensors tell.
     */
    private static void requireVariableData(NnefModel doc, Set<String> labels, String source)
            throws NnefFormatException {
        for (Assignment a : doc.graph().body()) {
            if (a.rvalue() instanceof Invocation inv
                    && inv.name().equals("variable")
                    && inv.named().get("label") instanceof Expr.StrLit label
                    && !labels.contains(label.value())) {
                throw new NnefFormatException(
                        source
                                + ": variable '"
                                + label.value()
                                + "' has no entry "
                                + label.value()
                                + ArchivePaths.DAT_SUFFIX
                                + " (is the archive truncated?)");
            }
        }
    }

    /** Collects what a model is made of, then assembles it. */
    private static final class Contents {
        private final String source;
        private final Set<String> names = new HashSet<>();
        private String graphText;
        private String quantText;
        private final Map<String, TensorData> tensors = new TreeMap<>();
        private long loadedBytes;

        /** Labels of the .dat entries seen, whether their data was loaded or not. */
        private final Set<String> labels = new HashSet<>();

        Contents(String source) {
            this.source = source;
        }

        void claim(String name) throws NnefFormatException {
            if (!names.add(name)) {
                throw new NnefFormatException(source + ": entry '" + name + "' appears twice");
            }
        }

        void text(String name, String text) {
            if (name.equals(ArchivePaths.GRAPH_NNEF)) {
                graphText = text;
            } else {
                quantText = text;
            }
        }

        /**
         * Counts {@code bytes} more of payload about to be loaded from {@code where}, refused past
         * {@link Limits#NNEF_TENSOR_BYTES} before they are allocated.
         */
        void loading(long bytes, String where) throws NnefFormatException {
            loadedBytes += bytes;
            long max = Limits.NNEF_TENSOR_BYTES.value();
            if (loadedBytes > max) {
                throw new NnefFormatException(
                        where
                                + ": the model's tensors need more than "
                                + max
                                + " bytes ("
                                + Limits.NNEF_TENSOR_BYTES.describe()
                                + " or a larger -Xmx through TORCH2NNEF_JAVA_OPTS)");
            }
        }

        void tensor(String name, TensorData data) {
            tensors.put(label(name), data);
        }

        void datEntry(String name) {
            labels.add(label(name));
        }

        private static String label(String datName) {
            return datName.substring(0, datName.length() - ArchivePaths.DAT_SUFFIX.length());
        }

        NnefModel model() throws IOException {
            if (graphText == null) {
                throw new NnefFormatException(
                        source + ": no " + ArchivePaths.GRAPH_NNEF + " found");
            }
            NnefModel doc = NnefParser.parse(graphText, source + "!" + ArchivePaths.GRAPH_NNEF);
            requireVariableData(doc, labels, source);
            NnefModel.Builder b = doc.toBuilder().tensors(tensors);
            if (quantText != null) {
                Map<String, Quantization> q =
                        QuantParser.parse(quantText, source + "!" + ArchivePaths.GRAPH_QUANT);
                b.quantization(q);
            }
            return b.build();
        }
    }
}
