package org.torch2nnef.nnef.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Writes {@code .dat} tensor files: the {@link DatHeader} then the payload streamed from the {@link
 * TensorData}, checking that exactly {@link TensorData#payloadBytes()} bytes arrive.
 */
public final class DatWriter {
    private DatWriter() {}

    /** Size of the whole {@code .dat} file of {@code data}. */
    public static long fileSize(TensorData data) {
        return DatHeader.SIZE + data.payloadBytes();
    }

    /**
     * Writes the {@code .dat} bytes of {@code data} to {@code out} (not closed); {@code source}
     * names the tensor in errors.
     */
    public static void write(TensorData data, OutputStream out, String source) throws IOException {
        DatHeader header = checkedHeader(data, source);
        out.write(header.toBytes());
        ExactLength counted = new ExactLength(out, header.dataLength(), source);
        data.writePayload(counted);
        counted.finish();
    }

    /**
     * The 128 header bytes of the {@code .dat} file of {@code data}; {@code source} names it in
     * errors.
     */
    static byte[] header(TensorData data, String source) {
        return checkedHeader(data, source).toBytes();
    }

    private static DatHeader checkedHeader(TensorData data, String source) {
        try {
            return DatHeader.of(data);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code data} to the file {@code file}. */
    public static void write(TensorData data, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(data, out, file.toString());
        }
    }

    /** Passes bytes through, failing as soon as more than the announced payload is written. */
    private static final class ExactLength extends FilterOutputStream {
        private final long expected;
        private final String source;
        private long written;

        ExactLength(OutputStream out, long expected, String source) {
            super(out);
            this.expected = expected;
            this.source = source;
        }

        @Override
        public void write(int b) throws IOException {
            grow(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            grow(len);
            out.write(b, off, len);
        }

        private void grow(int n) throws IOException {
            written += n;
            if (written > expected) {
                throw new IOException(
                        source
                                + ": tensor payload is longer than the "
                                + expected
                                + " bytes its item type and shape announce");
            }
        }

        void finish() throws IOException {
            if (written != expected) {
                throw new IOException(
                        source
                                + ": tensor payload has "
                                + written
                                + " bytes, but its item type and shape announce "
                                + expected);
            }
        }

        @Override
        public void close() {
            // the caller owns the underlying stream
        }
    }
}
