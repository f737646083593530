package org.torch2nnef.torchscript.code;

import java.util.Objects;

/**
 * Where a token or AST node starts in a TorchScript code file.
 *
 * @param file the code file's path inside the archive, e.g. {@code code/__torch__.py}
 * @param line 1-based line number
 * @param column 1-based column, counted in UTF-16 chars of the line
 * @param byteOffset 0-based offset in the file's UTF-8 bytes; this is the unit of the source ranges
 *     in the archive's {@code .debug_pkl} records
 */
public record SourcePos(String file, int line, int column, int byteOffset) {

    public SourcePos {
        Objects.requireNonNull(file, "file");
        if (line < 1 || column < 1 || byteOffset < 0) {
            throw new IllegalArgumentException(
                    "bad source position " + file + ":" + line + ":" + column + " @" + byteOffset);
        }
    }

    /** {@code file:line}, the form used when only the line matters. */
    public String fileAndLine() {
        return file + ":" + line;
    }

    /** {@code file:line:column}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
