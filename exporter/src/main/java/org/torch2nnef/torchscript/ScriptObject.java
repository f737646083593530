package org.torch2nnef.torchscript;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.torch2nnef.torchscript.pickle.PickleTuple;

/**
 * An object of a TorchScript class as pickled in {@code data.pkl}: usually an {@code nn.Module}
 * whose attributes are its submodules, parameters, buffers and plain values. Attribute values are
 * {@link ScriptObject}, {@link TorchTensor}, Long, Double, Boolean, String (also for {@code
 * torch.device} values, e.g. {@code "cpu"}), List (tuples are {@link PickleTuple}), Map, byte[] or
 * null, in pickle order.
 */
public final class ScriptObject {
    private static final Pattern MANGLE = Pattern.compile("\\.___torch_mangle_\\d+(?=\\.)");
    private static final String TORCH_PREFIX = "__torch__.";

    private final String qualifiedClassName;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Object state;

    ScriptObject(String qualifiedClassName) {
        this.qualifiedClassName = qualifiedClassName;
    }

    /**
     * An object known by its class only: the modules of a torch.export program, whose archive
     * records their classes and paths but no attributes.
     *
     * @param className e.g. {@code torch.nn.modules.conv.Conv1d}
     * @return an object of that class without attributes
     */
    public static ScriptObject ofClass(String className) {
        return new ScriptObject(className);
    }

    void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    void setState(Object state) {
        this.state = state;
    }

    /**
     * @return the class name exactly as in the archive, e.g. {@code
     *     __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d}
     */
    public String qualifiedClassName() {
        return qualifiedClassName;
    }

    /**
     * @return the Python class the TorchScript class was made from: {@code __torch__.} and {@code
     *     ___torch_mangle_N} segments removed, e.g. {@code torch.nn.modules.conv.Conv1d}
     */
    public String torchClassName() {
        return unmangle(qualifiedClassName);
    }

    /**
     * @return the last segment of the class name, e.g. {@code Conv1d}
     */
    public String simpleClassName() {
        return qualifiedClassName.substring(qualifiedClassName.lastIndexOf('.') + 1);
    }

    /**
     * @return the TorchScript module holding the class's code, e.g. {@code
     *     __torch__.torch.nn.modules.conv.___torch_mangle_3} (see {@link
     *     TorchScriptArchive#source(String)})
     */
    public String codeModule() {
        int dot = qualifiedClassName.lastIndexOf('.');
        return dot < 0 ? qualifiedClassName : qualifiedClassName.substring(0, dot);
    }

    /**
     * Removes the TorchScript prefix and mangling from a qualified class name.
     *
     * @param qualifiedName e.g. {@code __torch__.torch.nn.modules.linear.___torch_mangle_5.Linear}
     * @return e.g. {@code torch.nn.modules.linear.Linear}
     */
    public static String unmangle(String qualifiedName) {
        String s = MANGLE.matcher(qualifiedName).replaceAll("");
        return s.startsWith(TORCH_PREFIX) ? s.substring(TORCH_PREFIX.length()) : s;
    }

    /**
     * @return the attributes in pickle order (unmodifiable)
     */
    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    /**
     * @param name an attribute name
     * @return the attribute value (which may itself be null), or empty if there is no such
     *     attribute
     */
    public Optional<Object> attribute(String name) {
        return attributes.containsKey(name)
                ? Optional.ofNullable(attributes.get(name))
                : Optional.empty();
    }

    /**
     * Follows a dotted attribute path, e.g. {@code encoder.layers.0.weight}.
     *
     * @param path dot-separated attribute names
     * @return the value, or empty if some step is missing or not an object
     */
    public Optional<Object> find(String path) {
        Object current = this;
        for (String step : path.split("\\.", -1)) {
            if (!(current instanceof ScriptObject o) || !o.attributes.containsKey(step)) {
                return Optional.empty();
            }
            current = o.attributes.get(step);
        }
        return Optional.ofNullable(current);
    }

    /**
     * @param path a dotted path such as {@code encoder.layers.0}
     * @return the object there, if it is a {@link ScriptObject}
     */
    public Optional<ScriptObject> findObject(String path) {
        return find(path).filter(ScriptObject.class::isInstance).map(ScriptObject.class::cast);
    }

    /**
     * @param path a dotted path such as {@code fc.weight}
     * @return the tensor there, if it is a {@link TorchTensor}
     */
    public Optional<TorchTensor> findTensor(String path) {
        return find(path).filter(TorchTensor.class::isInstance).map(TorchTensor.class::cast);
    }

    /**
     * Every tensor attribute of this object and its sub-objects (parameters and buffers alike), by
     * dotted path, depth-first in pickle order, like {@code state_dict()} keys.
     *
     * @return path to tensor
     */
    public Map<String, TorchTensor> namedTensors() {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        collectTensors("", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    /** {@code visiting} guards against a (hostile) pickle whose objects contain themselves. */
    private void collectTensors(
            String prefix, Map<String, TorchTensor> out, Set<ScriptObject> visiting) {
        if (!visiting.add(this)) {
            return;
        }
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            if (e.getValue() instanceof TorchTensor t) {
                out.put(prefix + e.getKey(), t);
            }
        }
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            if (e.getValue() instanceof ScriptObject o) {
                o.collectTensors(prefix + e.getKey() + ".", out, visiting);
            }
        }
        visiting.remove(this);
    }

    /**
     * @return the state of an object pickled through {@code __setstate__} (e.g. a tuple for packed
     *     quantized parameters), or empty for ordinary modules whose state became attributes
     */
    public Optional<Object> state() {
        return Optional.ofNullable(state);
    }

    /**
     * @return whether the class is a TorchScript custom class ({@code __torch__.torch.classes.*})
     */
    public boolean isCustomClass() {
        return qualifiedClassName.startsWith(TORCH_PREFIX + "torch.classes.");
    }

    @Override
    public String toString() {
        return qualifiedClassName + attributes.keySet();
    }
}
