package org.torch2nnef.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Damaged copies of a sample TorchScript archive, made byte by byte for hostile-input tests. */
final class ModelZips {
    private ModelZips() {}

    static Path sample() {
        return Path.of("..", "samples", "models", "conv_relu_linear.pt")
                .toAbsolutePath()
                .normalize();
    }

    /** The sample's entries in order, with their bytes. */
    static Map<String, byte[]> entries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(sample().toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        return entries;
    }

    /** The entries zipped DEFLATED. */
    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Renames every occurrence of {@code from} (local and central headers) to {@code to}. */
    static void rename(byte[] zip, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("names must have the same length");
        }
        for (int at = 0; at + f.length <= zip.length; at++) {
            if (Arrays.equals(zip, at, at + f.length, f, 0, f.length)) {
                System.arraycopy(t, 0, zip, at, t.length);
            }
        }
    }

    /** Overwrites the uncompressed size in the central directory header of {@code entry}. */
    static void patchCentralSize(byte[] zip, String entry, int size) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + 46 + name.length <= zip.length; at++) {
            if (b.getInt(at) == 0x02014b50
                    && b.getShort(at + 28) == name.length
                    && Arrays.equals(zip, at + 46, at + 46 + name.length, name, 0, name.length)) {
                b.putInt(at + 24, size);
                return;
            }
        }
        throw new AssertionError("no central header for " + entry);
    }
}
