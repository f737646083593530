package org.torch2nnef.export;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Reads the names, dtypes and shapes of the arrays of an {@code .npz} file from their {@code .npy}
 * headers only (the data is never read), so that an inputs file can declare a model's inputs.
 */
public final class NpzHeaders {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * One array of the file.
     *
     * @param name  the entry name without {@code .npy}
     * @param dtype its element type
     * @param shape its shape
     */
    public record Entry(String name, TorchDType dtype, long[] shape) {
        @Override
        public String toString() {
            return name + ": " + dtype.torchName() + java.util.Arrays.toString(shape);
        }
    }

    private NpzHeaders() {
    }

    /**
     * @param npz an {@code .npz} file
     * @return its arrays in the file's order
     * @throws IOException if the file is not an npz of supported arrays (the message names the entry)
     */
    public static List<Entry> read(Path npz) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(npz.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                if (e.isDirectory()) {
                    continue;
                }
                if (!e.getName().endsWith(".npy")) {
                    throw new IOException(npz + ": entry " + e.getName() + " is not an .npy array");
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.add(readHeader(name, in, npz + "!" + e.getName()));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(npz + " is not an .npz (zip) file: " + e.getMessage(), e);
        }
        return out;
    }

    private static Entry readHeader(String name, InputStream raw, String where) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        try {
            byte[] magic = new byte[6];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(where + ": not an .npy array (bad magic)");
            }
            int major = in.readUnsignedByte();
            in.readUnsignedByte();
            long length = major == 1 ? Short.toUnsignedInt(Short.reverseBytes(in.readShort()))
                    : Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            if (length > 1 << 20) {
                throw new IOException(where + ": .npy header of " + length + " bytes is implausible");
            }
            byte[] header = new byte[(int) length];
            in.readFully(header);
            return parse(name, new String(header, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1), where);
        } catch (EOFException e) {
            throw new IOException(where + ": truncated .npy header", e);
        }
    }

    private static Entry parse(String name, String header, String where) throws IOException {
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IOException(where + ": cannot read .npy header " + header.trim());
        }
        if (fortran.group(1).equals("True")) {
            throw new IOException(where + ": Fortran-ordered arrays are not supported; save C-ordered arrays");
        }
        TorchDType dtype = dtype(descr.group(1), where);
        List<Long> dims = new ArrayList<>();
        for (String part : shape.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        return new Entry(name, dtype, dims.stream().mapToLong(Long::longValue).toArray());
    }

    private static TorchDType dtype(String descr, String where) throws IOException {
        if (descr.length() > 1 && descr.charAt(0) == '>' && !descr.endsWith("1")) {
            throw new IOException(where + ": big-endian dtype " + descr + " is not supported");
        }
        return switch (descr.substring(1)) {
            case "f4" -> TorchDType.FLOAT32;
            case "f8" -> TorchDType.FLOAT64;
            case "f2" -> TorchDType.FLOAT16;
            case "i8" -> TorchDType.INT64;
            case "i4" -> TorchDType.INT32;
            case "i2" -> TorchDType.INT16;
            case "i1" -> TorchDType.INT8;
            case "u1" -> TorchDType.UINT8;
            case "b1" -> TorchDType.BOOL;
            default -> throw new IOException(where + ": unsupported dtype " + descr);
        };
    }
}
