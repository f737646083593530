package org.torch2nnef.export;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Shape;
import org.torch2nnef.graph.Value;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.ElementType;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;

/**
 * What a translator works with while it translates one node, in four narrow roles:
 * {@link #values()} (arguments known at export time), {@link #types()} (inferred dtypes and shapes),
 * {@link #nnef()} (the NNEF being written) and {@link #tract()} (which tract extensions the target
 * allows). One context serves a whole graph translation; {@link #node()} is the node at hand.
 */
public final class TranslationContext {
    private final TranslationOptions options;
    private final ExportTimeValues values = new ExportTimeValues();
    private final ValueTypes types = new ValueTypes();
    private final NnefEmitter nnef;
    private final TractGate tract;
    private Node current;

    /**
     * @param options naming and strictness
     * @param symbols the tract symbols of the dynamic axes, reserved so no tensor takes their name
     */
    TranslationContext(TranslationOptions options, SortedSet<String> symbols) {
        this.options = java.util.Objects.requireNonNull(options, "options");
        this.nnef = new NnefEmitter(options, symbols, values, types);
        this.tract = new TractGate(options);
    }

    /** @return the values known at export time */
    public ExportTimeValues values() {
        return values;
    }

    /** @return the inferred types */
    public ValueTypes types() {
        return types;
    }

    /** @return the NNEF being written */
    public NnefEmitter nnef() {
        return nnef;
    }

    /** @return the tract extensions the target allows */
    public TractGate tract() {
        return tract;
    }

    /** @return the node being translated, or null between nodes */
    public Node node() {
        return current;
    }

    void setCurrent(Node node, OpDefinition definition) {
        current = node;
        nnef.setCurrent(node);
        tract.setCurrent(node, definition);
    }

    TranslationOptions options() {
        return options;
    }

    /** Transitional: {@link ExportTimeValues#scalarConstant} through {@link #values()}. */
    public Optional<Double> scalarConstant(Value v) throws TranslationException {
        return values.scalarConstant(v);
    }

    /** Transitional: {@link ExportTimeValues#known} through {@link #values()}. */
    public Optional<Object> known(Value v) {
        return values.known(v);
    }

    /** Transitional: {@link ExportTimeValues#intArg} through {@link #values()}. */
    public long intArg(Value v) throws TranslationException {
        return values.intArg(v);
    }

    /** Transitional: {@link ExportTimeValues#doubleArg} through {@link #values()}. */
    public double doubleArg(Value v) throws TranslationException {
        return values.doubleArg(v);
    }

    /** Transitional: {@link ExportTimeValues#boolArg} through {@link #values()}. */
    public boolean boolArg(Value v) throws TranslationException {
        return values.boolArg(v);
    }

    /** Transitional: {@link ExportTimeValues#isNone} through {@link #values()}. */
    public boolean isNone(Value v) {
        return values.isNone(v);
    }

    /** Transitional: {@link ExportTimeValues#dimList} through {@link #values()}. */
    public List<Dim> dimList(Value v) throws TranslationException {
        return values.dimList(v);
    }

    /** Transitional: {@link ExportTimeValues#intList} through {@link #values()}. */
    public long[] intList(Value v, int count) throws TranslationException {
        return values.intList(v, count);
    }

    /** Transitional: {@link ExportTimeValues#listElements} through {@link #values()}. */
    public List<Value> listElements(Value v) throws TranslationException {
        return values.listElements(v);
    }

    /** Transitional: {@link ExportTimeValues#fold} through {@link #values()}. */
    public void fold(Value output, Object value) {
        values.fold(output, value);
    }

    /** Transitional: {@link ExportTimeValues#bindList} through {@link #values()}. */
    public void bindList(Value output, List<Value> elements) {
        values.bindList(output, elements);
    }

    /** Transitional: {@link ValueTypes#shape} through {@link #types()}. */
    public Shape shape(Value v) throws TranslationException {
        return types.shape(v);
    }

    /** Transitional: {@link ValueTypes#rank} through {@link #types()}. */
    public int rank(Value v) throws TranslationException {
        return types.rank(v);
    }

    /** Transitional: {@link ValueTypes#dtype} through {@link #types()}. */
    public TorchDType dtype(Value v) throws TranslationException {
        return types.dtype(v);
    }

    /** Transitional: {@link ValueTypes#isFloat} through {@link #types()}. */
    public boolean isFloat(Value v) {
        return types.isFloat(v);
    }

    /** Transitional: {@link NnefEmitter#tensor} through {@link #nnef()}. */
    public Expr tensor(Value v) throws TranslationException {
        return nnef.tensor(v);
    }

    /** Transitional: {@link NnefEmitter#tensorLike} through {@link #nnef()}. */
    public Expr tensorLike(Value v, Value like) throws TranslationException {
        return nnef.tensorLike(v, like);
    }

    /** Transitional: {@link NnefEmitter#literal} through {@link #nnef()}. */
    public Expr literal(Value v, TorchDType dtype) throws TranslationException {
        return nnef.literal(v, dtype);
    }

    /** Transitional: {@link NnefEmitter#dim} through {@link #nnef()}. */
    public Expr dim(Dim d) throws TranslationException {
        return nnef.dim(d);
    }

    /** Transitional: {@link NnefEmitter#dims} through {@link #nnef()}. */
    public Expr dims(List<Dim> dims) throws TranslationException {
        return nnef.dims(dims);
    }

