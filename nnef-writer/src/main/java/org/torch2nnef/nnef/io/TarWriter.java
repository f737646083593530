package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.torch2nnef.nnef.model.FileRegion;

/**
 * A deterministic POSIX (ustar + PAX) tar stream of regular files onto a channel: mtime 0, uid/gid
 * 0, no user or group names, mode 0644, a PAX header for names that are not ASCII or longer than
 * 100 bytes and for sizes of 8 GiB and more, archive padded to 10240-byte blocks like tar does.
 *
 * <p>Written by hand rather than with commons-compress because an entry's content can come from a
 * file region by {@link #transfer} ({@code FileChannel.transferTo}, copied inside the kernel when
 * both ends are files), which is how large weights reach a {@code .nnef.tar} at the speed of {@code
 * cp}. Other content goes through {@link #content()}, buffered in one direct buffer.
 */
final class TarWriter {
    private static final int RECORD = 512;
    private static final int BLOCK = 20 * RECORD;
    private static final long USTAR_MAX_SIZE = 077777777777L;
    private static final int FILE_MODE = 0644;

    private final WritableByteChannel out;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 18);
    private final OutputStream content = new ContentStream();
    private long position;
    private String entry;
    private long entrySize;
    private long entryWritten;

    TarWriter(WritableByteChannel out) {
        this.out = out;
    }

    /** Starts the entry {@code name} of exactly {@code size} bytes, to be written next. */
    void begin(String name, long size) throws IOException {
        if (entry != null) {
            throw new IllegalStateException("entry " + entry + " is not finished");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean asciiName = nameBytes.length == name.length();
        boolean paxName = !asciiName || nameBytes.length > 100;
        boolean paxSize = size > USTAR_MAX_SIZE;
        if (paxName || paxSize) {
            StringBuilder records = new StringBuilder();
            if (paxName) {
                records.append(paxRecord("path", name));
            }
            if (paxSize) {
                records.append(paxRecord("size", Long.toString(size)));
            }
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            put(header(paxEntryName(name), pax.length, (byte) 'x'));
            put(pax);
            pad();
        }
        put(header(paxName ? asciiPrefix(name, 100) : name, paxSize ? 0 : size, (byte) '0'));
        entry = name;
        entrySize = size;
        entryWritten = 0;
    }

    /**
     * @return how many bytes of the archive were written so far (buffered ones included)
     */
    long position() {
        return position;
    }

    /** The content stream of the current entry (not to be closed). */
    OutputStream content() {
        return content;
    }

    /**
     * Appends {@code region} to the current entry by channel transfer; {@code target} names it in
     * errors.
     */
    void transfer(FileRegion region, String target) throws IOException {
        count(region.length());
        flush();
        if (out instanceof ParallelGzipOutputStream gzip) {
            gzip.transferFrom(region, target); // read into its blocks, not through an 8 KiB copy
        } else {
            NnefArchiveWriter.transferFully(region, out, target);
        }
        position += region.length();
    }

    /** Finishes the current entry, which must have received exactly its announced size. */
    void end() throws IOException {
        if (entryWritten != entrySize) {
            throw new IOException(
                    "tar entry "
                            + entry
                            + " has "
                            + entryWritten
                            + " bytes, but "
                            + entrySize
                            + " were announced");
        }
        pad();
        entry = null;
    }

    /** Writes the end-of-archive records and flushes; the channel is not closed. */
    void finish() throws IOException {
        if (entry != null) {
            throw new IllegalStateException("entry " + entry + " is not finished");
        }
        put(new byte[2 * RECORD]);
        put(new byte[(int) ((BLOCK - position % BLOCK) % BLOCK)]);
        flush();
    }

    private void count(long n) throws IOException {
        if (entry == null) {
            throw new IllegalStateException("no tar entry started");
        }
        if (entryWritten + n > entrySize) {
            throw new IOException(
                    "tar entry "
                            + entry
                            + " receives more than the "
                            + entrySize
                            + " bytes announced");
        }
        entryWritten += n;
    }

    private void pad() throws IOException {
        put(new byte[(int) ((RECORD - position % RECORD) % RECORD)]);
    }

    private void put(byte[] b) throws IOException {
        put(b, 0, b.length);
    }

    private void put(byte[] b, int off, int len) throws IOException {
        position += len;
        while (len > 0) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = Math.min(len, buffer.remaining());
            buffer.put(b, off, n);
            off += n;
            len -= n;
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }

    /** A ustar header record; every numeric field is zero-padded octal ended by NUL. */
    private static byte[] header(String name, long size, byte type) {
        byte[] h = new byte[RECORD];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, FILE_MODE);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum); // six digits, NUL, and the space left from the fill
        return h;
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String digits = Long.toOctalString(value);
        int width = len - 1;
        if (digits.length() > width) {
            throw new IllegalArgumentException(
                    "value " + value + " does not fit a " + len + "-byte tar field");
        }
        for (int i = 0; i < width; i++) {
            int d = i - (width - digits.length());
            h[off + i] = d < 0 ? (byte) '0' : (byte) digits.charAt(d);
        }
        h[off + width] = 0;
    }

    /** {@code "LEN key=value\n"} where LEN counts the whole record, its own digits included. */
    private static String paxRecord(String key, String value) {
        int body =
                key.getBytes(StandardCharsets.UTF_8).length
                        + value.getBytes(StandardCharsets.UTF_8).length
                        + 3;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        return len + " " + key + "=" + value + "\n";
    }

    private static String paxEntryName(String name) {
        return asciiPrefix("./PaxHeaders.X/" + name, 100);
    }

    /** The name with non-ASCII characters replaced by '_', cut to {@code max} bytes. */
    private static String asciiPrefix(String name, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < max; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x80 && c != 0 ? c : '_');
        }
        return sb.toString();
    }

    /** Buffered content of the current entry. */
    private final class ContentStream extends OutputStream {
        private final byte[] one = new byte[1];

        @Override
        public void write(int b) throws IOException {
            one[0] = (byte) b;
            write(one, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            put(b, off, len);
        }

        @Override
        public void close() {
            // the archive owns the channel
        }
    }
}
