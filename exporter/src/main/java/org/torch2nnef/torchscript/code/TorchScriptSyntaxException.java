package org.torch2nnef.torchscript.code;

/**
 * TorchScript code that this parser cannot or will not read: malformed text, syntax outside the
 * subset that {@code torch.jit.trace} emits, or control flow that only {@code torch.jit.script}
 * produces. The message always starts with the file and line (and column where it helps).
 */
public final class TorchScriptSyntaxException extends RuntimeException {

    private final SourcePos pos;
    private final boolean scripted;
    private final boolean overLimit;

    private TorchScriptSyntaxException(
            String message, SourcePos pos, boolean scripted, boolean overLimit) {
        super(message);
        this.pos = pos;
        this.scripted = scripted;
        this.overLimit = overLimit;
    }

    /** Code beyond one of {@link Limits} at {@code pos}; the message gets the position prefix. */
    static TorchScriptSyntaxException overLimit(SourcePos pos, String problem) {
        return new TorchScriptSyntaxException(pos + ": " + problem, pos, false, true);
    }

    /** True when the code exceeds one of {@link Limits}. */
    public boolean overLimit() {
        return overLimit;
    }

    /**
     * Unreadable or unsupported syntax at {@code pos}; the message gets a {@code file:line:column}
     * prefix.
     */
    public static TorchScriptSyntaxException at(SourcePos pos, String problem) {
        return new TorchScriptSyntaxException(pos + ": " + problem, pos, false, false);
    }

    /**
     * Control flow (or another construct) that only scripted code contains.
     *
     * @param construct what was found, e.g. {@code "'if' statement"}
     */
    public static TorchScriptSyntaxException scripted(SourcePos pos, String construct) {
        return new TorchScriptSyntaxException(
                pos.fileAndLine()
                        + ": found "
                        + construct
                        + ": the model appears to be scripted (torch.jit.script); torch2nnef reads only traced"
                        + " models: export it with torch.jit.trace(model, example_inputs) and save that",
                pos,
                true,
                false);
    }

    /** Where the problem was found. */
    public SourcePos pos() {
        return pos;
    }

    /** True when the code is scripted code (control flow) rather than malformed or unsupported. */
    public boolean scripted() {
        return scripted;
    }
}
