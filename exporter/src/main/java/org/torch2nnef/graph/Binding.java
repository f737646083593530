package org.torch2nnef.graph;

import java.util.List;
import org.torch2nnef.torchscript.ScriptObject;
import org.torch2nnef.torchscript.code.QualifiedName;

/** What a name of the code stands for while the builder inlines it. */
sealed interface Binding {

    /** A graph value. */
    record Of(Value value) implements Binding {}

    /** A submodule (never a graph value: its methods are inlined). */
    record Module(ScriptObject object, String path) implements Binding {}

    /** A tuple built by the code ({@code (a, b)}), kept element-wise until a value is needed. */
    record Tuple(List<Binding> elements) implements Binding {
        public Tuple {
            elements = List.copyOf(elements);
        }
    }

    /** A top-level function of a code file. */
    record Function(QualifiedName name) implements Binding {}
}
