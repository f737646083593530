package org.torch2nnef.serve;

import java.util.Locale;

/**
 * The file name an upload is stored under: the client's last path segment, reduced to letters,
 * digits, {@code . _ -}. The export records it ({@code source_file}), so an upload named as on the
 * client gives the archive the CLI writes for that file.
 */
public final class UploadName {
    private UploadName() {}

    /**
     * A safe name for {@code clientName}; {@code fallback} leads it when it would be empty or
     * hidden.
     */
    public static String of(String clientName, String fallback) {
        String n = clientName == null ? "" : clientName;
        n = n.substring(Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\')) + 1);
        n = n.replaceAll("[^A-Za-z0-9._-]", "_");
        if (n.length() > 120) {
            n = n.substring(n.length() - 120);
        }
        if (n.isEmpty() || n.startsWith(".")) {
            n = fallback + n;
        }
        return n;
    }

    /** The name an export of {@code modelName} gets: its stem with {@code .nnef.tgz}. */
    public static String archiveFor(String modelName) {
        String stem = modelName;
        if (stem.toLowerCase(Locale.ROOT).endsWith(".pt")) {
            stem = stem.substring(0, stem.length() - 3);
        }
        return stem + ".nnef.tgz";
    }
}
