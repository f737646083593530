package org.torch2nnef.nnef.io;

/** A syntax error in {@code graph.nnef} or {@code graph.quant} text, with its line and column. */
public class NnefParseException extends NnefFormatException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    /** An error at {@code line:column} (1-based) of {@code source}. */
    public NnefParseException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The file or entry name. */
    public String source() {
        return source;
    }

    /** 1-based line of the error. */
    public int line() {
        return line;
    }

    /** 1-based column of the error. */
    public int column() {
        return column;
    }
}
