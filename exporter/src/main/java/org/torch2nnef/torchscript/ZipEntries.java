package org.torch2nnef.torchscript;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Random access to the entries of a zip file. Torch writes entries STORED and 64-byte aligned, so
 * ranges of those are read straight from the file with positional reads; DEFLATED entries (a
 * re-zipped archive) fall back to inflating from the start of the entry. The directory is our own
 * compact {@link ZipDirectory}; an entry's local header (where its data starts) is read the first
 * time the entry is.
 */
final class ZipEntries implements Closeable {
    private static final int ZIP_MAGIC = 0x04034b50; // "PK\3\4" little-endian
    private static final int END_RECORD_MAGIC =
            0x06054b50; // "PK\5\6": end of central directory record
    private static final int LOCAL_HEADER_SIZE = 30;

    /** The largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final FileChannel channel;
    private final ZipDirectory dir;
    private final ReaderLimits limits;

    /** Entries already counted against {@link ReaderLimits#entriesTotal()}. */
    private final BitSet counted;

    private long wholeBytes;

    /** Entry index by name, for entries that are not directories. */
    private final Map<String, Integer> index;

    /** Where each entry's data starts, -1 until its local header was read. */
    private final long[] dataOffsets;

    private ZipEntries(Path path, FileChannel channel, ZipDirectory dir, ReaderLimits limits) {
        this.path = path;
        this.channel = channel;
        this.dir = dir;
        this.limits = limits;
        this.counted = new BitSet(dir.count());
        this.index = new HashMap<>(dir.count() * 4 / 3 + 1);
        this.dataOffsets = new long[dir.count()];
        Arrays.fill(dataOffsets, -1);
    }

    static ZipEntries open(Path path) throws IOException {
        return open(path, ReaderLimits.DEFAULTS);
    }

    static ZipEntries open(Path path, ReaderLimits limits) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            checkMagic(path, channel);
            ZipEntries result =
                    new ZipEntries(path, channel, ZipDirectory.read(path, channel), limits);
            result.index();
            return result;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What the exporter reads, both zip files: said when a file is not one. */
    private static final String ZIP_INPUTS =
            "a TorchScript archive (torch.jit.save) and a torch.export program (torch.export.save,"
                    + " .pt2) are zip files";

    private static void checkMagic(Path path, FileChannel channel) throws IOException {
        ByteBuffer head = ZipDirectory.readAt(channel, 0, 4);
        if (head.limit() < 4) {
            throw new TorchScriptFormatException(
                    "not a zip archive (file has "
                            + head.limit()
                            + " bytes; "
                            + ZIP_INPUTS
                            + "): "
                            + path);
        }
        int magic = head.getInt(0);
        if (magic == END_RECORD_MAGIC) {
            throw new TorchScriptFormatException(
                    "missing data.pkl: the zip archive is empty: " + path);
        }
        if (magic != ZIP_MAGIC) {
            String hint =
                    (magic & 0xff) == 0x80
                            ? " (it looks like a bare pickle, e.g. a legacy torch.save file, not a"
                                    + " TorchScript archive)"
                            : " (" + ZIP_INPUTS + ")";
            throw new TorchScriptFormatException("not a zip archive" + hint + ": " + path);
        }
    }

    /**
     * Indexes the entries by name and checks what the directory alone can tell: each entry's data
     * lies inside the file and is readable (stored or deflated, not encrypted).
     */
    private void index() throws IOException {
        long fileSize = channel.size();
        for (int i = 0; i < dir.count(); i++) {
            String name = dir.names[i];
            if (name.endsWith("/")) {
                continue;
            }
            // zip64 sizes are 64-bit: negative or beyond the file, they would wrap the sums below
            if (dir.sizes[i] < 0 || dir.compressedSizes[i] < 0) {
                throw ZipDirectory.corrupt(
                        path,
                        "entry '"
                                + name
                                + "' declares "
                                + dir.compressedSizes[i]
                                + " compressed and "
                                + dir.sizes[i]
                                + " uncompressed bytes");
            }
            // at least: the local header repeats the name (name.length() <= its UTF-8 bytes) and
            // may add extra fields
            long end =
                    dir.localHeaderOffsets[i] < 0 || dir.localHeaderOffsets[i] > fileSize
                            ? Long.MAX_VALUE
                            : dir.localHeaderOffsets[i]
                                    + LOCAL_HEADER_SIZE
                                    + name.length()
                                    + Math.min(dir.compressedSizes[i], fileSize + 1);
            if (end > fileSize) {
                throw new TorchScriptFormatException(
                        "truncated zip archive "
                                + path
                                + ": entry '"
                                + name
                                + "' ends at byte "
                                + end
                                + " or later but the file has "
                                + fileSize
                                + " bytes");
            }
            if (dir.methods[i] == ZipDirectory.STORED && dir.sizes[i] != dir.compressedSizes[i]) {
                throw ZipDirectory.corrupt(
                        path,
                        "stored entry '"
                                + name
                                + "' declares "
                                + dir.compressedSizes[i]
                                + " stored but "
                                + dir.sizes[i]
                                + " uncompressed bytes");
            }
            if (dir.encrypted[i]
                    || (dir.methods[i] != ZipDirectory.STORED
                            && dir.methods[i] != ZipDirectory.DEFLATED)) {
                throw new TorchScriptFormatException(
                        "unsupported compression or encryption for entry '"
                                + name
                                + "' in "
                                + path);
            }
            if (index.put(name, i) != null) {
                // readers disagree on which copy counts (first, last): refuse rather than guess
                throw new TorchScriptFormatException(
                        "duplicate entry '"
                                + name
                                + "' in "
                                + path
                                + ": the zip directory lists it more than once");
            }
        }
    }

