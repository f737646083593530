package org.torch2nnef.graph;

import java.util.Objects;
import org.torch2nnef.torchscript.ScriptObject;

/**
 * A module instance of the traced model, where graph nodes come from.
 *
 * @param path the attribute path from the root, e.g. {@code encoder.layers.0.self_attn}; {@code ""}
 *     for the root module
 * @param torchClass the Python class, unmangled, e.g. {@code torch.nn.modules.rnn.LSTM}
 * @param qualifiedClass the TorchScript class as stored, e.g. {@code
 *     __torch__.torch.nn.modules.conv.___torch_mangle_0.Conv2d}
 * @param object the module object with its attributes and tensors
 */
public record ModuleScope(
        String path, String torchClass, String qualifiedClass, ScriptObject object) {

    public ModuleScope {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(torchClass, "torchClass");
        Objects.requireNonNull(qualifiedClass, "qualifiedClass");
        Objects.requireNonNull(object, "object");
    }

    /**
     * @param object a module object
     * @param path its attribute path from the root
     * @return its scope
     */
    public static ModuleScope of(ScriptObject object, String path) {
        return new ModuleScope(path, object.torchClassName(), object.qualifiedClassName(), object);
    }

    /**
     * @return whether this is the root module
     */
    public boolean isRoot() {
        return path.isEmpty();
    }

    /**
     * @param attribute a submodule attribute name
     * @return the path of that submodule
     */
    public String childPath(String attribute) {
        return path.isEmpty() ? attribute : path + "." + attribute;
    }

    /**
     * @return e.g. {@code features.0 (torch.nn.modules.conv.Conv2d)} or {@code <root> (...)}
     */
    public String describe() {
        return (path.isEmpty() ? "<root>" : path) + " (" + torchClass + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
