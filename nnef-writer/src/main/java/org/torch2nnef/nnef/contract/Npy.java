package org.torch2nnef.nnef.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numpy {@code .npy} format, versions 1.0 to 3.0 for reading and 1.0 for writing. Only C-order,
 * little-endian arrays of the {@link DType} types are supported.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final int COPY_CHUNK = 1 << 16;
    private static final int MAX_HEADER = 1 << 20;

    private Npy() {}

    /**
     * Reads one array from {@code in}, consuming exactly its bytes.
     *
     * @param name the name given to the tensor
     * @param source where the bytes come from, for error messages (file and entry)
     * @throws IOException on a malformed header, unsupported layout or truncated data
     */
    public static HostTensor read(InputStream in, String name, String source) throws IOException {
        NpyHeader header = readHeader(in, name, source);
        long bytes;
        try {
            bytes = HostTensor.elementCount(header.shape()) * header.dtype().byteSize();
        } catch (ArithmeticException e) {
            throw new IOException(source + ": shape overflows", e);
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new IOException(source + ": array of " + bytes + " bytes is larger than 2 GiB");
        }
        ByteBuffer data = ByteBuffer.wrap(readFully(in, (int) bytes, source));
        return HostTensor.of(name, header.dtype(), header.shape(), data);
    }

    /**
     * Reads the header of one array from {@code in}, leaving it at the first data byte.
     *
     * @param name the name given to the array
     * @param source where the bytes come from, for error messages (file and entry)
     * @throws IOException on a malformed header or unsupported layout
     */
    public static NpyHeader readHeader(InputStream in, String name, String source)
            throws IOException {
        byte[] preamble = in.readNBytes(MAGIC.length + 2);
        for (int i = 0; i < MAGIC.length; i++) {
            if (preamble.length < MAGIC.length + 2 || preamble[i] != MAGIC[i]) {
                throw new IOException(source + ": not a .npy array (bad magic)");
            }
        }
        int major = preamble[6];
        int headerLength;
        if (major == 1) {
            headerLength = littleEndian(readFully(in, 2, source));
        } else if (major == 2 || major == 3) {
            headerLength = littleEndian(readFully(in, 4, source));
        } else {
            throw new IOException(
                    source + ": unsupported .npy version " + major + "." + preamble[7]);
        }
        if (headerLength < 0 || headerLength > MAX_HEADER) {
            throw new IOException(source + ": implausible .npy header length " + headerLength);
        }
        String header = new String(readFully(in, headerLength, source), StandardCharsets.UTF_8);
        DType dtype;
        try {
            dtype = DType.fromNumpyDescr(find(DESCR, header, "descr", source));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        if (find(FORTRAN, header, "fortran_order", source).equals("True")) {
            throw new IOException(
                    source
                            + ": Fortran-order arrays are not supported; save with "
                            + "np.ascontiguousarray(...)");
        }
        return new NpyHeader(name, dtype, parseShape(find(SHAPE, header, "shape", source), source));
    }

    /** Writes {@code tensor} as a version 1.0 {@code .npy} array. */
    public static void write(HostTensor tensor, OutputStream out) throws IOException {
        StringBuilder dict =
                new StringBuilder("{'descr': '")
                        .append(tensor.dtype().numpyDescr())
                        .append("', 'fortran_order': False, 'shape': (");
        long[] shape = tensor.shape();
        for (int i = 0; i < shape.length; i++) {
            dict.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        dict.append(shape.length == 1 ? ",), }" : "), }");
        // numpy pads the header with spaces and a newline so the data starts 64-byte aligned.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        dict.append(" ".repeat((64 - unpadded % 64) % 64)).append('\n');
        byte[] header = dict.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(new byte[] {1, 0, (byte) header.length, (byte) (header.length >>> 8)});
        out.write(header);
        ByteBuffer data = tensor.data();
        if (data.hasArray()) {
            out.write(data.array(), data.arrayOffset(), data.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(COPY_CHUNK, data.remaining())];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private static String find(Pattern p, String header, String key, String source)
            throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(
                    source + ": .npy header has no valid '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String text, String source) throws IOException {
        String[] parts = text.split(",");
        int n = 0;
        long[] dims = new long[parts.length];
        for (String p : parts) {
            String t = p.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                dims[n++] = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new IOException(source + ": bad dimension '" + t + "' in .npy shape", e);
            }
        }
        long[] shape = new long[n];
        System.arraycopy(dims, 0, shape, 0, n);
        return shape;
    }

    private static byte[] readFully(InputStream in, int n, String source) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException(
                    source + ": truncated .npy (expected " + n + " bytes, got " + b.length + ")");
        }
        return b;
    }

    private static int littleEndian(byte[] b) {
        return b.length == 2
                ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff
                : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
