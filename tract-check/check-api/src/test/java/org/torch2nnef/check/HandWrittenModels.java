package org.torch2nnef.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.io.ArchivePaths;
import org.torch2nnef.nnef.io.DatHeader;
import org.torch2nnef.nnef.io.DatWriter;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;

/**
 * Test models: a hand-written {@code graph.nnef} from {@code nnef/} paired with the traced model's
 * weights that {@code make_fixtures.py} saved under the graph's labels. Resources are copied out as
 * files so that other modules can use them from this module's test jar.
 */
public final class HandWrittenModels {
    private HandWrittenModels() {}

    /** Copies the test resource {@code name} into {@code dir} and returns the file. */
    public static Path resource(String name, Path dir) {
        Path target = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = HandWrittenModels.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " missing");
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the model directory {@code dir}: {@code graph.nnef} from the resource {@code
     * nnef/GRAPH.nnef}, one {@code .dat} per f32 tensor of the resource {@code weights}.
     */
    public static Path write(String graph, String weights, Path dir) throws IOException {
        Path scratch = Files.createDirectories(dir.resolveSibling(dir.getFileName() + ".src"));
        Files.createDirectories(dir);
        Files.copy(
                resource("nnef/" + graph + ".nnef", scratch),
                dir.resolve(ArchivePaths.GRAPH_NNEF),
                StandardCopyOption.REPLACE_EXISTING);
        for (HostTensor t : Npz.read(resource(weights, scratch)).tensors()) {
            if (t.dtype() != DType.F32) {
                throw new IllegalStateException(weights + ": " + t + " is not f32");
            }
            byte[] payload = new byte[t.data().remaining()];
            t.data().get(payload);
            DatWriter.write(
                    TensorData.ofPayload(ItemType.FLOAT32, t.shape(), payload),
                    dir.resolve(ArchivePaths.datEntry(t.name())));
        }
        return dir;
    }

    /** Adds {@code delta} to the first value of an f32 {@code .dat} file, in place. */
    public static void corruptFirstValue(Path dat, float delta) throws IOException {
        byte[] bytes = Files.readAllBytes(dat);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putFloat(DatHeader.SIZE, b.getFloat(DatHeader.SIZE) + delta);
        Files.write(dat, bytes);
    }

    /** Adds every file of the model directory {@code dir} to {@code tar}, in name order. */
    public static void putFiles(TarArchiveOutputStream tar, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getFileName().toString());
                e.setSize(Files.size(f));
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
    }
}
