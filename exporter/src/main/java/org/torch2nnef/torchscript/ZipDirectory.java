package org.torch2nnef.torchscript;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The central directory of a zip file (APPNOTE.TXT 4.3.12-4.3.16, with the zip64 end records and
 * extra field of 4.3.14-4.3.15 and 4.5.3), held as a few flat arrays: a model with 10^4 ops has
 * about 3 x 10^4 entries, which per-entry objects with parsed extra fields and time stamps (what
 * general zip libraries build) would make the largest thing on the heap after the graph.
 */
final class ZipDirectory {
    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int CENTRAL_MAGIC = 0x02014b50;
    private static final int END_MAGIC = 0x06054b50;
    private static final int ZIP64_LOCATOR_MAGIC = 0x07064b50;
    private static final int ZIP64_END_MAGIC = 0x06064b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_END_SIZE = 56;
    private static final int CENTRAL_HEADER_SIZE = 46;
    private static final int ZIP64_EXTRA_ID = 0x0001;

    /** Flag bit 0: the entry is encrypted. */
    private static final int ENCRYPTED = 1;

    /**
     * Torch archives' directories hold ~100 bytes per entry; this bounds what a hostile end record
     * makes us read.
     */
    private static final long MAX_DIRECTORY_BYTES = 1L << 30;

    final String[] names;
    final int[] methods;
    final boolean[] encrypted;
    final long[] compressedSizes;
    final long[] sizes;
    final long[] localHeaderOffsets;

    private ZipDirectory(int capacity) {
        names = new String[capacity];
        methods = new int[capacity];
        encrypted = new boolean[capacity];
        compressedSizes = new long[capacity];
        sizes = new long[capacity];
        localHeaderOffsets = new long[capacity];
    }

    int count() {
        return names.length;
    }

