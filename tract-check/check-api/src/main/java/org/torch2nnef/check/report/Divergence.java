package org.torch2nnef.check.report;

import org.torch2nnef.check.compare.OutputComparison;

/**
 * The first NNEF tensor, in graph order, whose values differ from torch's value for the same point
 * of the computation.
 *
 * @param tensor the NNEF tensor name
 * @param operation the NNEF operation that computed it, e.g. {@code conv}
 * @param comparison how it compared with torch's value (named after the tensor)
 * @param tensorsCompared how many intermediate tensors had a torch value and were compared, this
 *     one included
 */
public record Divergence(
        String tensor, String operation, OutputComparison comparison, int tensorsCompared) {
    /** One console line. */
    public String describe() {
        return "first divergence: NNEF tensor '"
                + tensor
                + "' ("
                + operation
                + "), after "
                + (tensorsCompared - 1)
                + " matching intermediate tensors: "
                + comparison.reason();
    }
}
