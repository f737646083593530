package org.torch2nnef.nnef.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.FileRegion;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Writes a model as a directory, a {@code .nnef.tar} or a {@code .nnef.tgz}, chosen by the target's
 * name ({@link Format#of}).
 *
 * <p>Archives are byte-for-byte deterministic: entries sorted by name (in a {@code .nnef.tgz},
 * {@code graph.nnef} always last, so that the order does not depend on whether a {@link LateText}
 * was still pending), no directory entries, mtime 0, uid/gid 0, no user or group names, mode 0644,
 * PAX headers for names over 100 characters, gzip header without timestamp or file name (OS byte
 * 255 "unknown"). Tensor payloads stream straight into the archive (each entry's size is 128 +
 * payload bytes), so memory use does not grow with the model.
 *
 * <p>Output is written to a hidden temporary sibling and moved into place only on success; on any
 * failure (including a {@link TensorData} that throws mid-stream) nothing is left behind and an
 * existing target is untouched.
 */
public final class NnefArchiveWriter {
    /**
     * Default gzip level for {@code .tgz} output: text and compressible tensors are deflated, float
     * weights (which deflate by 7 to 8% at any level) are stored, see {@link BlockCoding}.
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;

    private static final int BUFFER = 1 << 16;

    /** Output layouts. */
    public enum Format {
        /**
         * A plain directory holding {@code graph.nnef}, {@code graph.quant} and the {@code .dat}
         * files.
         */
        DIRECTORY,
        /** An uncompressed tar archive. */
        TAR,
        /** A gzip-compressed tar archive. */
        TGZ;

        /**
         * {@code .tgz}/{@code .tar.gz} give TGZ, {@code .tar} gives TAR, anything else DIRECTORY.
         */
        public static Format of(Path target) {
            String name =
                    target.getFileName() == null
                            ? ""
                            : target.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
                return TGZ;
            }
            return name.endsWith(".tar") ? TAR : DIRECTORY;
        }
    }

    private NnefArchiveWriter() {}

    /** Writes {@code model} to {@code target} with the default compression level. */
    public static void write(NnefModel model, Path target) throws IOException {
        write(model, target, DEFAULT_COMPRESSION_LEVEL);
    }

    /**
     * Writes {@code model} to {@code target}; {@code compressionLevel} 0..9 is the gzip level of
     * {@code .tgz} output (0 stores without compression) and is ignored otherwise.
     */
    public static void write(NnefModel model, Path target, int compressionLevel)
            throws IOException {
        write(model, target, compressionLevel, null);
    }

    /**
     * Text of {@code graph.nnef} that is only known after the rest of the model could be written,
     * e.g. a digest still being computed: the model is printed with {@code placeholder}, which must
     * occur exactly once in {@code graph.nnef}, and the writer puts {@code value}'s result (of the
     * same UTF-8 length) in its place as late as the format allows: a {@code .nnef.tar} is patched
     * after its last entry, a directory and a {@code .nnef.tgz} (a stream, which waits for the
     * value when it reaches it) get {@code graph.nnef} last (a {@code .nnef.tgz} always does). The
     * bytes written are those of the model printed with the value.
     *
     * @param placeholder text printed in the model in place of the value
     * @param value computes the text; its failure fails the write (nothing is left behind)
     */
    public record LateText(String placeholder, Callable<String> value) {
        public LateText {
            Objects.requireNonNull(placeholder, "placeholder");
            Objects.requireNonNull(value, "value");
            if (placeholder.isEmpty()) {
                throw new IllegalArgumentException("empty placeholder");
            }
        }

        /** The value's UTF-8 bytes, checked to have the placeholder's length. */
        byte[] resolve() throws IOException {
            String text;
            try {
                text = value.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(
                        "interrupted while waiting for the text of " + placeholder);
            } catch (Exception e) {
                throw new IOException(
                        "cannot compute the text of " + placeholder + ": " + e.getMessage(), e);
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length != placeholder.getBytes(StandardCharsets.UTF_8).length) {
                throw new IllegalStateException(
                        "late text '"
                                + text
                                + "' has "
                                + bytes.length
                                + " UTF-8 bytes, its placeholder "
                                + placeholder.getBytes(StandardCharsets.UTF_8).length);
            }
            return bytes;
        }
    }

    /**
     * Writes {@code model} to {@code target} as {@link #write(NnefModel, Path, int)} does, with
     * {@code late} (may be null) filled in last.
     *
     * @throws IllegalArgumentException if the placeholder does not occur exactly once in {@code
     *     graph.nnef}
     */
    public static void write(NnefModel model, Path target, int compressionLevel, LateText late)
            throws IOException {
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException(
                    "compression level " + compressionLevel + " is outside 0..9");
        }
        Map<String, Entry> entries = entries(model, late);
        Format format = Format.of(target);
        if (format == Format.DIRECTORY) {
            try (AtomicTarget out = AtomicTarget.directory(target)) {
                writeDirectory(entries, out.temp());
                out.commit();
            }
        } else {
            try (AtomicTarget out = AtomicTarget.file(target)) {
                // the temporary file is new and empty: no TRUNCATE_EXISTING, which on ext4
                // (auto_da_alloc)
                // makes close() start writing the whole archive back to disk and wait for it to be
                // queued
                try (FileChannel file = FileChannel.open(out.temp(), StandardOpenOption.WRITE)) {
                    if (format == Format.TGZ) {
                        writeTgz(entries, file, compressionLevel);
                    } else {
                        writeTar(entries, file);
                    }
                }
                out.commit();
            }
        }
    }

    /**
     * Streams {@code model} as a tar (or tgz) archive to {@code out}, which is finished but not
     * closed. For callers that manage their own destination; prefer {@link #write(NnefModel, Path,
     * int)}.
     */
    public static void writeTar(
            NnefModel model, OutputStream out, boolean gzip, int compressionLevel)
            throws IOException {
        writeTar(entries(model, null), out, gzip, compressionLevel);
    }

    /**
     * One archive entry: its size and how to produce its bytes; for a tensor whose payload is a
     * file region, also its {@code .dat} header and that region, to copy by channel transfer; for
     * {@code graph.nnef} with a late text, where in its bytes the late text goes.
     */
    private record Entry(
            long size, ContentWriter content, byte[] head, FileRegion region, LatePatch late) {
        Entry(long size, ContentWriter content) {
            this(size, content, null, null, null);
        }
    }

    /**
     * Where a {@link LateText} goes in an entry's {@code bytes}: resolved when the entry is written
     * (streams) or afterwards (patched at {@code offset}).
     */
    private static final class LatePatch {
        private final LateText text;
        private final byte[] bytes;
        private final int offset;

        LatePatch(LateText text, byte[] bytes, int offset) {
            this.text = text;
            this.bytes = bytes;
            this.offset = offset;
        }

        /** The entry's bytes with the late text in place (waits for it). */
        byte[] resolvedBytes() throws IOException {
            byte[] value = text.resolve();
            System.arraycopy(value, 0, bytes, offset, value.length);
            return bytes;
        }
    }

    @FunctionalInterface
    private interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** All entries of the model by name (sorted), after checking labels and variable references. */
    private static Map<String, Entry> entries(NnefModel model, LateText late)
            throws TensorTooLargeException {
        checkVariablesHaveData(model);
        TreeMap<String, Entry> entries = new TreeMap<>();
        String printed = NnefPrinter.print(model);
        byte[] graph = printed.getBytes(StandardCharsets.UTF_8);
        if (late == null) {
            entries.put(ArchivePaths.GRAPH_NNEF, new Entry(graph.length, o -> o.write(graph)));
        } else {
            int at = printed.indexOf(late.placeholder());
            if (at < 0 || printed.indexOf(late.placeholder(), at + 1) >= 0) {
                throw new IllegalArgumentException(
                        "the late text placeholder '"
                                + late.placeholder()
                                + "' occurs "
                                + (at < 0 ? "nowhere" : "more than once")
                                + " in graph.nnef");
            }
            LatePatch patch =
                    new LatePatch(
                            late,
                            graph,
                            printed.substring(0, at).getBytes(StandardCharsets.UTF_8).length);
            entries.put(
                    ArchivePaths.GRAPH_NNEF,
                    new Entry(
                            graph.length, o -> o.write(patch.resolvedBytes()), null, null, patch));
        }
        if (!model.quantization().isEmpty()) {
            byte[] quant =
                    QuantPrinter.print(model.quantization()).getBytes(StandardCharsets.UTF_8);
            entries.put(ArchivePaths.GRAPH_QUANT, new Entry(quant.length, o -> o.write(quant)));
        }
        for (Map.Entry<String, TensorData> t : model.tensors().entrySet()) {
            String name = ArchivePaths.datEntry(t.getKey());
            TensorData data = t.getValue();
            if (data.payloadBytes() > DatHeader.MAX_DATA_LENGTH) {
                throw new TensorTooLargeException(t.getKey(), data.payloadBytes());
            }
            ContentWriter content = o -> DatWriter.write(data, o, name);
            Entry entry =
                    data.fileRegion()
                            .map(
                                    r ->
                                            new Entry(
                                                    DatWriter.fileSize(data),
                                                    content,
                                                    DatWriter.header(data, name),
                                                    r,
                                                    null))
                            .orElseGet(() -> new Entry(DatWriter.fileSize(data), content));
            if (entries.put(name, entry) != null) {
                throw new IllegalArgumentException(
                        "tensor label '" + t.getKey() + "' collides with entry " + name);
            }
        }
        return entries;
    }

    /** Every {@code variable(label = '…')} of the graph must have its {@code .dat}. */
    private static void checkVariablesHaveData(NnefModel model) {
        List<String> missing = new ArrayList<>();
        for (Assignment a : model.graph().body()) {
            if (a.rvalue() instanceof Invocation inv && inv.name().equals("variable")) {
                Expr label = inv.arg("label").orElse(null);
                if (!(label instanceof Expr.StrLit s)) {
                    throw new IllegalArgumentException(
                            "graph '"
                                    + model.graph().name()
                                    + "': variable "
                                    + a.definedNames()
                                    + " has no string label");
                }
                if (!model.tensors().containsKey(s.value())) {
                    missing.add(
                            s.value() + " (variable " + String.join(", ", a.definedNames()) + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    "graph '"
                            + model.graph().name()
                            + "': no tensor data for variable label(s) "
                            + missing);
        }
    }

    /**
     * The entries by name, except {@code graph.nnef}, which goes last: a stream cannot go on past
     * it before its late text is known, and it goes last with or without late text so that the
     * bytes of a {@code .nnef.tgz} do not depend on whether the text was ready when the model was
     * printed (an export's source digest is, or is not, depending on how fast the JVM hashes).
     */
    private static List<Map.Entry<String, Entry>> graphLast(Map<String, Entry> entries) {
        List<Map.Entry<String, Entry>> ordered = new ArrayList<>(entries.entrySet());
        ordered.sort(Comparator.comparing(e -> e.getKey().equals(ArchivePaths.GRAPH_NNEF)));
        return ordered;
    }

    private static void writeDirectory(Map<String, Entry> entries, Path dir) throws IOException {
        for (Map.Entry<String, Entry> e : graphLast(entries)) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Entry entry = e.getValue();
            if (entry.region() != null) {
                try (FileChannel out =
                        FileChannel.open(
                                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    writeFully(out, ByteBuffer.wrap(entry.head()));
                    transferFully(entry.region(), out, file.toString());
                }
                continue;
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
                entry.content().writeTo(out);
            }
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
    }

    /**
     * Copies a region into {@code out} with {@link FileChannel#transferTo} (in the kernel for
     * files).
     */
    static void transferFully(FileRegion region, WritableByteChannel out, String target)
            throws IOException {
        long done = 0;
        while (done < region.length()) {
            long n =
                    region.channel()
                            .transferTo(region.position() + done, region.length() - done, out);
            if (n <= 0) {
                throw new IOException(
                        target
                                + ": the source file ends at byte "
                                + region.channel().size()
                                + ", before the "
                                + region.length()
                                + " payload bytes from "
                                + region.position());
            }
            done += n;
        }
    }

    /**
     * Streams the tar (gzipped or not) into {@code sink}: late text is waited for where it goes.
     */
    private static void writeTar(
            Map<String, Entry> entries, OutputStream sink, boolean gzip, int level)
            throws IOException {
        if (!gzip) {
            OutputStream buffered = new BufferedOutputStream(new NonClosing(sink), BUFFER);
            writeEntries(entries.entrySet(), new TarWriter(Channels.newChannel(buffered)), false);
            buffered.flush();
            return;
        }
        writeTgz(entries, Channels.newChannel(new NonClosing(sink)), level);
    }

    /** Streams the tgz into {@code sink}, which is not closed. */
    private static void writeTgz(Map<String, Entry> entries, WritableByteChannel sink, int level)
            throws IOException {
        ParallelGzipOutputStream compressed = new ParallelGzipOutputStream(sink, level);
        boolean done = false;
        try {
            writeEntries(graphLast(entries), new TarWriter(compressed), false);
            compressed.finish();
            done = true;
        } finally {
            if (!done) {
                compressed.abandon();
            }
        }
    }

    /**
     * Writes every entry and finishes the tar. With {@code deferLate}, an entry waiting for late
     * text is written with its placeholder and the archive position of the placeholder is returned
     * (else -1), for the caller to patch.
     */
    private static long writeEntries(
            Iterable<Map.Entry<String, Entry>> entries, TarWriter tar, boolean deferLate)
            throws IOException {
        long lateAt = -1;
        for (Map.Entry<String, Entry> e : entries) {
            Entry entry = e.getValue();
            tar.begin(e.getKey(), entry.size());
            if (entry.region() != null) {
                tar.content().write(entry.head());
                tar.transfer(entry.region(), e.getKey());
            } else if (entry.late() != null && deferLate) {
                lateAt = tar.position() + entry.late().offset;
                tar.content().write(entry.late().bytes);
            } else {
                entry.content().writeTo(tar.content());
            }
            tar.end();
        }
        tar.finish();
        return lateAt;
    }

    /**
     * Writes the tar into a file: tensor regions are copied by channel transfer, and late text is
     * written over its placeholder once everything else is in the file.
     */
    private static void writeTar(Map<String, Entry> entries, FileChannel file) throws IOException {
        long lateAt = writeEntries(entries.entrySet(), new TarWriter(file), true);
        if (lateAt >= 0) {
            LatePatch late = entries.get(ArchivePaths.GRAPH_NNEF).late();
            ByteBuffer value = ByteBuffer.wrap(late.text.resolve());
            while (value.hasRemaining()) {
                file.write(value, lateAt + value.position());
            }
        }
    }

    /** Lets the tar/gzip streams be closed without closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
