package org.torch2nnef.nnef.io;

import org.torch2nnef.nnef.contract.Limit;

/**
 * Bounds on the NNEF text read back, so that a hostile archive gets a message instead of an {@code
 * OutOfMemoryError} or a {@code StackOverflowError}. Each is read from the system property {@code
 * torch2nnef.limit.NAME} (set through {@code TORCH2NNEF_JAVA_OPTS}) when asked for, so tests and
 * very unusual models can raise it; README lists them.
 */
public final class Limits {
    /** Bytes of graph.nnef or graph.quant text: 16000 ops print to about 2 MB. */
    public static final Limit GRAPH_TEXT_BYTES = new Limit("graphTextBytes", 256L << 20);

    /** Nesting of brackets and operators within one NNEF expression. */
    public static final Limit NNEF_EXPRESSION_DEPTH = new Limit("nnefExpressionDepth", 400);

    /** Fragments invoked inside one another's bodies. */
    public static final Limit FRAGMENT_DEPTH = new Limit("fragmentDepth", 200);

    /**
     * Bytes of tensor payloads an archive read into memory may hold in total: by default three
     * quarters of the heap this JVM may grow to (-Xmx), so that a small tgz of zeros announcing
     * gigabytes gets a message rather than an {@code OutOfMemoryError}, and the rest is left for
     * running the model.
     */
    public static final Limit NNEF_TENSOR_BYTES =
            new Limit("nnefTensorBytes", Runtime.getRuntime().maxMemory() / 4 * 3);

    /**
     * Bytes an archive may extract to disk in total (what {@code check} extracts for the reference
     * interpreter, which reads tensors lazily from files): a small tgz of zeros can announce
     * gigabytes, and the interpreter could not hold a model larger than its child's memory cap
     * anyway. Counted from the entries' declared sizes before anything is written.
     */
    public static final Limit NNEF_EXTRACT_BYTES = new Limit("nnefExtractBytes", 16L << 30);

    private Limits() {}

    /**
     * Reads every limit once, so that a malformed property is reported before any work.
     *
     * @param source the archive being read, named in the message
     * @throws NnefFormatException naming the property and its value
     */
    static void validate(String source) throws NnefFormatException {
        try {
            for (Limit limit :
                    new Limit[] {
                        GRAPH_TEXT_BYTES,
                        NNEF_EXPRESSION_DEPTH,
                        FRAGMENT_DEPTH,
                        NNEF_TENSOR_BYTES,
                        NNEF_EXTRACT_BYTES
                    }) {
                limit.value();
            }
        } catch (IllegalArgumentException e) {
            throw new NnefFormatException(source + ": " + e.getMessage(), e);
        }
    }
}
