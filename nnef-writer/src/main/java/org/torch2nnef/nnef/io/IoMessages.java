package org.torch2nnef.nnef.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * File errors in words, always naming the file: the JDK's exceptions carry a bare path ({@code
 * NoSuchFileException: x.npz}) or a reason without one ({@code Is a directory}).
 */
public final class IoMessages {
    private IoMessages() {}

    /** {@code FILE: no such file}, {@code FILE: permission denied}, or {@code FILE: reason}. */
    public static String describe(Path file, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            reason = f.getReason().toLowerCase(java.util.Locale.ROOT);
        } else {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return reason.startsWith(file.toString()) ? reason : file + ": " + reason;
    }
}
