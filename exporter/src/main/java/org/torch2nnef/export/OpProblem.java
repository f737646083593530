package org.torch2nnef.export;

import java.util.Objects;
import org.torch2nnef.graph.Node;

/**
 * One node the exporter could not translate.
 *
 * @param kind the op, e.g. {@code aten::grid_sampler}
 * @param module the module path and torch class, e.g. {@code features.0
 *     (torch.nn.modules.conv.Conv2d)}
 * @param location where the call is: user source and TorchScript code position
 * @param reason why it was not translated
 */
public record OpProblem(String kind, String module, String location, String reason) {

    public OpProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * @param node the node
     * @param reason why it was not translated
     * @return the problem located at the node
     */
    public static OpProblem at(Node node, String reason) {
        return new OpProblem(
                node.kind(), node.scope().describe(), node.location().toString(), reason);
    }

    /**
     * @return e.g. {@code aten::foo in features.0 (torch...Conv2d) at code/__torch__.py:3:9
     *     (model.py:12): no translator}
     */
    public String describe() {
        return kind + " in " + module + " at " + location + ": " + reason;
    }
}
