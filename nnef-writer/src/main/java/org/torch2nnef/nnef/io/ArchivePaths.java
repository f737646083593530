package org.torch2nnef.nnef.io;

/**
 * Entry names inside NNEF archives and model directories: {@code graph.nnef}, {@code graph.quant}
 * and {@code label.dat} per tensor, {@code /}-separated and relative.
 */
public final class ArchivePaths {
    /** The graph text entry. */
    public static final String GRAPH_NNEF = "graph.nnef";

    /** The quantization entry. */
    public static final String GRAPH_QUANT = "graph.quant";

    /** Suffix of tensor entries. */
    public static final String DAT_SUFFIX = ".dat";

    private ArchivePaths() {}

    /**
     * The entry name of tensor {@code label} ({@code a/b} gives {@code a/b.dat}), after checking
     * that it stays inside the model: relative, no empty, {@code .} or {@code ..} segment, no
     * backslash or NUL, and no segment starting with {@code .} (tract skips those as hidden).
     */
    public static String datEntry(String label) {
        String problem = labelProblem(label);
        if (problem != null) {
            throw new IllegalArgumentException("tensor label '" + label + "' " + problem);
        }
        return label + DAT_SUFFIX;
    }

    private static String labelProblem(String label) {
        if (label == null || label.isEmpty()) {
            return "is empty";
        }
        if (label.indexOf('\\') >= 0 || label.indexOf('\0') >= 0) {
            return "contains a backslash or NUL";
        }
        if (label.startsWith("/")) {
            return "is absolute; labels are paths relative to the model root";
        }
        for (String segment : label.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty path segment";
            }
            if (segment.equals("..") || segment.equals(".")) {
                return "has a '" + segment + "' segment, which would leave or alias the model root";
            }
            if (segment.startsWith(".")) {
                return "has the hidden segment '" + segment + "', which tract skips when loading";
            }
        }
        return null;
    }

    /**
     * Normalises an entry name read from {@code source}: strips leading {@code ./}, rejects names
     * that would escape the archive root (absolute, drive letters, {@code ..}, backslashes), and
     * returns {@code null} for entries tract ignores (a segment starting with {@code .}).
     */
    public static String normalizeEntry(String name, String source) throws NnefFormatException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.startsWith("/")
                || n.indexOf('\\') >= 0
                || n.indexOf('\0') >= 0
                || n.matches("^[A-Za-z]:.*")) {
            throw new NnefFormatException(
                    source
                            + ": entry '"
                            + name
                            + "' has an absolute or non-portable path; refusing to read outside the archive root");
        }
        String[] segments = n.split("/", -1);
        boolean hidden = false;
        StringBuilder out = new StringBuilder();
        for (String s : segments) {
            if (s.equals("..")) {
                throw new NnefFormatException(
                        source
                                + ": entry '"
                                + name
                                + "' escapes the archive root with '..'; refusing to read it");
            }
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            hidden |= s.startsWith(".");
            out.append(out.length() == 0 ? "" : "/").append(s);
        }
        return hidden || out.length() == 0 ? null : out.toString();
    }
}
