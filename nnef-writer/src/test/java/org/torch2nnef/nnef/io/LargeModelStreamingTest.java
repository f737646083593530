package org.torch2nnef.nnef.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Writes a 256 MiB tensor through a lazy {@link TensorData} into a {@code .nnef.tar} in a JVM whose
 * heap is far smaller (the {@code large-model-small-heap} surefire execution runs this class alone
 * with {@code -Xmx64m}), proving that payloads stream end to end.
 */
class LargeModelStreamingTest {
    private static final int SIDE = 8192; // 8192 x 8192 floats = 256 MiB
    private static final long PAYLOAD = 4L * SIDE * SIDE;
    private static final int CHUNK = 1 << 20;

    /** Deterministic payload bytes, generated chunk by chunk. */
    private static void generate(OutputStream out) throws IOException {
        byte[] chunk = new byte[CHUNK];
        for (long written = 0; written < PAYLOAD; written += CHUNK) {
            for (int i = 0; i < CHUNK; i++) {
                long pos = written + i;
                chunk[i] = (byte) (pos * 31 + (pos >>> 20));
            }
            out.write(chunk);
        }
    }

    private static long expectedCrc() throws IOException {
        CRC32 crc = new CRC32();
        generate(crcSink(crc));
        return crc.getValue();
    }

    @Test
    void payloadLargerThanTheHeapStreamsIntoATar(@TempDir Path dir) throws IOException {
        long heap = Runtime.getRuntime().maxMemory();
        assertTrue(
                heap < PAYLOAD / 2,
                "this test must run with a heap well below the payload "
                        + "(surefire execution large-model-small-heap, -Xmx64m); max heap is "
                        + heap);

        NnefModel model =
                NnefModel.builder(
                                Graph.builder("big")
                                        .output("w")
                                        .assign(
                                                "w",
                                                Invocation.variable(
                                                        ElementType.SCALAR,
                                                        Expr.ints(SIDE, SIDE),
                                                        "big"))
                                        .build())
                        .tensor(
                                "big",
                                TensorData.lazy(
                                        ItemType.FLOAT32,
                                        new long[] {SIDE, SIDE},
                                        LargeModelStreamingTest::generate))
                        .build();
        Path target = dir.resolve("big.nnef.tar");
        NnefArchiveWriter.write(model, target, 0);
        assertTrue(Files.size(target) > PAYLOAD + 128);

        TarArchiveEntry found = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(target))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.getName().equals("big.dat")) {
                    found = e;
                    DatHeader h = DatReader.readHeader(tar, "big.dat");
                    assertEquals(PAYLOAD, h.dataLength());
                    assertArrayEquals(new long[] {SIDE, SIDE}, h.shape());
                    assertEquals(ItemType.FLOAT32, h.itemType("big.dat"));
                    assertEquals(expectedCrc(), crcOf(tar));
                }
            }
        }
        assertNotNull(found, "big.dat entry");
        assertEquals(128 + PAYLOAD, found.getSize());

        Path extracted = dir.resolve("extracted");
        NnefArchiveReader.extract(target, extracted);
        NnefModel back = NnefArchiveReader.read(extracted); // directory tensors are opened lazily
        TensorData big = back.tensors().get("big");
        assertEquals(PAYLOAD, big.payloadBytes());
        CRC32 crc = new CRC32();
        big.writePayload(crcSink(crc));
        assertEquals(expectedCrc(), crc.getValue());
    }

    private static OutputStream crcSink(CRC32 crc) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                crc.update(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                crc.update(b, off, len);
            }
        };
    }

    private static long crcOf(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[CHUNK];
        int n;
        while ((n = in.read(buf)) > 0) {
            crc.update(buf, 0, n);
        }
        return crc.getValue();
    }
}
