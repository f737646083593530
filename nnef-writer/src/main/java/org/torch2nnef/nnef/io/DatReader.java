package org.torch2nnef.nnef.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.torch2nnef.nnef.model.TensorData;

/** Reads {@code .dat} tensor files, into memory or lazily from a file. */
public final class DatReader {
    private DatReader() {}

    /**
     * Reads and checks the 128-byte header at the start of {@code in}; {@code source} names it in
     * errors.
     */
    public static DatHeader readHeader(InputStream in, String source) throws IOException {
        byte[] bytes = new byte[DatHeader.SIZE];
        readFully(in, bytes, source, "header");
        return DatHeader.parse(bytes, source);
    }

    /**
     * Reads a whole tensor (header and payload) from {@code in} into memory; fails on payloads over
     * 2 GiB (use {@link #open} for those).
     */
    public static TensorData read(InputStream in, String source) throws IOException {
        return readPayload(in, readHeader(in, source), source);
    }

    /**
     * Reads the payload that {@code header}, already read from {@code in}, announces into memory;
     * fails on payloads over 2 GiB (use {@link #open} for those).
     */
    public static TensorData readPayload(InputStream in, DatHeader header, String source)
            throws IOException {
        if (header.dataLength() > Integer.MAX_VALUE - 8) {
            throw new NnefFormatException(
                    source
                            + ": payload of "
                            + header.dataLength()
                            + " bytes is too large to load in memory; extract the model and open the file instead");
        }
        byte[] payload = readGrowing(in, (int) header.dataLength(), source);
        return TensorData.ofPayload(header.itemType(source), header.shape(), payload);
    }

    /** First buffer of a payload; it doubles as bytes actually arrive. */
    private static final int FIRST_CHUNK = 1 << 20;

    /**
     * Reads exactly {@code length} payload bytes, growing the buffer only as bytes arrive: a header
     * may announce 2 GB that a short stream does not hold, and allocating it up front would end in
     * an {@code OutOfMemoryError} rather than a message.
     */
    private static byte[] readGrowing(InputStream in, int length, String source)
            throws IOException {
        byte[] buf = new byte[Math.min(length, FIRST_CHUNK)];
        int off = 0;
        while (off < length) {
            if (off == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(length, 2L * buf.length));
            }
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new NnefFormatException(
                        source
                                + ": truncated payload, got "
                                + off
                                + " of "
                                + length
                                + " bytes the header announces");
            }
            off += n;
        }
        return buf;
    }

    /** Reads a whole {@code .dat} file into memory. */
    public static TensorData read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            TensorData data = read(in, file.toString());
            if (in.read() >= 0) {
                throw new NnefFormatException(file + ": file is longer than header and payload");
            }
            return data;
        }
    }

    /**
     * Opens {@code file} lazily: the header is read and checked now (including that the file size
     * is header plus payload), the payload is streamed from the file whenever it is written.
     */
    public static TensorData open(Path file) throws IOException {
        DatHeader header;
        try (InputStream in = Files.newInputStream(file)) {
            header = readHeader(in, file.toString());
        }
        long size = Files.size(file);
        if (size != DatHeader.SIZE + header.dataLength()) {
            throw new NnefFormatException(
                    file
                            + ": file has "
                            + size
                            + " bytes, header announces "
                            + (DatHeader.SIZE + header.dataLength()));
        }
        return TensorData.lazy(
                header.itemType(file.toString()),
                header.shape(),
                out -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                        long pos = DatHeader.SIZE;
                        long end = DatHeader.SIZE + header.dataLength();
                        var target = Channels.newChannel(out);
                        while (pos < end) {
                            long n = ch.transferTo(pos, end - pos, target);
                            if (n <= 0) {
                                throw new EOFException(
                                        file + ": file shrank while reading its payload");
                            }
                            pos += n;
                        }
                    }
                });
    }

    static void readFully(InputStream in, byte[] buf, String source, String what)
            throws IOException {
        int off = 0;
        while (off < buf.length) {
            int n = in.read(buf, off, buf.length - off);
            if (n < 0) {
                throw new NnefFormatException(
                        source
                                + ": truncated "
                                + what
                                + ", got "
                                + off
                                + " of "
                                + buf.length
                                + " bytes");
            }
            off += n;
        }
    }
}
