package org.torch2nnef.export.ops;

import java.io.IOException;
import org.torch2nnef.export.OpFamily;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.export.TensorTypes;
import org.torch2nnef.export.TranslationContext;
import org.torch2nnef.export.TranslationException;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.OpSchema;
import org.torch2nnef.graph.ValueType.TensorType;
import org.torch2nnef.graph.shapes.KnownArithmetic;
import org.torch2nnef.graph.shapes.NodeTypes;
import org.torch2nnef.graph.shapes.ShapeInferenceException;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.torchscript.Quantization;
import org.torch2nnef.torchscript.TorchDType;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * Element type conversions: {@code aten::to} (dtype, device and other-tensor forms; a form that
 * keeps the dtype is the identity) and {@code aten::type_as}, which is what {@code .float()},
 * {@code .long()}, {@code .int()}, {@code .bool()}, {@code .half()}, {@code .double()} trace to.
 * The target dtype is the output's, as shape inference computed it. NNEF has no cast, so a change
 * of dtype is tract's {@code tract_core_cast(input, to = "i64")} (sonos/tract
 * nnef/src/ops/core/cast.rs); under {@code --nnef-spec-strict} a cast between floating-point dtypes
 * is dropped (NNEF has one {@code scalar} type) and any other cast fails naming the op. {@code
 * aten::dequantize} and {@code aten::int_repr} of a quantized tensor stored in the archive become
 * variables of its float32 values (per tensor or per channel) and of its raw integers.
 */
public final class CastOps implements OpFamily {

    @Override
    public void register(OpRegistry r) {
        r.op(
                        "aten::to.dtype(Tensor self, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor")
                .overload(
                        "aten::to.device(Tensor self, Device device, ScalarType dtype, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor")
                .overload(
                        "aten::to.other(Tensor self, Tensor other, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor")
                .overload(
                        "aten::to.dtype_layout(Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None) -> Tensor")
                .shape(CastOps::toShape)
                .translate(CastOps::toOutputType);
        r.op("aten::type_as(Tensor self, Tensor other) -> Tensor")
                .shape(n -> castShape(n, n.tensor(n.at("other")).dtype()))
                .translate(CastOps::toOutputType);
        r.op("aten::dequantize.self(Tensor self) -> Tensor")
                .shape(n -> n.output(0, TorchDType.FLOAT32, n.tensor(0).shape()))
                .translate(CastOps::dequantize);
        r.op("aten::int_repr(Tensor self) -> Tensor")
                .shape(n -> n.output(0, intRepr(n.tensor(0).dtype()), n.tensor(0).shape()))
                .translate(CastOps::intRepr);
    }

    /**
     * @return the integer dtype {@code int_repr} gives for a quantized dtype
     */
    private static TorchDType intRepr(TorchDType q) {
        return switch (q) {
            case QINT8 -> TorchDType.INT8;
            case QUINT8 -> TorchDType.UINT8;
            case QINT32 -> TorchDType.INT32;
            default ->
                    throw new ShapeInferenceException(
                            "int_repr of the non-quantized dtype " + q.torchName());
        };
    }

    /** The quantized tensor stored in the archive that {@code node} reads. */
    private static TorchTensor storedQuantized(Node node) throws TranslationException {
        return node.input(0)
                .knownTensor()
                .filter(t -> t.quantization().isPresent())
                .orElseThrow(
                        () ->
                                new TranslationException(
                                        "reads "
                                                + node.input(0).name()
                                                + ": quantized tensors computed at run time are not exported yet (quantization: issue 16)"));
    }

    /**
     * A stored quantized tensor's values, {@code (q - zero_point) * scale}, as a float32 variable.
     */
    private static void dequantize(Node node, TranslationContext ctx) throws TranslationException {
        if (node.input(0).knownTensor().isEmpty()) {
            // computed by the graph: its f32 cast dequantizes it (QuantizedOps)
            ctx.nnef().bindExpr(node.output(0), ctx.nnef().tensor(node.input(0)));
            ctx.nnef().dequantizes(node.output(0), node.input(0));
            return;
        }
        TorchTensor q = storedQuantized(node);
        Quantization quant = q.quantization().orElseThrow();
        double[] values;
        try {
            values = dequantized(q, quant);
        } catch (IOException e) {
            throw new TranslationException(
                    "cannot read the quantized tensor "
                            + node.input(0).name()
                            + ": "
                            + e.getMessage());
        }
        ctx.nnef()
                .defineVariable(
                        node.output(0),
                        ExportTimeTensors.of(TorchDType.FLOAT32, q.shape(), values));
    }

