package org.torch2nnef.torchscript;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Random access to the entries of a zip file. Torch writes entries STORED and 64-byte aligned, so
 * ranges of those are read straight from the file with positional reads; compressed entries
 * (a re-zipped archive) fall back to decompressing from the start of the entry.
 */
final class ZipEntries implements Closeable {
    private static final int ZIP_MAGIC = 0x04034b50; // "PK\3\4" little-endian
    private static final int END_RECORD_MAGIC = 0x06054b50; // "PK\5\6": end of central directory record

    /** Pickles and code are small even for huge models; this bounds what a hostile header can make us allocate. */
    private static final long MAX_WHOLE_ENTRY = 512L << 20;

    private final Path path;
    private final ZipFile zip;
    private final FileChannel channel;
    private final Map<String, ZipArchiveEntry> entries = new LinkedHashMap<>();

    private ZipEntries(Path path, ZipFile zip, FileChannel channel) {
        this.path = path;
        this.zip = zip;
        this.channel = channel;
    }

    static ZipEntries open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            checkMagic(path, channel);
            checkEndOfCentralDirectory(path, channel);
            ZipFile zip;
            try {
                zip = ZipFile.builder().setSeekableByteChannel(channel).get();
            } catch (IOException | RuntimeException e) {
                throw new TorchScriptFormatException(
                        "truncated or corrupt zip archive " + path + ": " + rootCauseMessage(e), e);
            }
            ZipEntries result = new ZipEntries(path, zip, channel);
            result.index();
            return result;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void checkMagic(Path path, FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
            // positional read until 4 bytes or end of file
        }
        if (head.position() < 4) {
            throw new TorchScriptFormatException("not a zip archive (file has " + head.position()
                    + " bytes; a TorchScript archive is a zip file): " + path);
        }
        int magic = head.getInt(0);
        if (magic == END_RECORD_MAGIC) {
            throw new TorchScriptFormatException("missing data.pkl: the zip archive is empty: " + path);
        }
        if (magic != ZIP_MAGIC) {
            String hint = (magic & 0xff) == 0x80
                    ? " (it looks like a bare pickle, e.g. a legacy torch.save file, not a TorchScript archive)"
                    : " (a TorchScript archive is a zip file, as written by torch.jit.save)";
            throw new TorchScriptFormatException("not a zip archive" + hint + ": " + path);
        }
    }

    private static String rootCauseMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e) {
            return String.valueOf(e.getMessage());
        }
        String rootText = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return e.getMessage() + " (" + rootText + ")";
    }

    /** The end record sits in the last 22 bytes plus at most a 64 KiB comment; without it the file was cut. */
    private static void checkEndOfCentralDirectory(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        int tail = (int) Math.min(size, 22 + 0xffff);
        ByteBuffer buf = ByteBuffer.allocate(tail).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long position = size - tail;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        for (int i = buf.position() - 22; i >= 0; i--) {
            if (buf.getInt(i) == END_RECORD_MAGIC) {
                return;
            }
        }
        throw new TorchScriptFormatException("truncated or corrupt zip archive " + path
                + ": no end-of-central-directory record (the file is probably cut short)");
    }

    private void index() throws IOException {
        long fileSize = channel.size();
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            if (e.isDirectory()) {
                continue;
            }
            long end = e.getDataOffset() + e.getCompressedSize();
            if (e.getDataOffset() < 0 || end > fileSize) {
                throw new TorchScriptFormatException("truncated zip archive " + path + ": entry '" + e.getName()
                        + "' ends at byte " + end + " but the file has " + fileSize + " bytes");
            }
            if (!zip.canReadEntryData(e)) {
                throw new TorchScriptFormatException("unsupported compression or encryption for entry '"
                        + e.getName() + "' in " + path);
            }
            entries.put(e.getName(), e);
        }
    }

    Path path() {
        return path;
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** @return the uncompressed size of an entry, or -1 if it does not exist */
    long size(String name) {
        ZipArchiveEntry e = entries.get(name);
        return e == null ? -1 : e.getSize();
    }

    /**
     * Where bytes {@code [offset, offset + length)} of an entry lie in the zip file, if the entry is
     * stored uncompressed (as torch writes them) and holds them.
     */
    java.util.Optional<ArchiveSlice> slice(String name, long offset, long length) {
        ZipArchiveEntry e = entries.get(name);
        if (e == null || e.getMethod() != ZipArchiveEntry.STORED || offset < 0 || offset + length > e.getSize()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ArchiveSlice(channel, e.getDataOffset() + offset, length));
    }

    /** Reads a metadata entry (pickle, code, version) whole; tensor data never goes through here. */
    byte[] readAll(String name) throws IOException {
        ZipArchiveEntry e = require(name);
        if (e.getSize() > MAX_WHOLE_ENTRY) {
            throw new TorchScriptFormatException("entry '" + name + "' in " + path + " is too large to read whole ("
                    + e.getSize() + " bytes, limit " + MAX_WHOLE_ENTRY + ")");
        }
        byte[] b = new byte[(int) e.getSize()];
        readFully(e, 0, b, 0, b.length);
        return b;
    }

    /** Reads {@code len} bytes of an entry's uncompressed data starting at {@code offset}. */
    void read(String name, long offset, byte[] dst, int off, int len) throws IOException {
        readFully(require(name), offset, dst, off, len);
    }

    private ZipArchiveEntry require(String name) throws TorchScriptFormatException {
        ZipArchiveEntry e = entries.get(name);
        if (e == null) {
            throw new TorchScriptFormatException("missing entry '" + name + "' in " + path);
        }
        return e;
    }

    private void readFully(ZipArchiveEntry e, long offset, byte[] dst, int off, int len) throws IOException {
        if (offset < 0 || offset + len > e.getSize()) {
            throw new TorchScriptFormatException("read of bytes [" + offset + ", " + (offset + len) + ") is outside entry '"
                    + e.getName() + "' (" + e.getSize() + " bytes) in " + path);
        }
        if (e.getMethod() == ZipArchiveEntry.STORED) {
            ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
            long position = e.getDataOffset() + offset;
            while (buf.hasRemaining()) {
                int n = channel.read(buf, position);
                if (n < 0) {
                    throw new TorchScriptFormatException("truncated zip archive " + path + ": entry '" + e.getName()
                            + "' ends early");
                }
                position += n;
            }
            return;
        }
        try (InputStream in = zip.getInputStream(e)) {
            in.skipNBytes(offset);
            int n = in.readNBytes(dst, off, len);
            if (n < len) {
                throw new TorchScriptFormatException("corrupt zip archive " + path + ": entry '" + e.getName()
                        + "' inflates to fewer bytes than its declared size");
            }
        } catch (java.io.EOFException | java.util.zip.ZipException ex) {
            throw new TorchScriptFormatException("corrupt zip archive " + path + ": entry '" + e.getName() + "': "
                    + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            channel.close();
        }
    }
}
