package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.contract.OutputQuantization;
import org.torch2nnef.nnef.io.ArchivePaths;
import org.torch2nnef.nnef.io.NnefParser;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;
import org.torch2nnef.nnef.model.TypeName;

/**
 * The inputs and outputs of an exported NNEF graph, in graph order, as its written {@code
 * graph.nnef} declares them. The check maps them in order onto the TorchScript {@code forward}
 * arguments and its flattened outputs.
 *
 * @param source where the graph was read from, for messages
 * @param inputs the graph inputs with their declared types and shapes
 * @param outputs the graph output names
 * @param tractExtra whether the graph uses the {@code tract_extra} registry, which tract loads only
 *     with {@code --nnef-tract-extra}
 * @param properties the string-valued pairs of the model's {@code tract_core_properties} fragment
 *     (who made it and for which tract release, see {@link ModelPropertyKeys}); empty when it has
 *     none
 */
public record NnefSignature(
        String source,
        List<ExternalInput> inputs,
        List<String> outputs,
        boolean tractExtra,
        Map<String, String> properties) {
    /** Canonical constructor; copies the lists and properties. */
    public NnefSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /**
     * The quantization step of each output the exporter recorded as torch's dequantization of an
     * 8-bit tensor ({@link ModelPropertyKeys#OUTPUT_QUANTIZATION}); empty when it recorded none.
     *
     * @throws IllegalArgumentException naming the property when its text is malformed
     */
    public Map<String, OutputQuantization.Step> outputSteps() {
        String text = properties.get(ModelPropertyKeys.OUTPUT_QUANTIZATION);
        return text == null ? Map.of() : OutputQuantization.parse(text);
    }

    /**
     * Reads the signature of the model at {@code model} (directory, {@code .nnef.tar} or {@code
     * .nnef.tgz}) from its {@code graph.nnef} alone; tensor data is not read.
     *
     * @throws IOException naming the model when it is unreadable, has no graph, or a graph input is
     *     not declared by an {@code external}
     */
    public static NnefSignature read(Path model) throws IOException {
        String where = model + "!" + ArchivePaths.GRAPH_NNEF;
        NnefModel parsed = NnefParser.parse(GraphText.read(model), where);
        try {
            return of(parsed, where);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * The signature of a parsed model.
     *
     * @throws IllegalArgumentException naming {@code source} and the input when an input has no
     *     {@code external} declaration or an unknown element type
     */
    public static NnefSignature of(NnefModel model, String source) {
        Map<String, Invocation> definitions = new HashMap<>();
        for (Assignment a : model.graph().body()) {
            if (a.rvalue() instanceof Invocation inv) {
                a.definedNames().forEach(n -> definitions.putIfAbsent(n, inv));
            }
        }
        List<ExternalInput> inputs = new ArrayList<>();
        for (String name : model.graph().inputs()) {
            Invocation inv = definitions.get(name);
            if (inv == null
                    || !(inv.name().equals("external")
                            || inv.name().equals("tract_core_external"))) {
                throw new IllegalArgumentException(
                        source
                                + ": graph input '"
                                + name
                                + "' is not defined by external(...) or tract_core_external(...)");
            }
            inputs.add(
                    new ExternalInput(
                            name, dtypeOf(inv, name, source), shapeOf(inv, name, source)));
        }
        boolean extra =
                model.extensions().stream()
                        .anyMatch(
                                e ->
                                        e.name().equals("tract_registry")
                                                && "tract_extra".equals(e.argument()));
        return new NnefSignature(source, inputs, model.graph().outputs(), extra, properties(model));
    }

    /**
     * The {@code (key, value)} pairs of the {@code tract_core_properties} fragment whose both sides
     * are string literals, in written order; tensor-valued properties are left out.
     */
    private static Map<String, String> properties(NnefModel model) {
        Map<String, String> out = new LinkedHashMap<>();
        model.fragments().stream()
                .filter(f -> f.name().equals(ModelPropertyKeys.FRAGMENT))
                .flatMap(f -> f.body().orElse(List.of()).stream())
                .map(Assignment::rvalue)
                .filter(Expr.ArrayExpr.class::isInstance)
                .flatMap(a -> ((Expr.ArrayExpr) a).items().stream())
                .forEach(
                        item -> {
                            if (item instanceof Expr.TupleExpr t
                                    && t.items().size() == 2
                                    && t.items().get(0) instanceof Expr.StrLit k
                                    && t.items().get(1) instanceof Expr.StrLit v) {
                                out.put(k.value(), v.value());
                            }
                        });
        return out;
    }

    /** Input names in graph order. */
    public List<String> inputNames() {
        return inputs.stream().map(ExternalInput::name).toList();
    }

    /**
     * The concrete input shapes for a seeded run: each input's {@code graph.nnef} shape, with the
     * {@code declared} shape where the user gave one. Symbols ({@code tract_symbol}) are bound from
     * declared shapes, so an input declared as {@code [B, 3]} or {@code [B + 1, 3]} needs no
     * declaration once another input bound {@code B}.
     *
     * @throws IllegalArgumentException naming the input when a declaration names no graph input,
     *     contradicts a literal dimension, rank or element type, binds a symbol twice differently,
     *     or a symbolic input stays unbound
     */
    public List<InputSpec> resolveShapes(List<InputSpec> declared) {
        Map<String, InputSpec> byName = new LinkedHashMap<>();
        for (InputSpec s : declared) {
            if (inputs.stream().noneMatch(i -> i.name().equals(s.name()))) {
                throw new IllegalArgumentException(
                        "--input "
                                + s
                                + ": "
                                + source
                                + " has no input '"
                                + s.name()
                                + "'; its inputs are "
                                + inputNames());
            }
            byName.put(s.name(), s);
        }
        Map<String, Long> symbols = new HashMap<>();
        for (ExternalInput in : inputs) {
            InputSpec s = byName.get(in.name());
            if (s != null) {
                bind(in, s, symbols);
            }
        }
        List<InputSpec> out = new ArrayList<>();
        for (ExternalInput in : inputs) {
            InputSpec s = byName.get(in.name());
            long[] shape = boundShape(in, symbols, s);
            out.add(s != null ? s : new InputSpec(in.name(), in.dtype(), shape));
        }
        return out;
    }

    private void bind(ExternalInput in, InputSpec s, Map<String, Long> symbols) {
        long[] shape = s.shape();
        String what =
                "--input "
                        + s
                        + ": "
                        + source
                        + " declares '"
                        + in.name()
                        + "' as "
                        + in.dtype().label()
                        + " "
                        + in.shapeText();
        if (s.dtype() != in.dtype()) {
            throw new IllegalArgumentException(
                    what + "; the element types differ (add :" + in.dtype().label() + ")");
        }
        if (shape.length != in.dims().size()) {
            throw new IllegalArgumentException(what + "; the ranks differ");
        }
        for (int i = 0; i < shape.length; i++) {
            Optional<Long> lit = in.literal(i);
            if (lit.isPresent() && lit.get() != shape[i]) {
                throw new IllegalArgumentException(
                        what + "; dimension " + i + " must be " + lit.get());
            }
            Optional<String> sym = in.symbol(i);
            if (sym.isPresent()) {
                Long prev = symbols.putIfAbsent(sym.get(), shape[i]);
                if (prev != null && prev != shape[i]) {
                    throw new IllegalArgumentException(
                            what
                                    + "; symbol "
                                    + sym.get()
                                    + " is already "
                                    + prev
                                    + " from another input, here "
                                    + shape[i]);
                }
            }
        }
    }

    /**
     * The shape of {@code in} with {@code symbols} bound; when {@code declared}, checks that its
     * sizes agree with the dimension expressions that can be evaluated.
     */
    private long[] boundShape(ExternalInput in, Map<String, Long> symbols, InputSpec declared) {
        long[] shape = new long[in.dims().size()];
        for (int i = 0; i < shape.length; i++) {
            Optional<Long> v = in.evaluate(i, symbols);
            if (declared != null) {
                shape[i] = declared.shape()[i];
                if (v.isPresent() && v.get() != shape[i]) {
                    throw new IllegalArgumentException(
                            "--input "
                                    + declared
                                    + ": "
                                    + source
                                    + " declares '"
                                    + in.name()
                                    + "' as "
                                    + in.shapeText()
                                    + ", so dimension "
                                    + i
                                    + " must be "
                                    + v.get());
                }
            } else if (v.isPresent()) {
                shape[i] = v.get();
            } else {
                throw new IllegalArgumentException(
                        source
                                + ": input '"
                                + in.name()
                                + "' has the symbolic"
                                + " shape "
                                + in.shapeText()
                                + "; give its shape with --input "
                                + in.name()
                                + "=D0,D1,...[:DTYPE] or give the inputs with --inputs-npz");
            }
        }
        return shape;
    }

    private static DType dtypeOf(Invocation inv, String name, String source) {
        if (inv.name().equals("tract_core_external")) {
            Optional<Expr> dt = inv.arg("datum_type");
            if (dt.isEmpty() || !(dt.get() instanceof Expr.StrLit s)) {
                throw new IllegalArgumentException(
                        source
                                + ": input '"
                                + name
                                + "': tract_core_external needs datum_type = '<type>'");
            }
            try {
                return DType.fromLabel(s.value());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        source + ": input '" + name + "': " + e.getMessage(), e);
            }
        }
        TypeName t = inv.generic().orElse(TypeName.SCALAR);
        return DType.ofExternal(t)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        source
                                                + ": input '"
                                                + name
                                                + "' is an external<"
                                                + t
                                                + ">, which has no tensor element type"));
    }

    private static List<Expr> shapeOf(Invocation inv, String name, String source) {
        Optional<Expr> shape = inv.arg("shape");
        if (shape.isEmpty() && !inv.positional().isEmpty()) {
            shape = Optional.of(inv.positional().get(0));
        }
        if (shape.isEmpty() || !(shape.get() instanceof Expr.ArrayExpr arr)) {
            throw new IllegalArgumentException(
                    source
                            + ": input '"
                            + name
                            + "': "
                            + inv.name()
                            + " has no shape = [...] array");
        }
        return arr.items();
    }
}