    /** Where entry {@code i}'s data starts, from its local header (read once). */
    private long dataOffset(int i) throws IOException {
        if (dataOffsets[i] >= 0) {
            return dataOffsets[i];
        }
        long header = dir.localHeaderOffsets[i];
        ByteBuffer local = ZipDirectory.readAt(channel, header, LOCAL_HEADER_SIZE);
        if (local.limit() < LOCAL_HEADER_SIZE || local.getInt(0) != ZIP_MAGIC) {
            throw ZipDirectory.corrupt(
                    path, "entry '" + dir.names[i] + "' has no local header at byte " + header);
        }
        long start =
                header
                        + LOCAL_HEADER_SIZE
                        + Short.toUnsignedInt(local.getShort(26))
                        + Short.toUnsignedInt(local.getShort(28));
        long end = start + dir.compressedSizes[i];
        if (end > channel.size() || end < start) {
            throw new TorchScriptFormatException(
                    "truncated zip archive "
                            + path
                            + ": entry '"
                            + dir.names[i]
                            + "' ends at byte "
                            + end
                            + " but the file has "
                            + channel.size()
                            + " bytes");
        }
        dataOffsets[i] = start;
        return start;
    }

    Path path() {
        return path;
    }

    /**
     * @return the names of the (non-directory) entries in directory order
     */
    List<String> names() {
        return Arrays.stream(dir.names).filter(index::containsKey).toList();
    }

    boolean contains(String name) {
        return index.containsKey(name);
    }

    /**
     * @return the uncompressed size of an entry, or -1 if it does not exist
     */
    long size(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : dir.sizes[i];
    }

