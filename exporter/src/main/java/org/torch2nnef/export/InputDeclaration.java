package org.torch2nnef.export;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.torchscript.TorchDType;

/**
 * A model input as declared on the command line: {@code NAME=D0,D1,...[:DTYPE]}, e.g. {@code
 * x=1,3,224,224}, {@code tokens=1,16:i64}, {@code scale=:f32} (0-d). The dtype defaults to float32.
 *
 * @param name the input's name in the model's {@code forward}
 * @param sizes the example sizes (non-negative)
 * @param dtype the element type
 */
public record InputDeclaration(String name, long[] sizes, TorchDType dtype) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Map<String, TorchDType> DTYPES =
            Map.ofEntries(
                    Map.entry("f32", TorchDType.FLOAT32),
                    Map.entry("float32", TorchDType.FLOAT32),
                    Map.entry("float", TorchDType.FLOAT32),
                    Map.entry("f16", TorchDType.FLOAT16),
                    Map.entry("float16", TorchDType.FLOAT16),
                    Map.entry("half", TorchDType.FLOAT16),
                    Map.entry("bf16", TorchDType.BFLOAT16),
                    Map.entry("bfloat16", TorchDType.BFLOAT16),
                    Map.entry("f64", TorchDType.FLOAT64),
                    Map.entry("float64", TorchDType.FLOAT64),
                    Map.entry("double", TorchDType.FLOAT64),
                    Map.entry("i8", TorchDType.INT8),
                    Map.entry("int8", TorchDType.INT8),
                    Map.entry("i16", TorchDType.INT16),
                    Map.entry("int16", TorchDType.INT16),
                    Map.entry("i32", TorchDType.INT32),
                    Map.entry("int32", TorchDType.INT32),
                    Map.entry("int", TorchDType.INT32),
                    Map.entry("i64", TorchDType.INT64),
                    Map.entry("int64", TorchDType.INT64),
                    Map.entry("long", TorchDType.INT64),
                    Map.entry("u8", TorchDType.UINT8),
                    Map.entry("uint8", TorchDType.UINT8),
                    Map.entry("bool", TorchDType.BOOL));

    public InputDeclaration {
        Objects.requireNonNull(name, "name");
        sizes = sizes.clone();
        Objects.requireNonNull(dtype, "dtype");
    }

    /**
     * The dtype a check generates this input in.
     *
     * @throws IllegalArgumentException when torch's dtype has no exchange form (give its values in
     *     an npz instead)
     */
    public DType generatedDType() {
        return dtype.exchanged()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "input "
                                                + name
                                                + " of type "
                                                + dtype.torchName()
                                                + " cannot be generated"));
    }

    /**
     * Parses {@code NAME=D0,D1,...[:DTYPE]}.
     *
     * @param text the declaration
     * @return the parsed declaration
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static InputDeclaration parse(String text) {
        String hint =
                " in --input '"
                        + text
                        + "' (expected NAME=D0,D1,...[:DTYPE], e.g. x=1,3,224,224:f32)";
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("missing '='" + hint);
        }
        String name = text.substring(0, eq).strip();
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an input name" + hint);
        }
        String rest = text.substring(eq + 1).strip();
        TorchDType dtype = TorchDType.FLOAT32;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            dtype = parseDType(rest.substring(colon + 1).strip(), hint);
            rest = rest.substring(0, colon).strip();
        }
        long[] sizes =
                rest.isEmpty()
                        ? new long[0]
                        : Arrays.stream(rest.split(",", -1))
                                .mapToLong(s -> parseSize(s.strip(), hint))
                                .toArray();
        checkByteSize(sizes, dtype, hint);
        return new InputDeclaration(name, sizes, dtype);
    }

    /** Shapes are multiplied out downstream: one whose bytes overflow 64 bits is refused here. */
    private static void checkByteSize(long[] sizes, TorchDType dtype, String hint) {
        try {
            long bytes = dtype.elementSize();
            for (long s : sizes) {
                bytes = Math.multiplyExact(bytes, s);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(sizes)
                            + " of "
                            + dtype.torchName()
                            + " has more than 2^63-1 bytes"
                            + hint,
                    e);
        }
    }

    private static long parseSize(String s, String hint) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw new IllegalArgumentException("negative size " + v + hint);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + s + "' is not a whole number" + hint, e);
        }
    }

    /**
     * @param name a dtype name such as {@code f32}, {@code float32}, {@code i64}, {@code bool}
     * @param hint context appended to the error message
     * @return the dtype
     */
    static TorchDType parseDType(String name, String hint) {
        TorchDType t = DTYPES.get(name.toLowerCase(Locale.ROOT));
        if (t == null) {
            throw new IllegalArgumentException(
                    "unknown dtype '"
                            + name
                            + "'"
                            + hint
                            + "; known: "
                            + new TreeSet<>(DTYPES.keySet()));
        }
        return t;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputDeclaration d
                && name.equals(d.name)
                && Arrays.equals(sizes, d.sizes)
                && dtype == d.dtype;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(sizes), dtype);
    }

    /**
     * @return the CLI form, e.g. {@code x=1,3,224,224:float32}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('=');
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : ",").append(sizes[i]);
        }
        return sb.append(':').append(dtype.torchName()).toString();
    }
}
