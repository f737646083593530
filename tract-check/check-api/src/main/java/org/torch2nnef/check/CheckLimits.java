package org.torch2nnef.check;

import org.torch2nnef.nnef.contract.Limit;

/** Bounds on what a check holds in its own heap, whatever the models it is handed declare. */
public final class CheckLimits {
    /**
     * Bytes of tensors the check holds: the inputs it generates from the declared shapes, and the
     * outputs each child process hands back (both are refused from their sizes, before anything is
     * allocated). By default a quarter of the heap this JVM may grow to, since inputs, torch's
     * outputs and the interpreter's are held together.
     */
    public static final Limit TENSOR_BYTES =
            new Limit("checkTensorBytes", Runtime.getRuntime().maxMemory() / 4);

    private CheckLimits() {}

    /** The message end naming the limit and how to raise it. */
    public static String raise() {
        return TENSOR_BYTES.describe() + " and a larger -Xmx through TORCH2NNEF_JAVA_OPTS";
    }
}