    /** Transitional: {@link NnefEmitter#define} through {@link #nnef()}. */
    public Expr define(Value output, Expr rvalue) {
        return nnef.define(output, rvalue);
    }

    /** Transitional: {@link NnefEmitter#temp} through {@link #nnef()}. */
    public Expr temp(String role, Expr rvalue) {
        return nnef.temp(role, rvalue);
    }

    /** Transitional: {@link NnefEmitter#computedVariable} through {@link #nnef()}. */
    public Expr computedVariable(String role, ElementType element, TensorData data) {
        return nnef.computedVariable(role, element, data);
    }

    /** Transitional: {@link NnefEmitter#variable} through {@link #nnef()}. */
    public Expr variable(String role, TensorData data) {
        return nnef.variable(role, data);
    }

    /** Transitional: {@link NnefEmitter#defineVariable} through {@link #nnef()}. */
    public Expr defineVariable(Value output, TensorData data) {
        return nnef.defineVariable(output, data);
    }

    /** Transitional: {@link NnefEmitter#variable} through {@link #nnef()}. */
    public Expr variable(String role, ElementType element, TensorData data) {
        return nnef.variable(role, element, data);
    }

    /** Transitional: {@link NnefEmitter#derived} through {@link #nnef()}. */
    public Expr derived(Object key, NnefEmitter.DerivedTensor compute) throws TranslationException {
        return nnef.derived(key, compute);
    }

    /** Transitional: {@link NnefEmitter#concatenated} through {@link #nnef()}. */
    public void concatenated(Expr tensor, NnefEmitter.Concatenation concatenation) {
        nnef.concatenated(tensor, concatenation);
    }

    /** Transitional: {@link NnefEmitter#concatenation} through {@link #nnef()}. */
    public Optional<NnefEmitter.Concatenation> concatenation(Expr tensor) {
        return nnef.concatenation(tensor);
    }

    /** Transitional: {@link NnefEmitter#defineNested} through {@link #nnef()}. */
    public void defineNested(Value output, NnefEmitter.NestedTensor value) {
        nnef.defineNested(output, value);
    }

    /** Transitional: {@link NnefEmitter#nested} through {@link #nnef()}. */
    public Optional<NnefEmitter.NestedTensor> nested(Value v) {
        return nnef.nested(v);
    }

    /** Transitional: {@link NnefEmitter#alias} through {@link #nnef()}. */
    public void alias(Value output, Value input) throws TranslationException {
        nnef.alias(output, input);
    }

    /** Transitional: {@link NnefEmitter#bindExpr} through {@link #nnef()}. */
    public void bindExpr(Value output, Expr expr) {
        nnef.bindExpr(output, expr);
    }

    /** Transitional: {@link NnefEmitter#temps} through {@link #nnef()}. */
    public List<Expr> temps(List<String> roles, Expr rvalue) {
        return nnef.temps(roles, rvalue);
    }

    /** Transitional: {@link NnefEmitter#defineAll} through {@link #nnef()}. */
    public List<Expr> defineAll(List<String> roles, List<Value> outputs, Expr rvalue) {
        return nnef.defineAll(roles, outputs, rvalue);
    }

    /** Transitional: {@link NnefEmitter#isDefined} through {@link #nnef()}. */
    public boolean isDefined(Value v) {
        return nnef.isDefined(v);
    }

    /** Transitional: {@link NnefEmitter#fragment} through {@link #nnef()}. */
    public String fragment(Fragment fragment) {
        return nnef.fragment(fragment);
    }

    /** Transitional: {@link NnefEmitter#isNeeded} through {@link #nnef()}. */
    public boolean isNeeded(Value v) {
        return nnef.isNeeded(v);
    }

    /** Transitional: {@link TractGate#tractOp} through {@link #tract()}. */
    public String tractOp(String op) throws TranslationException {
        return tract.tractOp(op);
    }

    /** Transitional: {@link TractGate#requireTractForm} through {@link #tract()}. */
    public void requireTractForm(String form) throws TranslationException {
        tract.requireTractForm(form);
    }

    /** Transitional: {@link TractGate#tractAllows} through {@link #tract()}. */
    public boolean tractAllows(String op) {
        return tract.tractAllows(op);
    }

    /** Transitional: {@link TractGate#isStrict} through {@link #tract()}. */
    public boolean isStrict() {
        return tract.isStrict();
    }

    /** Transitional: {@link TractGate#strict} through {@link #tract()}. */
    public boolean strict() {
        return tract.strict();
    }

    // ---- package-private state for GraphTranslator -----------------------------------------

    void setNeeded(java.util.Set<Value> needed) {
        nnef.setNeeded(needed);
    }

    void preferName(Value output, String id) {
        nnef.preferName(output, id);
    }

    String allocate(String hint) {
        return nnef.allocate(hint);
    }

    void bind(Value v, Expr e) {
        nnef.bind(v, e);
    }

    boolean isBound(Value v) {
        return nnef.isBound(v);
    }

    void emit(Assignment a) {
        nnef.emit(a);
    }

    List<Assignment> body() {
        return nnef.body();
    }

    List<Fragment> fragments() {
        return nnef.fragments();
    }

    SortedSet<String> symbols() {
        return nnef.symbols();
    }

    SortedSet<String> opsUsed() {
        return nnef.opsUsed();
    }

    SortedSet<String> tractOps() {
        return tract.tractOps();
    }

    SortedMap<String, TensorData> variables() {
        return nnef.variables();
    }

    long variableBytes() {
        return nnef.variableBytes();
    }
}
