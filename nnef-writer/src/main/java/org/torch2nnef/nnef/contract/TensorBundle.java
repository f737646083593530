package org.torch2nnef.nnef.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named tensors in insertion order: the content of an {@code .npz} file. An io bundle holds the
 * model inputs followed by the expected outputs, each under its NNEF name.
 */
public final class TensorBundle {
    private final Map<String, HostTensor> tensors = new LinkedHashMap<>();
    private final String source;

    /** An empty bundle; {@code source} names where it comes from in error messages. */
    public TensorBundle(String source) {
        this.source = source;
    }

    /** Where this bundle was read from or how it was made. */
    public String source() {
        return source;
    }

    /**
     * Adds {@code tensor} under its name.
     *
     * @throws IllegalArgumentException when the name is already present
     */
    public TensorBundle add(HostTensor tensor) {
        if (tensors.putIfAbsent(tensor.name(), tensor) != null) {
            throw new IllegalArgumentException(
                    source + ": duplicate tensor name '" + tensor.name() + "'");
        }
        return this;
    }

    /** Adds every tensor of {@code other}, in its order. */
    public TensorBundle addAll(TensorBundle other) {
        other.tensors().forEach(this::add);
        return this;
    }

    /** The tensor named {@code name}, if present. */
    public Optional<HostTensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /**
     * The tensor named {@code name}.
     *
     * @throws IllegalArgumentException naming the bundle and the names it does hold
     */
    public HostTensor get(String name) {
        HostTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(
                    source + ": no tensor named '" + name + "' (has " + names() + ")");
        }
        return t;
    }

    /** Names in order. */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    /** Tensors in order (unmodifiable). */
    public Collection<HostTensor> tensors() {
        return Collections.unmodifiableCollection(tensors.values());
    }

    /** Number of tensors. */
    public int size() {
        return tensors.size();
    }

    @Override
    public String toString() {
        return source + " " + tensors.values();
    }
}