    private static double[] dequantized(TorchTensor q, Quantization quant) throws IOException {
        long[] raw = q.toLongArray();
        double[] out = new double[raw.length];
        if (!quant.isPerChannel()) {
            for (int i = 0; i < raw.length; i++) {
                out[i] = (raw[i] - quant.zeroPoint()) * quant.scale();
            }
            return out;
        }
        double[] scales = quant.channelScales().toDoubleArray();
        long[] zeroPoints = quant.channelZeroPoints().toLongArray();
        long[] shape = q.shape();
        long inner = 1;
        for (int d = quant.axis() + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        for (int i = 0; i < raw.length; i++) {
            int c = (int) ((i / inner) % shape[quant.axis()]);
            out[i] = (raw[i] - zeroPoints[c]) * scales[c];
        }
        return out;
    }

    /**
     * A stored quantized tensor's raw integers, in the integer dtype torch's {@code int_repr}
     * gives.
     */
    private static void intRepr(Node node, TranslationContext ctx) throws TranslationException {
        TorchTensor q = storedQuantized(node);
        long[] raw;
        try {
            raw = q.toLongArray();
        } catch (IOException e) {
            throw new TranslationException(
                    "cannot read the quantized tensor "
                            + node.input(0).name()
                            + ": "
                            + e.getMessage());
        }
        double[] values = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            values[i] = raw[i];
        }
        ctx.nnef()
                .defineVariable(
                        node.output(0),
                        ExportTimeTensors.of(intRepr(q.dtype()), q.shape(), values));
    }

    private static void toShape(NodeTypes n) {
        String overload = n.node().schema().map(OpSchema::overload).orElse("");
        TorchDType dtype =
                switch (overload) {
                    case "dtype", "device" -> n.dtype(n.at("dtype")).orElseThrow();
                    case "other" -> n.tensor(n.at("other")).dtype();
                    case "dtype_layout" -> n.dtype(n.at("dtype")).orElse(n.tensor(0).dtype());
                    default ->
                            throw new ShapeInferenceException(
                                    "aten::to called with arguments that fit no known overload");
                };
        castShape(n, dtype);
    }

    /**
     * The input's shape in {@code dtype}; a known number or size is converted as torch converts it.
     */
    private static void castShape(NodeTypes n, TorchDType dtype) {
        TensorType t = n.tensor(0);
        n.output(0, dtype, t.shape());
        Object known = KnownArithmetic.number(n.input(0)).orElse(null);
        if (dtype.isFloatingPoint()
                && dtype != TorchDType.FLOAT16
                && dtype != TorchDType.BFLOAT16) {
            Double x =
                    known instanceof Double d
                            ? d
                            : known instanceof Dim d && d.isConstant()
                                    ? Double.valueOf(d.constant())
                                    : null;
            if (x != null) {
                n.known(0, dtype == TorchDType.FLOAT32 ? (double) (float) x.doubleValue() : x);
            }
        } else if (!dtype.isFloatingPoint() && dtype != TorchDType.BOOL && !dtype.isQuantized()) {
            if (known instanceof Dim d) {
                n.known(0, d);
            } else if (known instanceof Double d && Double.isFinite(d)) {
                n.known(0, Dim.of((long) d.doubleValue())); // torch converts floats to
                // integers by truncation
            }
        }
    }

    private static void toOutputType(Node node, TranslationContext ctx)
            throws TranslationException {
        TorchDType from = ctx.types().dtype(node.input(0));
        TorchDType to = ctx.types().dtype(node.output(0));
        if (from == to) {
            ctx.nnef().alias(node.output(0), node.input(0));
            return;
        }
        ctx.nnef().define(node.output(0), cast(ctx, ctx.nnef().tensor(node.input(0)), from, to));
    }

    /**
     * @param ctx the translation
     * @param x a tensor of dtype {@code from}
     * @param from its dtype
     * @param to the wanted dtype
     * @return the {@code tract_core_cast} of {@code x}, or {@code x} when nothing changes (same
     *     dtype, or two float dtypes under {@code --nnef-spec-strict})
     * @throws TranslationException if {@code to} has no tract type, or the cast is refused in
     *     strict mode
     */
    public static Expr cast(TranslationContext ctx, Expr x, TorchDType from, TorchDType to)
            throws TranslationException {
        if (from == to) {
            return x;
        }
        boolean sameNnefType = TensorTypes.elementType(from) == TensorTypes.elementType(to);
        if (sameNnefType && from.isFloatingPoint() && ctx.tract().isStrict()) {
            return x;
        }
        String datum = tractDatumType(to);
        return Invocation.builder(ctx.tract().tractOp("tract_core_cast"))
                .arg(x)
                .arg("to", Expr.str(datum))
                .build();
    }

    /**
     * @param dtype a torch dtype
     * @return tract's name of the same datum type ({@code f32}, {@code i64}, {@code bool}...)
     * @throws TranslationException for dtypes tract has no plain datum type for
     */
    public static String tractDatumType(TorchDType dtype) throws TranslationException {
        return switch (dtype) {
            case FLOAT16 -> "f16";
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT8 -> "i8";
            case INT16 -> "i16";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case UINT8 -> "u8";
            case BOOL -> "bool";
            default ->
                    throw new TranslationException(
                            "cast to " + dtype.torchName() + ": tract has no such datum type");
        };
    }
}
