package org.torch2nnef.nnef.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code graph name(inputs) -> (outputs) { body }}.
 *
 * @param name graph name
 * @param inputs identifiers of the graph inputs (each defined by an {@code external} in the body)
 * @param outputs identifiers of the graph outputs
 * @param body assignments in execution order
 */
public record Graph(String name, List<String> inputs, List<String> outputs, List<Assignment> body) {
    public Graph {
        Objects.requireNonNull(name, "graph name");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        body = List.copyOf(body);
    }

    /** Starts a builder for a graph called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable builder of a {@link Graph}. */
    public static final class Builder {
        private final String name;
        private final List<String> inputs = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        private final List<Assignment> body = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        /** Declares a graph input. */
        public Builder input(String id) {
            inputs.add(id);
            return this;
        }

        /** Declares a graph output. */
        public Builder output(String id) {
            outputs.add(id);
            return this;
        }

        /** Appends an assignment. */
        public Builder assign(Assignment assignment) {
            body.add(assignment);
            return this;
        }

        /** Appends {@code id = rvalue;}. */
        public Builder assign(String id, Expr rvalue) {
            return assign(Assignment.of(id, rvalue));
        }

        /** The graph. */
        public Graph build() {
            return new Graph(name, inputs, outputs, body);
        }
    }
}
