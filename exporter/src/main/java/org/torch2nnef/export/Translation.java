package org.torch2nnef.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * The NNEF model translated from a graph, with what an export reports about it.
 *
 * @param model the model; its variables stream from the still-open TorchScript archive
 * @param inputs the NNEF inputs in order
 * @param outputs the NNEF outputs in order
 * @param opsUsed the NNEF operations invoked, sorted
 * @param tractOps the tract extension operations among them, sorted
 * @param symbols the tract symbols of dynamic sizes, sorted
 * @param variableCount the number of {@code .dat} tensors
 * @param variableBytes their payload bytes
 * @param outputSteps the quantization step of each output that dequantizes an 8-bit tensor, by
 *     output name, in output order
 */
public record Translation(
        NnefModel model,
        List<Port> inputs,
        List<Port> outputs,
        SortedSet<String> opsUsed,
        SortedSet<String> tractOps,
        SortedSet<String> symbols,
        int variableCount,
        long variableBytes,
        Map<String, OutputQuantization.Step> outputSteps) {

    /**
     * One NNEF graph input or output.
     *
     * @param name its NNEF identifier
     * @param dtype the torch dtype name, e.g. {@code float32}
     * @param shape its shape, possibly symbolic
     */
    public record Port(String name, String dtype, Shape shape) {
        @Override
        public String toString() {
            return name + ": " + dtype + shape;
        }
    }

    public Translation {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        outputSteps = Collections.unmodifiableMap(new LinkedHashMap<>(outputSteps));
    }
}
