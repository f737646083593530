package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A whole NNEF model: the {@code graph.nnef} document (version, extensions, fragments, graph), the
 * {@code .dat} tensors by label (label {@code a/b} is stored as {@code a/b.dat}) and the {@code
 * graph.quant} entries by tensor name. Immutable; maps iterate in sorted key order so that every
 * writer is deterministic.
 */
public final class NnefModel {
    /** The only NNEF version this module writes. */
    public static final String VERSION_1_0 = "1.0";

    private final String version;
    private final List<Extension> extensions;
    private final List<Fragment> fragments;
    private final Graph graph;
    private final SortedMap<String, TensorData> tensors;
    private final SortedMap<String, Quantization> quantization;

    private NnefModel(Builder b) {
        this.version = Objects.requireNonNull(b.version, "version");
        this.extensions = List.copyOf(b.extensions);
        this.fragments = List.copyOf(b.fragments);
        this.graph = Objects.requireNonNull(b.graph, "graph");
        this.tensors = Collections.unmodifiableSortedMap(new TreeMap<>(b.tensors));
        this.quantization = Collections.unmodifiableSortedMap(new TreeMap<>(b.quantization));
    }

    /** The {@code version} line's number, normally {@code 1.0}. */
    public String version() {
        return version;
    }

    /** Extensions in print order. */
    public List<Extension> extensions() {
        return extensions;
    }

    /** Fragments in print order. */
    public List<Fragment> fragments() {
        return fragments;
    }

    /** The graph. */
    public Graph graph() {
        return graph;
    }

    /** Tensor data by label, sorted by label. */
    public SortedMap<String, TensorData> tensors() {
        return tensors;
    }

    /** Quantization by tensor name, sorted by name; empty when there is no {@code graph.quant}. */
    public SortedMap<String, Quantization> quantization() {
        return quantization;
    }

    /** A builder starting from this model's content. */
    public Builder toBuilder() {
        Builder b = new Builder(graph).version(version);
        b.extensions.addAll(extensions);
        b.fragments.addAll(fragments);
        b.tensors.putAll(tensors);
        b.quantization.putAll(quantization);
        return b;
    }

    /** Starts a model around {@code graph}, version 1.0. */
    public static Builder builder(Graph graph) {
        return new Builder(graph);
    }

    @Override
    public String toString() {
        return "NnefModel[graph "
                + graph.name()
                + ", "
                + graph.body().size()
                + " assignments, "
                + fragments.size()
                + " fragments, "
                + tensors.size()
                + " tensors, "
                + quantization.size()
                + " quantized]";
    }

    /** Mutable builder of an {@link NnefModel}. */
    public static final class Builder {
        private String version = VERSION_1_0;
        private final List<Extension> extensions = new ArrayList<>();
        private final List<Fragment> fragments = new ArrayList<>();
        private Graph graph;
        private final TreeMap<String, TensorData> tensors = new TreeMap<>();
        private final TreeMap<String, Quantization> quantization = new TreeMap<>();

        private Builder(Graph graph) {
            this.graph = graph;
        }

        /** Sets the version number text (default {@code 1.0}). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** Replaces the graph. */
        public Builder graph(Graph graph) {
            this.graph = graph;
            return this;
        }

        /** Appends an extension line. */
        public Builder extension(Extension extension) {
            extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        /** Appends a fragment. */
        public Builder fragment(Fragment fragment) {
            fragments.add(Objects.requireNonNull(fragment, "fragment"));
            return this;
        }

        /** Adds the tensor stored as {@code label.dat}; a label may be used once. */
        public Builder tensor(String label, TensorData data) {
            Objects.requireNonNull(label, "tensor label");
            Objects.requireNonNull(data, () -> "data of tensor '" + label + "'");
            if (tensors.putIfAbsent(label, data) != null) {
                throw new IllegalArgumentException("tensor label '" + label + "' is used twice");
            }
            return this;
        }

        /** Adds all tensors of {@code data}. */
        public Builder tensors(Map<String, TensorData> data) {
            data.forEach(this::tensor);
            return this;
        }

        /** Sets the quantization of the tensor named {@code tensorName}. */
        public Builder quantization(String tensorName, Quantization q) {
            quantization.put(
                    Objects.requireNonNull(tensorName, "quantized tensor name"),
                    Objects.requireNonNull(q, () -> "quantization of '" + tensorName + "'"));
            return this;
        }

        /** Adds all entries of {@code q}. */
        public Builder quantization(Map<String, Quantization> q) {
            q.forEach(this::quantization);
            return this;
        }

        /** The model. */
        public NnefModel build() {
            return new NnefModel(this);
        }
    }
}
