package org.torch2nnef.check;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.torch2nnef.nnef.io.ArchivePaths;

/**
 * Reads only {@code graph.nnef} of a model directory, tar or tgz: the signature needs the graph
 * text, and loading a whole archive would pull every weight into memory.
 */
final class GraphText {
    private GraphText() {}

    /** The text of {@code graph.nnef}; the exception names the model when it has none. */
    static String read(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            Path graph = model.resolve(ArchivePaths.GRAPH_NNEF);
            if (!Files.isRegularFile(graph)) {
                throw new IOException(
                        model + ": no " + ArchivePaths.GRAPH_NNEF + " in this directory");
            }
            return Files.readString(graph, StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(model)) {
            throw new IOException(model + ": NNEF model not found");
        }
        Optional<Read> read = Read.ofGzip(model);
        synchronized (GraphText.class) {
            if (read.isPresent() && last != null && last.read().equals(read.get())) {
                return last.text();
            }
        }
        String text = fromArchive(model);
        if (read.isPresent()) {
            synchronized (GraphText.class) {
                last = new Cached(read.get(), text);
            }
        }
        return text;
    }

    /**
     * A gzip-compressed archive as read, down to the CRC-32 and length of its whole content (the
     * gzip trailer): a check reads the signature of the same {@code .nnef.tgz} several times (the
     * CLI's input names, then the check), and its graph.nnef comes last, after every tensor.
     */
    private record Read(Path path, Object fileKey, long size, FileTime modified, long trailer) {
        static Optional<Read> ofGzip(Path model) {
            try (FileChannel f = FileChannel.open(model, StandardOpenOption.READ)) {
                BasicFileAttributes a = Files.readAttributes(model, BasicFileAttributes.class);
                ByteBuffer head = ByteBuffer.allocate(2);
                ByteBuffer tail = ByteBuffer.allocate(8);
                if (a.size() < 20
                        || f.read(head, 0) != 2
                        || head.get(0) != 0x1f
                        || head.get(1) != (byte) 0x8b
                        || f.read(tail, a.size() - 8) != 8) {
                    return Optional.empty();
                }
                return Optional.of(
                        new Read(
                                model.toAbsolutePath(),
                                a.fileKey(),
                                a.size(),
                                a.lastModifiedTime(),
                                tail.getLong(0)));
            } catch (IOException e) {
                return Optional.empty(); // read uncached: its errors are named there
            }
        }
    }

    private record Cached(Read read, String text) {}

    /** The last archive read and its graph text. */
    private static Cached last;

    private static String fromArchive(Path model) throws IOException {
        String current = null; // the entry being read, to name it when the archive breaks
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(model), 1 << 16);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(unzipped(raw), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                current = entry.getName();
                if (entry.isFile()
                        && ArchivePaths.GRAPH_NNEF.equals(
                                ArchivePaths.normalizeEntry(entry.getName(), model.toString()))) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            // a truncated stream throws EOFException without a message
            String reason =
                    e instanceof EOFException || e.getMessage() == null
                            ? "truncated: the archive ends early"
                            : e.getMessage();
            throw new IOException(
                    (current == null ? model.toString() : model + "!" + current)
                            + ": not a readable NNEF directory, tar or tgz: "
                            + reason,
                    e);
        }
        throw new IOException(model + ": no " + ArchivePaths.GRAPH_NNEF + " in this archive");
    }

    /** Gzip is recognised by its magic bytes, whatever the file name says. */
    private static InputStream unzipped(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }
}
