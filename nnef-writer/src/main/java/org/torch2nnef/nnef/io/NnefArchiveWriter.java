package org.torch2nnef.nnef.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.FileRegion;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Writes a model as a directory, a {@code .nnef.tar} or a {@code .nnef.tgz}, chosen by the
 * target's name ({@link Format#of}).
 *
 * <p>Archives are byte-for-byte deterministic: entries sorted by name, no directory entries,
 * mtime 0, uid/gid 0, no user or group names, mode 0644, PAX headers for names over 100
 * characters, gzip header without timestamp or file name (OS byte 255 "unknown"). Tensor
 * payloads stream straight into the archive (each entry's size is 128 + payload bytes), so
 * memory use does not grow with the model.
 *
 * <p>Output is written to a hidden temporary sibling and moved into place only on success; on any
 * failure (including a {@link TensorData} that throws mid-stream) nothing is left behind and an
 * existing target is untouched.
 */
public final class NnefArchiveWriter {
    /** Default gzip level for {@code .tgz} output. */
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    private static final int BUFFER = 1 << 16;

    /** Output layouts. */
    public enum Format {
        /** A plain directory holding {@code graph.nnef}, {@code graph.quant} and the {@code .dat} files. */
        DIRECTORY,
        /** An uncompressed tar archive. */
        TAR,
        /** A gzip-compressed tar archive. */
        TGZ;

        /** {@code .tgz}/{@code .tar.gz} give TGZ, {@code .tar} gives TAR, anything else DIRECTORY. */
        public static Format of(Path target) {
            String name = target.getFileName() == null ? "" : target.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
                return TGZ;
            }
            return name.endsWith(".tar") ? TAR : DIRECTORY;
        }
    }

    private NnefArchiveWriter() {
    }

    /** Writes {@code model} to {@code target} with the default compression level. */
    public static void write(NnefModel model, Path target) throws IOException {
        write(model, target, DEFAULT_COMPRESSION_LEVEL);
    }

    /**
     * Writes {@code model} to {@code target}; {@code compressionLevel} 0..9 is the gzip level of
     * {@code .tgz} output (0 stores without compression) and is ignored otherwise.
     */
    public static void write(NnefModel model, Path target, int compressionLevel) throws IOException {
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException("compression level " + compressionLevel + " is outside 0..9");
        }
        Map<String, Entry> entries = entries(model);
        Format format = Format.of(target);
        if (format == Format.DIRECTORY) {
            try (AtomicTarget out = AtomicTarget.directory(target)) {
                writeDirectory(entries, out.temp());
                out.commit();
            }
        } else {
            try (AtomicTarget out = AtomicTarget.file(target)) {
                // the temporary file is new and empty: no TRUNCATE_EXISTING, which on ext4 (auto_da_alloc)
                // makes close() start writing the whole archive back to disk and wait for it to be queued
                try (FileChannel file = FileChannel.open(out.temp(), StandardOpenOption.WRITE)) {
                    if (format == Format.TGZ) {
                        writeTar(entries, Channels.newOutputStream(file), true, compressionLevel);
                    } else {
                        writeTar(entries, file, true);
                    }
                }
                out.commit();
            }
        }
    }

    /**
     * Streams {@code model} as a tar (or tgz) archive to {@code out}, which is finished but not
     * closed. For callers that manage their own destination; prefer {@link #write(NnefModel, Path, int)}.
     */
    public static void writeTar(NnefModel model, OutputStream out, boolean gzip, int compressionLevel) throws IOException {
        writeTar(entries(model), out, gzip, compressionLevel);
    }

    /**
     * One archive entry: its size and how to produce its bytes; for a tensor whose payload is a
     * file region, also its {@code .dat} header and that region, to copy by channel transfer.
     */
    private record Entry(long size, ContentWriter content, byte[] head, FileRegion region) {
        Entry(long size, ContentWriter content) {
            this(size, content, null, null);
        }
    }

    @FunctionalInterface
    private interface ContentWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** All entries of the model by name (sorted), after checking labels and variable references. */
    private static Map<String, Entry> entries(NnefModel model) {
        checkVariablesHaveData(model);
        TreeMap<String, Entry> entries = new TreeMap<>();
        byte[] graph = NnefPrinter.print(model).getBytes(StandardCharsets.UTF_8);
        entries.put(ArchivePaths.GRAPH_NNEF, new Entry(graph.length, o -> o.write(graph)));
        if (!model.quantization().isEmpty()) {
            byte[] quant = QuantPrinter.print(model.quantization()).getBytes(StandardCharsets.UTF_8);
            entries.put(ArchivePaths.GRAPH_QUANT, new Entry(quant.length, o -> o.write(quant)));
        }
        for (Map.Entry<String, TensorData> t : model.tensors().entrySet()) {
            String name = ArchivePaths.datEntry(t.getKey());
            TensorData data = t.getValue();
            ContentWriter content = o -> DatWriter.write(data, o, name);
            Entry entry = data.fileRegion()
                    .map(r -> new Entry(DatWriter.fileSize(data), content, DatWriter.header(data, name), r))
                    .orElseGet(() -> new Entry(DatWriter.fileSize(data), content));
            if (entries.put(name, entry) != null) {
                throw new IllegalArgumentException("tensor label '" + t.getKey() + "' collides with entry " + name);
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
                    throw new IllegalArgumentException("graph '" + model.graph().name() + "': variable "
                            + a.definedNames() + " has no string label");
                }
                if (!model.tensors().containsKey(s.value())) {
                    missing.add(s.value() + " (variable " + String.join(", ", a.definedNames()) + ")");
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("graph '" + model.graph().name()
                    + "': no tensor data for variable label(s) " + missing);
        }
    }

    private static void writeDirectory(Map<String, Entry> entries, Path dir) throws IOException {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Entry entry = e.getValue();
            if (entry.region() != null) {
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

    /** Copies a region into {@code out} with {@link FileChannel#transferTo} (in the kernel for files). */
    static void transferFully(FileRegion region, WritableByteChannel out, String target) throws IOException {
        long done = 0;
        while (done < region.length()) {
            long n = region.channel().transferTo(region.position() + done, region.length() - done, out);
            if (n <= 0) {
                throw new IOException(target + ": the source file ends at byte " + region.channel().size()
                        + ", before the " + region.length() + " payload bytes from " + region.position());
            }
            done += n;
        }
    }

    private static void writeTar(Map<String, Entry> entries, OutputStream sink, boolean gzip, int level) throws IOException {
        OutputStream buffered = new BufferedOutputStream(new NonClosing(sink), BUFFER);
        try (OutputStream compressed = gzip ? new GzipCompressorOutputStream(buffered, gzipParameters(level)) : buffered) {
            writeTar(entries, Channels.newChannel(compressed), false);
        }
    }

    /** Writes the tar; with {@code transfers}, tensor regions are copied by channel transfer into {@code out}. */
    private static void writeTar(Map<String, Entry> entries, WritableByteChannel out, boolean transfers)
            throws IOException {
        TarWriter tar = new TarWriter(out);
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            tar.begin(e.getKey(), entry.size());
            if (transfers && entry.region() != null) {
                tar.content().write(entry.head());
                tar.transfer(entry.region(), e.getKey());
            } else {
                entry.content().writeTo(tar.content());
            }
            tar.end();
        }
        tar.finish();
    }

    private static GzipParameters gzipParameters(int level) {
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(level == 0 ? Deflater.NO_COMPRESSION : level);
        p.setModificationTime(0);
        p.setOperatingSystem(255);
        return p;
    }

    /** Lets the tar/gzip streams be closed without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
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