    /**
     * Where bytes {@code [offset, offset + length)} of an entry lie in the zip file, if the entry
     * is stored uncompressed (as torch writes them) and holds them. Empty too if the entry's local
     * header is unreadable: then {@link #read} reports why.
     */
    Optional<ArchiveSlice> slice(String name, long offset, long length) {
        Integer i = index.get(name);
        if (i == null
                || dir.methods[i] != ZipDirectory.STORED
                || !within(offset, length, dir.sizes[i])) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ArchiveSlice(channel, dataOffset(i) + offset, length));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code [offset, offset + length)} lies in {@code [0, size)}, without overflow. */
    static boolean within(long offset, long length, long size) {
        return offset >= 0 && length >= 0 && offset <= size && length <= size - offset;
    }

    /**
     * Reads a metadata entry (pickle, code, version) whole, within the {@link ReaderLimits} of its
     * kind and of all such entries together; tensor data never goes through here. A deflated entry
     * is inflated to its declared size and no further, and must end there.
     */
    byte[] readAll(String name) throws IOException {
        int i = require(name);
        ReaderLimits.EntryLimit limit = limits.entryLimit(name.substring(name.indexOf('/') + 1));
        long size = dir.sizes[i];
        if (size > limit.bytes() || size > MAX_ARRAY) {
            throw new TorchScriptFormatException(
                    path
                            + "!"
                            + name
                            + ": entry of "
                            + size
                            + " bytes exceeds the limit of "
                            + limit.describe());
        }
        countWhole(i, size);
        byte[] b = new byte[(int) size];
        readFully(i, 0, b, 0, b.length, true);
        return b;
    }

    private synchronized void countWhole(int i, long size) throws TorchScriptFormatException {
        if (counted.get(i)) {
            return;
        }
        if (size > limits.entriesTotal() - wholeBytes) {
            throw new TorchScriptFormatException(
                    path
                            + "!"
                            + dir.names[i]
                            + ": reading this entry of "
                            + size
                            + " bytes after "
                            + wholeBytes
                            + " bytes of other metadata entries exceeds the limit of "
                            + limits.entriesTotal()
                            + " bytes ("
                            + ReaderLimits.property("entries-total")
                            + ")");
        }
        counted.set(i);
        wholeBytes += size;
    }

    /** Reads {@code len} bytes of an entry's uncompressed data starting at {@code offset}. */
    void read(String name, long offset, byte[] dst, int off, int len) throws IOException {
        readFully(require(name), offset, dst, off, len, false);
    }

    private int require(String name) throws TorchScriptFormatException {
        Integer i = index.get(name);
        if (i == null) {
            throw new TorchScriptFormatException("missing entry '" + name + "' in " + path);
        }
        return i;
    }

    /**
     * Reads bytes {@code [offset, offset + len)} of entry {@code i}; {@code toEnd}: they are the
     * last of the entry, so a deflated entry that inflates to more is corrupt.
     */
    private void readFully(int i, long offset, byte[] dst, int off, int len, boolean toEnd)
            throws IOException {
        String name = dir.names[i];
        if (!within(offset, len, dir.sizes[i])) {
            throw new TorchScriptFormatException(
                    "read of bytes ["
                            + offset
                            + ", "
                            + (offset + len)
                            + ") is outside entry '"
                            + name
                            + "' ("
                            + dir.sizes[i]
                            + " bytes) in "
                            + path);
        }
        long start = dataOffset(i);
        if (dir.methods[i] == ZipDirectory.STORED) {
            ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
            long position = start + offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, position);
                if (n < 0) {
                    throw new TorchScriptFormatException(
                            "truncated zip archive " + path + ": entry '" + name + "' ends early");
                }
                position += n;
            }
            return;
        }
        Inflater inflater = new Inflater(true);
        try (InputStream in =
                new RawInflaterStream(
                        new RangeStream(channel, start, dir.compressedSizes[i]),
                        inflater,
                        dir.compressedSizes[i])) {
            in.skipNBytes(offset);
            int n = in.readNBytes(dst, off, len);
            if (n < len) {
                throw new TorchScriptFormatException(
                        "corrupt zip archive "
                                + path
                                + ": entry '"
                                + name
                                + "' inflates to fewer bytes than its declared size");
            }
            if (toEnd && in.read() >= 0) {
                throw new TorchScriptFormatException(
                        "corrupt zip archive "
                                + path
                                + ": entry '"
                                + name
                                + "' inflates to more than its declared "
                                + dir.sizes[i]
                                + " bytes");
            }
        } catch (EOFException | ZipException ex) {
            // skipNBytes' EOFException has no message: it means the data ended early
            String reason =
                    ex.getMessage() != null
                            ? ex.getMessage()
                            : ex instanceof EOFException
                                    ? "inflates to fewer bytes than its declared " + dir.sizes[i]
                                    : "invalid deflate data";
            throw new TorchScriptFormatException(
                    "corrupt zip archive " + path + ": entry '" + name + "': " + reason, ex);
        } finally {
            inflater.end();
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Bytes {@code [position, position + length)} of a file, read with positional reads (the
     * channel is shared).
     */
    private static final class RangeStream extends InputStream {
        private final FileChannel channel;
        private long position;
        private long remaining;

        RangeStream(FileChannel channel, long position, long length) {
            this.channel = channel;
            this.position = position;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, remaining)), position);
            if (n > 0) {
                position += n;
                remaining -= n;
            }
            return n;
        }
    }

    /**
     * Inflates a raw DEFLATE stream (a zip entry's data). A "nowrap" {@link Inflater} may need one
     * dummy byte after the data to finish, which this feeds at the end of the input, as the JDK's
     * own zip reader does.
     */
    private static final class RawInflaterStream extends InflaterInputStream {
        private boolean fedDummy;

        RawInflaterStream(InputStream in, Inflater inflater, long compressedSize) {
            // code and debug entries are a few KB each and read by the thousand: no 64 KB buffer
            // for each
            super(in, inflater, (int) Math.min(1 << 16, compressedSize + 1));
        }

        @Override
        protected void fill() throws IOException {
            len = in.read(buf, 0, buf.length);
            if (len == -1) {
                if (fedDummy) {
                    throw new EOFException("unexpected end of the compressed data");
                }
                len = 1;
                buf[0] = 0;
                fedDummy = true;
            }
            inf.setInput(buf, 0, len);
        }
    }
}
