package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.torch2nnef.torchscript.TorchDType;

/**
 * A tensor's metadata in the program ({@code tensor_meta}, {@code tensor_values}): dtype, sizes
 * (ints, or symbols of the dynamic dims with their example value), strides and storage offset.
 *
 * @param dtype the element type
 * @param sizes one per dimension
 * @param strides one per dimension (constants; symbolic strides are not needed)
 * @param storageOffset the offset in elements
 */
record TensorMeta(TorchDType dtype, List<Size> sizes, List<Size> strides, long storageOffset) {
    /** {@code Symbol('s31', positive=True, integer=True)}: a plain symbol, group 1 its name. */
    private static final Pattern SYMBOL =
            Pattern.compile("Symbol\\('([A-Za-z_][A-Za-z0-9_]*)'.*\\)");

    /**
     * One size: a constant, a torch symbol, or another expression of symbols.
     *
     * @param constant the value when {@code symbol} and {@code expression} are null; else the
     *     example value torch recorded ({@code hint})
     * @param symbol torch's symbol name ({@code s31}) of a plain symbol, else null
     * @param expression the sympy text of another expression, else null
     */
    record Size(long constant, String symbol, String expression) {
        boolean isConstant() {
            return symbol == null && expression == null;
        }
    }

    static TensorMeta read(JsonNode meta, String where) throws ProgramFormatException {
        long code = JsonFields.integer(meta, "dtype", where);
        TorchDType dtype =
                ProgramEnums.dtype(code)
                        .orElseThrow(
                                () ->
                                        new ProgramFormatException(
                                                where + ": dtype " + code + " is not supported"));
        List<Size> sizes = sizes(JsonFields.array(meta, "sizes", where), where + " sizes");
        List<Size> strides = sizes(JsonFields.array(meta, "strides", where), where + " strides");
        Size offset = size(JsonFields.field(meta, "storage_offset", where), where);
        return new TensorMeta(dtype, sizes, strides, offset.constant());
    }

    private static List<Size> sizes(JsonNode array, String where) throws ProgramFormatException {
        List<Size> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(size(n, where));
        }
        return out;
    }

    /** {@code {"as_int": 4}} or {@code {"as_expr": {"expr_str": ..., "hint": {"as_int": 2}}}}. */
    private static Size size(JsonNode node, String where) throws ProgramFormatException {
        Map.Entry<String, JsonNode> u = JsonFields.union(node, where);
        if (u.getKey().equals("as_int")) {
            return new Size(JsonFields.integer(u.getValue(), where), null, null);
        }
        if (!u.getKey().equals("as_expr")) {
            throw new ProgramFormatException(where + ": unknown size kind '" + u.getKey() + "'");
        }
        String text = JsonFields.text(u.getValue(), "expr_str", where);
        JsonNode hintNode = u.getValue().get("hint");
        long hint =
                hintNode == null || hintNode.isNull()
                        ? -1
                        : JsonFields.integer(
                                JsonFields.union(hintNode, where).getValue(), where + " hint");
        Matcher m = SYMBOL.matcher(text);
        return m.matches() ? new Size(hint, m.group(1), null) : new Size(hint, null, text);
    }

    long[] concreteSizes(String where) throws ProgramFormatException {
        return concrete(sizes, where + " sizes");
    }

    long[] concreteStrides(String where) throws ProgramFormatException {
        return concrete(strides, where + " strides");
    }

    private static long[] concrete(List<Size> sizes, String where) throws ProgramFormatException {
        long[] out = new long[sizes.size()];
        for (int i = 0; i < out.length; i++) {
            Size s = sizes.get(i);
            if (!s.isConstant()) {
                throw new ProgramFormatException(
                        where + ": a stored tensor has a symbolic size " + s);
            }
            out[i] = s.constant();
        }
        return out;
    }
}
