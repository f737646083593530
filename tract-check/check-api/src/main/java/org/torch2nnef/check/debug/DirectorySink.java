package org.torch2nnef.check.debug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes bundle entries as files under a directory. */
final class DirectorySink implements BundleSink {
    private final Path root;

    DirectorySink(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    @Override
    public void addFile(String entry, Path source) throws IOException {
        Path target = target(entry);
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void addText(String entry, String text, boolean executable) throws IOException {
        Path target = target(entry);
        Files.writeString(target, text, StandardCharsets.UTF_8);
        if (executable && !target.toFile().setExecutable(true, false)) {
            throw new IOException(target + ": cannot make executable");
        }
    }

    private Path target(String entry) throws IOException {
        Path target = root.resolve(entry);
        Files.createDirectories(target.getParent());
        return target;
    }

    @Override
    public void close() {}
}
