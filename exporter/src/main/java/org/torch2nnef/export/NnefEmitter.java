package org.torch2nnef.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.Quantization;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * The NNEF being written: which expression stands for each graph value, the assignments emitted so
 * far, the variables (streamed from the archive), fragments and tract symbols.
 *
 * <p>Reading operands: {@link #tensor} (parameters become {@code variable}s on first use, traced
 * constants too except finite 0-d float32 ones, which are literals like known scalars), {@link
 * #dim}/{@link #dims} for sizes. Defining outputs: {@link #define} (one assignment), {@link #temp}
 * (an intermediate result), {@link #alias} (the same tensor), {@link #fragment} (a helper
 * fragment).
 */
public final class NnefEmitter {
    private final TranslationOptions options;
    private final ExportTimeValues values;
    private final ValueTypes types;
    private final IdentifierAllocator names = new IdentifierAllocator();
    private final Map<Value, Expr> tensors = new HashMap<>();
    private final Map<Value, String> wantedNames = new HashMap<>();
    private final Map<Object, Expr> derived = new HashMap<>();
    private final Map<Expr, Concatenation> concatenations = new HashMap<>();
    private final Map<Value, NestedTensor> nested = new HashMap<>();
    private final List<Assignment> body = new ArrayList<>();
    private final Map<String, Fragment> fragments = new LinkedHashMap<>();
    private final SortedSet<String> symbols = new TreeSet<>();
    private final SortedSet<String> opsUsed = new TreeSet<>();
    private final SortedMap<String, TensorData> variables = new TreeMap<>();
    private final SortedMap<String, Quantization> quantization = new TreeMap<>();
    private final Map<Value, Quantization.ZeroPointLinear> quantized = new HashMap<>();
    private final Map<Value, Quantization.ZeroPointLinear> dequantizedFrom = new HashMap<>();
    private TractGate tract;
    private long variableBytes;
    private int numericTensors;
    private int numericVariables;
    private Node current;
    private Set<Value> needed = Set.of();
    private SizeTensors sizeTensors;

    /** Writes a dynamic size used as tensor data (the op family that knows the tract forms). */
    @FunctionalInterface
    interface SizeTensors {
        Expr of(Dim d, TorchDType dtype) throws TranslationException;
    }

    void useSizeTensors(SizeTensors writer) {
        sizeTensors = writer;
    }

    /** An input axis whose size is a bare symbol. */
    private record InputAxis(String input, int axis) {}

    /** Per symbol, the first input axis declaring it. */
    private final Map<String, InputAxis> symbolSources = new HashMap<>();

    /** Per symbol, the 0-d tensor holding its size, once emitted. */
    private final Map<String, Expr> loadTimeSizes = new HashMap<>();

    /** Per input, its {@code tract_core_shape_of}, once emitted. */
    private final Map<String, Expr> inputShapes = new HashMap<>();

    /**
     * @param options naming and strictness
     * @param symbols the tract symbols of the dynamic axes, reserved so no tensor takes their name
     * @param values the values known at export time (known numbers become literals)
     * @param types the inferred types
     */
    NnefEmitter(
            TranslationOptions options,
            SortedSet<String> symbols,
            ExportTimeValues values,
            ValueTypes types) {
        this.options = Objects.requireNonNull(options, "options");
        this.values = values;
        this.types = types;
        symbols.forEach(names::reserve);
    }

    void setCurrent(Node node) {
        current = node;
    }

    void useTract(TractGate gate) {
        tract = gate;
    }

    /**
     * The NNEF expression of a tensor operand: the identifier already bound to it, a {@code
     * variable} declared now for a parameter, buffer or traced constant (its data streamed from the
     * archive), or a literal for a known number or a finite 0-d float32 traced constant. tract
     * implements no NNEF {@code constant} op, so constant tensors are never written inline.
     *
     * @param v a graph value used as a tensor
     * @return its expression
     * @throws TranslationException if it has none (e.g. an opaque object)
     */
    public Expr tensor(Value v) throws TranslationException {
        Expr bound = tensors.get(v);
        if (bound != null) {
            return bound instanceof Expr.Id id && quantization.containsKey(id.name())
                    ? dequantized(bound)
                    : bound;
        }
        Optional<TorchTensor> stored = v.knownTensor();
        if (stored.isPresent()) {
            Expr declared = declareStored(v, stored.get());
            tensors.put(v, declared);
            return declared;
        }
        Optional<Object> k = values.known(v);
        if (k.isPresent()) {
            return literal(
                    v, k.get(), v.tensorType().map(t -> t.dtype().isFloatingPoint()).orElse(false));
        }
        if (nested.containsKey(v)) {
            throw new TranslationException(
                    "value "
                            + v.describe()
                            + " is a nested tensor (torch's layout of sequences"
                            + " of unequal lengths, made by _nested_tensor_from_mask); only _transformer_encoder_layer_fwd and"
                            + " to_padded_tensor are translated for it");
        }
        throw new TranslationException(
                "value "
                        + v.describe()
                        + " has no NNEF tensor"
                        + v.producer().map(p -> " (produced by " + p.kind() + ")").orElse(""));
    }

    /**
     * A tensor operand of an op whose other operand is {@code like}: known numbers become literals
     * of {@code like}'s element type ({@code 2.0} beside a float tensor, {@code 2} beside an
     * integer one).
     *
     * @param v the operand
     * @param like the tensor it combines with
     * @return its expression
     * @throws TranslationException if it has none
     */
    public Expr tensorLike(Value v, Value like) throws TranslationException {
        Optional<Double> constant = values.scalarConstant(v);
        if (constant.isPresent()) {
            return literal(v, constant.get(), types.isFloat(like));
        }
        if (tensors.containsKey(v) || v.knownTensor().isPresent()) {
            return tensor(v);
        }
        Optional<Object> k = values.known(v);
        if (k.isPresent()) {
            return literal(v, k.get(), types.isFloat(like));
        }
        return tensor(v);
    }

    /**
     * A number known at export time (a Python number, a size, a 0-d traced constant) as a literal
     * of the dtype an op computes in: {@code 2.0} for a float dtype, {@code 2} for an integer one.
     *
     * @param v the operand
     * @param dtype the dtype it takes part in
     * @return its literal
     * @throws TranslationException if it is not a known number, or a float where an integer is
     *     needed
     */
    public Expr literal(Value v, TorchDType dtype) throws TranslationException {
        Optional<Double> constant = values.scalarConstant(v);
        Object k = constant.isPresent() ? constant.get() : values.known(v).orElse(null);
        if (k == null) {
            throw new TranslationException(
                    "value " + v.describe() + " is not a number known at export time");
        }
        if (k instanceof Boolean b && dtype != TorchDType.BOOL) {
            k = b ? 1.0 : 0.0; // True is 1 in arithmetic
        }
        if (dtype == TorchDType.BOOL
                && (k instanceof Double || (k instanceof Dim d && d.isConstant()))) {
            return Expr.of((k instanceof Dim d ? d.constant() : (Double) k) != 0);
        }
        return literal(v, k, dtype.isFloatingPoint());
    }

    private Expr literal(Value v, Object k, boolean asFloat) throws TranslationException {
        if (k instanceof Double d) {
            return asFloat
                    ? Expr.of((float) d.doubleValue())
                    : Expr.of(d.longValue() == d ? d.longValue() : failNotInt(v));
        }
        if (k instanceof Dim d) {
            if (d.isConstant()) {
                return asFloat ? Expr.of((float) d.constant()) : Expr.of(d.constant());
            }
            if (sizeTensors != null) {
                TorchDType dtype = asFloat ? TorchDType.FLOAT32 : TorchDType.INT64;
                Expr known = derived.get(List.of(d, dtype));
                if (known == null) {
                    known = sizeTensors.of(d, dtype);
                    derived.put(List.of(d, dtype), known);
                }
                return known;
            }
            throw new TranslationException(
                    "the size "
                            + d
                            + " of a dynamic axis is used as tensor data ("
                            + v.name()
                            + "); only shapes may depend on dynamic axes");
        }
        if (k instanceof Boolean b) {
            return Expr.of(b);
        }
        throw new TranslationException("value " + v.describe() + " is not a tensor");
    }

    private static long failNotInt(Value v) throws TranslationException {
        throw new TranslationException(
                "float " + v.describe() + " used where an integer is needed");
    }

    private Expr declareStored(Value v, TorchTensor t) throws TranslationException {
        Optional<Expr> scalar =
                v.origin() == Value.Origin.CONSTANT ? finiteFloatScalar(t) : Optional.empty();
        if (scalar.isPresent()) {
            return scalar.get();
        }
        String id = allocateStored(v);
        String label =
                options.naming() == NamingScheme.NATURAL_VERBOSE ? v.stateName().orElse(id) : id;
        if (variables.containsKey(label)) {
            label = id;
        }
        TensorData data = TensorTypes.streamed(t);
        variables.put(label, data);
        variableBytes += data.payloadBytes();
        emit(
                Assignment.of(
                        id,
                        Invocation.variable(
                                TensorTypes.elementType(t.dtype()), Expr.ints(t.shape()), label)));
        return Expr.id(id);
    }

    /**
     * A 0-d float32 constant as a literal (a float literal is an f32 scalar tensor in tract); other
     * dtypes are not, since tract reads integer literals as dimensions and NaN/inf have no literal.
     */
    private static Optional<Expr> finiteFloatScalar(TorchTensor t) throws TranslationException {
        if (t.rank() != 0 || t.dtype() != TorchDType.FLOAT32) {
            return Optional.empty();
        }
        try {
            float f = t.toFloatArray()[0];
            return Float.isFinite(f) ? Optional.of(Expr.of(f)) : Optional.empty();
        } catch (IOException e) {
            throw new TranslationException("cannot read constant " + t + ": " + e.getMessage());
        }
    }

    private String allocateStored(Value v) {
        if (options.naming() == NamingScheme.NUMERIC) {
            return names.allocate("v" + numericVariables++);
        }
        return names.allocate(v.stateName().orElse(v.name()));
    }

    /**
     * @param d a size, possibly symbolic
     * @return its NNEF expression; symbols are declared with {@code extension tract_symbol}
     * @throws TranslationException for sizes NNEF cannot express (modulo) or symbols in strict mode
     */
    public Expr dim(Dim d) throws TranslationException {
        declareSymbols(d);
        try {
            if (readsSizesAtLoad(d)) {
                return DimExpressions.toExpr(d, this::loadTimeSize);
            }
            return DimExpressions.toExpr(d);
        } catch (IllegalArgumentException e) {
            throw new TranslationException(e.getMessage());
        }
    }

    /**
     * A size as written in an {@code external} declaration: with its symbols, which tract binds to
     * the sizes of the input it runs on, or replaces by the sizes of a concrete input fact.
     *
     * @param dims an input's sizes
     * @return the array expression of the sizes
     * @throws TranslationException as {@link #dim}
     */
    Expr declaredDims(List<Dim> dims) throws TranslationException {
        List<Expr> items = new ArrayList<>(dims.size());
        for (Dim d : dims) {
            declareSymbols(d);
            try {
                items.add(DimExpressions.toExpr(d));
            } catch (IllegalArgumentException e) {
                throw new TranslationException(e.getMessage());
            }
        }
        return Expr.array(items);
    }

    /**
     * Records the input axes whose size is a bare symbol, so that sizes over that symbol can be
     * read from the input ({@link #dim}); the first input declaring a symbol is the one read.
     *
     * @param input the input's identifier
     * @param dims its sizes
     */
    void readSymbolsFrom(String input, List<Dim> dims) {
        for (int axis = 0; axis < dims.size(); axis++) {
            Dim d = dims.get(axis);
            if (!d.isConstant() && d.equals(Dim.symbol(d.symbols().iterator().next()))) {
                symbolSources.putIfAbsent(
                        d.symbols().iterator().next(), new InputAxis(input, axis));
            }
        }
    }

    private void declareSymbols(Dim d) throws StrictModeException {
        if (!d.isConstant()) {
            for (String s : d.symbols()) {
                if (options.strict()) {
                    throw new StrictModeException("tract_symbol " + s, "the dynamic size " + d);
                }
                symbols.add(s);
            }
        }
    }

    /**
     * Whether a symbolic size is written as computed from the inputs' shapes rather than with its
     * symbols. tract binds a symbol only in the shapes of {@code external}s: loaded with concrete
     * input facts ({@code model.with_input_fact}, {@code -i 1,10,32,f32}), every other occurrence
     * of a symbol stays unbound and fails ("Reshape: 320 should be equal to 32*S"). A size read
     * with {@code tract_core_shape_of} is a constant tract computes while loading, from whatever
     * the input fact is, and folds into the operation's argument from {@link
     * TractTarget#LOAD_TIME_SIZES} on.
     */
    private boolean readsSizesAtLoad(Dim d) {
        return !d.isConstant()
                && !options.strict()
                && tract != null
                && options.tract().allows(TractTarget.LOAD_TIME_SIZES)
                && options.tract().allows("tract_core_shape_of")
                && symbolSources.keySet().containsAll(d.symbols());
    }

    /**
     * The 0-d tensor holding a symbol's size, read from its input's shape once, where first needed:
     * {@code S_size = squeeze(slice(tract_core_shape_of(x), axes = [0], begin = [k], end = [k +
     * 1]), axes = [0])} as three assignments.
     */
    private Expr loadTimeSize(String symbol) {
        return loadTimeSizes.computeIfAbsent(
                symbol,
                s -> {
                    InputAxis source = symbolSources.get(s);
                    Expr shape =
                            inputShapes.computeIfAbsent(
                                    source.input(),
                                    in -> {
                                        String id = names.allocate(sizeName(in + "_shape"));
                                        emitUnchecked(
                                                id,
                                                Invocation.builder(
                                                                tractOpUnchecked(
                                                                        "tract_core_shape_of"))
                                                        .arg(Expr.id(in))
                                                        .build());
                                        return Expr.id(id);
                                    });
                    String sliced = names.allocate(sizeName("size_" + s + "_slice"));
                    emitUnchecked(
                            sliced,
                            Invocation.builder("slice")
                                    .arg(shape)
                                    .arg("axes", Expr.ints(0))
                                    .arg("begin", Expr.ints(source.axis()))
                                    .arg("end", Expr.ints(source.axis() + 1))
                                    .build());
                    String id = names.allocate(sizeName("size_" + s));
                    emitUnchecked(
                            id,
                            Invocation.builder("squeeze")
                                    .arg(Expr.id(sliced))
                                    .arg("axes", Expr.ints(0))
                                    .build());
                    return Expr.id(id);
                });
    }

    private String sizeName(String natural) {
        return options.naming() == NamingScheme.NUMERIC ? "t" + numericTensors++ : natural;
    }

    private void emitUnchecked(String id, Expr rvalue) {
        emit(Assignment.of(id, rvalue));
    }

    private String tractOpUnchecked(String op) {
        try {
            return tract.tractOp(op);
        } catch (TranslationException e) {
            // readsSizesAtLoad checked the target and strictness
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param dims sizes
     * @return the array expression of the sizes
     * @throws TranslationException as {@link #dim}
     */
    public Expr dims(List<Dim> dims) throws TranslationException {
        List<Expr> items = new ArrayList<>(dims.size());
        for (Dim d : dims) {
            items.add(dim(d));
        }
        return Expr.array(items);
    }

    /**
     * Emits {@code id = rvalue;} for a node output, naming it by the naming scheme (or the wanted
     * output name).
     *
     * @param output the node output
     * @param rvalue what computes it
     * @return the identifier
     */
    public Expr define(Value output, Expr rvalue) {
        Quantization.ZeroPointLinear q = quantizationOf(output);
        Expr value =
                q == null
                        ? rvalue
                        : quantizing(rvalue instanceof Expr.Id ? rvalue : temp("float", rvalue), q);
        String wanted = wantedNames.remove(output);
        String id = wanted != null ? wanted : names.allocate(hint(""));
        emit(Assignment.of(id, value));
        if (q != null) {
            quantization.put(id, q);
        }
        Expr e = Expr.id(id);
        tensors.put(output, e);
        return e;
    }

    /**
     * Declares the quantization torch gives a node output of dtype quint8 or qint8 (an op's {@code
     * output_scale} and {@code output_zero_point}); {@link #define} then quantizes it. Outputs of
     * other ops on quantized tensors (relu, pooling, reshapes) keep their input's quantization, as
     * torch's quantized kernels do.
     *
     * @param output the node output
     * @param scale its scale
     * @param zeroPoint its zero point
     * @throws TranslationException if the output is not of a quantized 8-bit dtype, or the target
     *     tract reads no quantized tensors
     */
    public void quantizedOutput(Value output, double scale, long zeroPoint)
            throws TranslationException {
        TorchDType dtype = types.dtype(output);
        if (dtype != TorchDType.QUINT8 && dtype != TorchDType.QINT8) {
            throw new TranslationException(
                    "output "
                            + output.describe()
                            + " is "
                            + dtype.torchName()
                            + ": only 8-bit quantized tensors (quint8, qint8) are exported");
        }
        tract.requireTractForm(TractTarget.QUANTIZED_TENSORS);
        tract.tractOp("tract_core_cast");
        quantized.put(
                output,
                Quantization.ZeroPointLinear.of(
                        zeroPoint, (float) scale, 8, dtype == TorchDType.QINT8));
    }

    /**
     * Labels identifier {@code id} in graph.quant (e.g. a variable of 8-bit codes).
     *
     * @param id an identifier this emitter allocated
     * @param q its quantization
     */
    public void label(Expr id, Quantization q) {
        quantization.put(((Expr.Id) id).name(), q);
    }

    /**
     * @return graph.quant: the quantization of each labelled identifier
     */
    public SortedMap<String, Quantization> quantization() {
        return Collections.unmodifiableSortedMap(quantization);
    }

    /**
     * {@code tract_core_cast(x, to = "u8")} (or {@code i8}), whose result graph.quant labels: tract
     * quantizes the float {@code x} there (round half to even, saturate).
     */
    private static Expr quantizing(Expr x, Quantization.ZeroPointLinear q) {
        return Invocation.builder("tract_core_cast")
                .arg(x)
                .arg("to", Expr.str(q.signed() ? "i8" : "u8"))
                .build();
    }

    /**
     * The float values of a tensor labelled in graph.quant: tract types it QU8/QI8, and its f32
     * cast dequantizes it. Every op computes on these, so only the points where torch quantizes
     * hold 8-bit codes.
     */
    private Expr dequantized(Expr labelled) throws TranslationException {
        String cast = tract.tractOp("tract_core_cast");
        return derived(
                List.of("dequantized", labelled),
                () ->
                        temp(
                                "dequantized",
                                Invocation.builder(cast)
                                        .arg(labelled)
                                        .arg("to", Expr.str("f32"))
                                        .build()));
    }

    /**
     * The quantization of a node output of a quantized dtype: declared by its translator, else that
     * of the node's first quantized input.
     */
    private Quantization.ZeroPointLinear quantizationOf(Value output) {
        Quantization.ZeroPointLinear q = quantized.get(output);
        if (q != null
                || current == null
                || output.tensorType().map(t -> !t.dtype().isQuantized()).orElse(true)) {
            return q;
        }
        for (Value in : current.inputs()) {
            Quantization.ZeroPointLinear inherited = quantized.get(in);
            if (inherited != null) {
                quantized.put(output, inherited);
                return inherited;
            }
        }
        return null;
    }

    /**
     * Emits {@code id = rvalue;} for an intermediate result of the current node.
     *
     * @param role what it is, e.g. {@code bias} (used by natural-verbose names)
     * @param rvalue what computes it
     * @return the identifier
     */
    public Expr temp(String role, Expr rvalue) {
        String id = names.allocate(hint(role));
        emit(Assignment.of(id, rvalue));
        return Expr.id(id);
    }

    /**
     * Emits a tensor computed at export time (e.g. interpolation weights) as a {@code variable}
     * with its own {@code .dat}: tract implements no NNEF {@code constant} op, so only literals may
     * be inline.
     *
     * @param role what it is, e.g. {@code weights} (names the identifier and the file)
     * @param element its NNEF element type
     * @param data its items
     * @return its expression
     */
    public Expr computedVariable(String role, ElementType element, TensorData data) {
        String id = names.allocate(hint(role));
        variables.put(id, data);
        variableBytes += data.payloadBytes();
        emit(Assignment.of(id, Invocation.variable(element, Expr.ints(data.shape()), id)));
        return Expr.id(id);
    }

    /**
     * Declares a tensor computed at export time (a fill value, a range) as a {@code variable} with
     * its own {@code .dat}: tract implements no NNEF {@code constant}, and variables hold any type.
     *
     * @param role what it is, e.g. {@code fill} (used by natural-verbose names)
     * @param data its items
     * @return its identifier
     */
    public Expr variable(String role, TensorData data) {
        String id = names.allocate(hint(role));
        emit(Assignment.of(id, declareVariable(id, data)));
        return Expr.id(id);
    }

    /**
     * Defines a node output as a {@code variable} computed at export time (see {@link #variable}).
     *
     * @param output the node output
     * @param data its items
     * @return its identifier
     */
    public Expr defineVariable(Value output, TensorData data) {
        String label = names.allocate(hint("data"));
        return define(output, declareVariable(label, data));
    }

    private Invocation declareVariable(String label, TensorData data) {
        variables.put(label, data);
        variableBytes += data.payloadBytes();
        return Invocation.variable(data.itemType().elementType(), Expr.ints(data.shape()), label);
    }

    /**
     * Declares a {@code variable} holding data made at export time (tract has no {@code constant}
     * op, so a tensor of more than one item needs a {@code .dat}), e.g. the zero initial state of a
     * recurrent layer.
     *
     * @param role what it is, e.g. {@code zero_state}; names the identifier and the label
     * @param element its NNEF element type
     * @param data its shape and items
     * @return the identifier
     */
    public Expr variable(String role, ElementType element, TensorData data) {
        String id = names.allocate(hint(role));
        String label = variables.containsKey(id) ? names.allocate(id) : id;
        variables.put(label, data);
        variableBytes += data.payloadBytes();
        emit(Assignment.of(id, Invocation.variable(element, Expr.ints(data.shape()), label)));
        return Expr.id(id);
    }

    /**
     * A tensor derived from graph values once and shared by every op that needs it (e.g. an operand
     * unsqueezed to a rank), so the NNEF graph computes it once.
     *
     * @param key what the tensor is, e.g. {@code List.of("unsqueeze", value, 3)}
     * @param compute emits the tensor when it is not there yet
     * @return its expression
     * @throws TranslationException from {@code compute}
     */
    public Expr derived(Object key, DerivedTensor compute) throws TranslationException {
        Expr e = derived.get(key);
        if (e == null) {
            e = compute.emit();
            derived.put(key, e);
        }
        return e;
    }

    /** Emits a derived tensor ({@link #derived}). */
    @FunctionalInterface
    public interface DerivedTensor {
        /**
         * @return the expression of the emitted tensor
         * @throws TranslationException if it cannot be emitted
         */
        Expr emit() throws TranslationException;
    }

    /**
     * Pieces concatenated along an axis, each of a known size there; or, stacked, pieces that lack
     * the axis and stand for one item each along it ({@code stack}).
     *
     * @param axis the axis
     * @param pieces the pieces, in order
     * @param sizes their sizes along {@code axis} (1 for stacked pieces)
     * @param stacked whether the pieces lack the axis
     */
    public record Concatenation(int axis, List<Expr> pieces, List<Dim> sizes, boolean stacked) {
        /** Copies the lists and checks they pair up. */
        public Concatenation {
            pieces = List.copyOf(pieces);
            sizes = List.copyOf(sizes);
            if (pieces.size() != sizes.size()) {
                throw new IllegalArgumentException(
                        pieces.size() + " pieces but " + sizes.size() + " sizes");
            }
            if (stacked && sizes.stream().anyMatch(s -> !s.equals(Dim.of(1)))) {
                throw new IllegalArgumentException(
                        "stacked pieces are one item each, not " + sizes);
            }
        }

        /**
         * Pieces concatenated along an axis they have ({@code cat}).
         *
         * @param axis the axis
         * @param pieces the pieces, in order
         * @param sizes their sizes along {@code axis}
         */
        public Concatenation(int axis, List<Expr> pieces, List<Dim> sizes) {
            this(axis, pieces, sizes, false);
        }

        /**
         * @param axis the new axis
         * @param pieces the stacked tensors, in order
         * @return their stack along {@code axis}
         */
        public static Concatenation stacked(int axis, List<Expr> pieces) {
            return new Concatenation(
                    axis, pieces, Collections.nCopies(pieces.size(), Dim.of(1)), true);
        }
    }

    /**
     * Records that a tensor is a concatenation, so that slicing it reads the pieces instead ({@code
     * ops.Slicing}). Only pieces that are identifiers are read that way (a literal piece, e.g. a
     * 0-d constant stacked, leaves the tensor unrecorded).
     *
     * @param tensor the concatenated tensor's expression
     * @param concatenation its pieces
     */
    public void concatenated(Expr tensor, Concatenation concatenation) {
        Objects.requireNonNull(tensor, "tensor");
        if (concatenation.pieces().stream().allMatch(p -> p instanceof Expr.Id)) {
            concatenations.put(tensor, concatenation);
        }
    }

    /**
     * @param tensor a tensor's expression
     * @return its pieces, when it was recorded as a {@link #concatenated concatenation}
     */
    public Optional<Concatenation> concatenation(Expr tensor) {
        return Optional.ofNullable(concatenations.get(tensor));
    }

    /**
     * A nested tensor (torch's batch of sequences of unequal lengths) in its padded layout: the
     * padded items and which positions hold a sequence item.
     *
     * @param padded the items, {@code [B, T, ...]}; positions past a sequence's end hold anything
     * @param valid bool {@code [B, T]}: whether position {@code t} of sequence {@code b} is an item
     */
    public record NestedTensor(Expr padded, Expr valid) {
        /** Checks both are given. */
        public NestedTensor {
            Objects.requireNonNull(padded, "padded");
            Objects.requireNonNull(valid, "valid");
        }
    }

    /**
     * Defines a node output as a nested tensor; {@link #tensor} refuses it, so only translators
     * that read {@link #nested} accept it as an operand.
     *
     * @param output the node output
     * @param value its padded layout
     */
    public void defineNested(Value output, NestedTensor value) {
        nested.put(output, Objects.requireNonNull(value, "value"));
    }

    /**
     * @param v a graph value
     * @return its padded layout, when it is a nested tensor ({@link #defineNested})
     */
    public Optional<NestedTensor> nested(Value v) {
        return Optional.ofNullable(nested.get(v));
    }

    /**
     * Declares an output to be the same tensor as an input ({@code contiguous}, eval-mode {@code
     * dropout}).
     *
     * @param output the node output
     * @param input the tensor it equals
     * @throws TranslationException if the input has no tensor
     */
    public void alias(Value output, Value input) throws TranslationException {
        Expr bound = tensors.get(input);
        tensors.put(output, bound != null ? bound : tensor(input));
        if (quantized.containsKey(input)) {
            quantized.put(output, quantized.get(input));
        }
        if (dequantizedFrom.containsKey(input)) {
            dequantizedFrom.put(output, dequantizedFrom.get(input));
        }
    }

    /**
     * Records that float {@code output} is torch's dequantization of the computed quantized tensor
     * {@code input}: a graph output that is one is compared in {@code input}'s quantization steps.
     */
    public void dequantizes(Value output, Value input) {
        Quantization.ZeroPointLinear q = quantized.get(input);
        if (q != null) {
            dequantizedFrom.put(output, q);
        }
    }

    /**
     * The quantization of a computed tensor torch holds quantized (declared by its translator or
     * kept from its input), if it is one.
     */
    public Optional<Quantization.ZeroPointLinear> quantization(Value v) {
        Quantization.ZeroPointLinear q = quantized.get(v);
        if (q == null
                && tensors.get(v) instanceof Expr.Id id
                && quantization.get(id.name()) instanceof Quantization.ZeroPointLinear bound) {
            q = bound; // bound to a labelled tensor without a define (an alias)
        }
        return Optional.ofNullable(q);
    }

    /** The quantization of the tensor {@code v} dequantizes, if it is a dequantization. */
    public Optional<Quantization.ZeroPointLinear> dequantizationOf(Value v) {
        return Optional.ofNullable(dequantizedFrom.get(v));
    }

    /**
     * Binds an output to an expression already emitted (e.g. one identifier of a tuple result).
     *
     * @param output the graph value
     * @param expr its NNEF expression
     */
    public void bindExpr(Value output, Expr expr) {
        tensors.put(output, Objects.requireNonNull(expr, "expr"));
    }

    /**
     * Emits {@code (a, b, ...) = rvalue;} for an invocation with several results (a fragment or
     * {@code tract_core_scan}).
     *
     * @param roles what each result is (used by natural-verbose names)
     * @param rvalue what computes them
     * @return one identifier per role
     */
    public List<Expr> temps(List<String> roles, Expr rvalue) {
        return defineAll(roles, Collections.nCopies(roles.size(), null), rvalue);
    }

    /**
     * Emits {@code (a, b, ...) = rvalue;} where some results are graph outputs (they get their
     * wanted names and are bound, as with {@link #define}).
     *
     * @param roles what each result is
     * @param outputs per result, the graph value it defines, or {@code null} for an intermediate
     * @param rvalue what computes them
     * @return one identifier per result
     */
    public List<Expr> defineAll(List<String> roles, List<Value> outputs, Expr rvalue) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < roles.size(); i++) {
            Value out = outputs.get(i);
            String wanted = out == null ? null : wantedNames.remove(out);
            ids.add(wanted != null ? wanted : names.allocate(hint(roles.get(i))));
        }
        emit(Assignment.tuple(ids, rvalue));
        List<Expr> exprs = ids.stream().<Expr>map(Expr::id).toList();
        for (int i = 0; i < roles.size(); i++) {
            if (outputs.get(i) != null) {
                tensors.put(outputs.get(i), exprs.get(i));
            }
        }
        return exprs;
    }

    /**
     * @param v a graph value
     * @return whether it already has an NNEF expression, a known value or list elements
     */
    public boolean isDefined(Value v) {
        return isBound(v);
    }

    /**
     * Registers a helper fragment once; later calls with the same name must pass an equal fragment.
     *
     * @param fragment the fragment
     * @return its name, to invoke it with
     */
    public String fragment(Fragment fragment) {
        Fragment previous = fragments.putIfAbsent(fragment.name(), fragment);
        if (previous != null && !previous.equals(fragment)) {
            throw new IllegalStateException("two different fragments are named " + fragment.name());
        }
        return fragment.name();
    }

    /**
     * @param v a node output
     * @return whether a graph output depends on it; a translator may leave an output nobody reads
     *     undefined (e.g. the unused indices of a max pooling)
     */
    public boolean isNeeded(Value v) {
        return needed.contains(v);
    }

    void setNeeded(Set<Value> values) {
        needed = values;
    }

    /**
     * Gives an output the (already allocated) identifier of its first occurrence among the graph
     * outputs.
     */
    void preferName(Value output, String id) {
        wantedNames.putIfAbsent(output, id);
    }

    String allocate(String hint) {
        return names.allocate(hint);
    }

    void bind(Value v, Expr e) {
        tensors.put(v, e);
    }

    boolean isBound(Value v) {
        return tensors.containsKey(v) || values.binds(v) || nested.containsKey(v);
    }

    void emit(Assignment a) {
        body.add(a);
        collectOps(a.rvalue());
    }

    private void collectOps(Expr e) {
        if (e instanceof Invocation inv) {
            opsUsed.add(inv.name());
            inv.positional().forEach(this::collectOps);
            inv.named().values().forEach(this::collectOps);
        } else if (e instanceof Expr.ArrayExpr a) {
            a.items().forEach(this::collectOps);
        } else if (e instanceof Expr.TupleExpr t) {
            t.items().forEach(this::collectOps);
        }
    }

    private String hint(String role) {
        if (options.naming() == NamingScheme.NUMERIC) {
            return "t" + numericTensors++;
        }
        if (current == null) {
            return role;
        }
        String path = current.scope().path();
        String op =
                current.kind().substring(current.kind().indexOf("::") + 2).replaceFirst("^_+", "");
        return (path.isEmpty() ? "" : path + "_") + op + (role.isEmpty() ? "" : "_" + role);
    }

    List<Assignment> body() {
        return body;
    }

    List<Fragment> fragments() {
        return List.copyOf(fragments.values());
    }

    SortedSet<String> symbols() {
        return symbols;
    }

    SortedSet<String> opsUsed() {
        return opsUsed;
    }

    SortedMap<String, TensorData> variables() {
        return variables;
    }

    long variableBytes() {
        return variableBytes;
    }
}