    /**
     * Reads the directory of the zip file open on {@code channel}.
     *
     * @throws TorchScriptFormatException naming what is wrong if the end records or the directory
     *     are damaged
     */
    static ZipDirectory read(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        int tailLength = (int) Math.min(fileSize, END_SIZE + 0xffff);
        ByteBuffer tail = readAt(channel, fileSize - tailLength, tailLength);
        int end = -1;
        for (int i = tailLength - END_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == END_MAGIC) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            throw new TorchScriptFormatException(
                    "truncated or corrupt zip archive "
                            + path
                            + ": no end-of-central-directory record (the file is probably cut short)");
        }
        long endPosition = fileSize - tailLength + end;
        long entries = Short.toUnsignedLong(tail.getShort(end + 10));
        long directorySize = Integer.toUnsignedLong(tail.getInt(end + 12));
        long directoryOffset = Integer.toUnsignedLong(tail.getInt(end + 16));
        if (Short.toUnsignedInt(tail.getShort(end + 4)) != 0
                || Short.toUnsignedInt(tail.getShort(end + 6)) != 0) {
            throw corrupt(path, "multi-volume archives are not supported");
        }
        if (entries == 0xffff || directorySize == 0xffffffffL || directoryOffset == 0xffffffffL) {
            long locator = endPosition - ZIP64_LOCATOR_SIZE;
            ByteBuffer loc = locator < 0 ? null : readAt(channel, locator, ZIP64_LOCATOR_SIZE);
            if (loc == null || loc.getInt(0) != ZIP64_LOCATOR_MAGIC) {
                throw corrupt(
                        path, "the end record needs zip64 values but there is no zip64 locator");
            }
            long zip64End = loc.getLong(8);
            if (zip64End < 0 || zip64End + ZIP64_END_SIZE > locator) {
                throw corrupt(path, "zip64 end record offset " + zip64End + " is outside the file");
            }
            ByteBuffer z = readAt(channel, zip64End, ZIP64_END_SIZE);
            if (z.getInt(0) != ZIP64_END_MAGIC) {
                throw corrupt(path, "no zip64 end record at byte " + zip64End);
            }
            entries = z.getLong(32);
            directorySize = z.getLong(40);
            directoryOffset = z.getLong(48);
            endPosition = zip64End;
        }
        if (directoryOffset < 0
                || directorySize < 0
                || directoryOffset + directorySize > endPosition) {
            throw corrupt(
                    path,
                    "central directory ["
                            + directoryOffset
                            + ", +"
                            + directorySize
                            + ") does not end before its end record at byte "
                            + endPosition);
        }
        if (directorySize > MAX_DIRECTORY_BYTES || entries > directorySize / CENTRAL_HEADER_SIZE) {
            throw corrupt(
                    path,
                    "central directory of "
                            + directorySize
                            + " bytes cannot hold "
                            + entries
                            + " entries");
        }
        ByteBuffer dir = readAt(channel, directoryOffset, (int) directorySize);
        ZipDirectory result = new ZipDirectory((int) entries);
        int at = 0;
        for (int i = 0; i < entries; i++) {
            at = result.parseEntry(path, dir, at, i);
        }
        return result;
    }

    /**
     * Parses the central header at {@code at} into slot {@code i}; returns where the next header
     * starts.
     */
    private int parseEntry(Path path, ByteBuffer dir, int at, int i)
            throws TorchScriptFormatException {
        if (at + CENTRAL_HEADER_SIZE > dir.limit() || dir.getInt(at) != CENTRAL_MAGIC) {
            throw corrupt(path, "central directory entry " + i + " is missing or damaged");
        }
        int nameLength = Short.toUnsignedInt(dir.getShort(at + 28));
        int extraLength = Short.toUnsignedInt(dir.getShort(at + 30));
        int commentLength = Short.toUnsignedInt(dir.getShort(at + 32));
        int next = at + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
        if (next > dir.limit()) {
            throw corrupt(path, "central directory entry " + i + " runs past the directory");
        }
        byte[] name = new byte[nameLength];
        dir.get(at + CENTRAL_HEADER_SIZE, name);
        names[i] = new String(name, StandardCharsets.UTF_8);
        encrypted[i] = (dir.getShort(at + 8) & ENCRYPTED) != 0;
        methods[i] = Short.toUnsignedInt(dir.getShort(at + 10));
        compressedSizes[i] = Integer.toUnsignedLong(dir.getInt(at + 20));
        sizes[i] = Integer.toUnsignedLong(dir.getInt(at + 24));
        localHeaderOffsets[i] = Integer.toUnsignedLong(dir.getInt(at + 42));
        if (sizes[i] == 0xffffffffL
                || compressedSizes[i] == 0xffffffffL
                || localHeaderOffsets[i] == 0xffffffffL) {
            readZip64Extra(path, dir, at + CENTRAL_HEADER_SIZE + nameLength, extraLength, i);
        }
        return next;
    }

    /**
     * Replaces the 32-bit values marked 0xffffffff with those of the zip64 extra field, in its
     * fixed order.
     */
    private void readZip64Extra(Path path, ByteBuffer dir, int extra, int extraLength, int i)
            throws TorchScriptFormatException {
        int end = extra + extraLength;
        for (int at = extra; at + 4 <= end; ) {
            int id = Short.toUnsignedInt(dir.getShort(at));
            int size = Short.toUnsignedInt(dir.getShort(at + 2));
            int data = at + 4;
            if (data + size > end) {
                break;
            }
            if (id == ZIP64_EXTRA_ID) {
                int p = data;
                if (sizes[i] == 0xffffffffL && p + 8 <= data + size) {
                    sizes[i] = dir.getLong(p);
                    p += 8;
                }
                if (compressedSizes[i] == 0xffffffffL && p + 8 <= data + size) {
                    compressedSizes[i] = dir.getLong(p);
                    p += 8;
                }
                if (localHeaderOffsets[i] == 0xffffffffL && p + 8 <= data + size) {
                    localHeaderOffsets[i] = dir.getLong(p);
                }
                return;
            }
            at = data + size;
        }
        throw corrupt(
                path, "entry '" + names[i] + "' needs zip64 sizes but has no zip64 extra field");
    }

    /**
     * {@code length} bytes at {@code position}, little-endian; fewer only if the file ends first.
     */
    static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                break;
            }
        }
        return buf.limit(buf.position()).position(0);
    }

    static TorchScriptFormatException corrupt(Path path, String detail) {
        return new TorchScriptFormatException(
                "truncated or corrupt zip archive " + path + ": " + detail);
    }
}
