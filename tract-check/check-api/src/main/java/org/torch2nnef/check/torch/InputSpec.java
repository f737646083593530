package org.torch2nnef.check.torch;

import java.util.Arrays;
import java.util.Objects;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;

/**
 * A declared model input: name, element type and concrete shape.
 *
 * @param name NNEF input name
 * @param dtype element type
 * @param shape concrete dimensions
 */
public record InputSpec(String name, DType dtype, long[] shape) {
    /** Canonical constructor; validates and copies the shape. */
    public InputSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        HostTensor.elementCount(shape);
    }

    /**
     * Parses the command-line syntax {@code NAME=D0,D1,...[:DTYPE]}, e.g. {@code x=1,3,224,224},
     * {@code ids=1,16:i64}; the element type defaults to {@code f32}; {@code NAME=} or {@code
     * NAME=:i64} is a scalar.
     *
     * @throws IllegalArgumentException naming the text when malformed
     */
    public static InputSpec parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(
                    "input spec '"
                            + text
                            + "' must be NAME=D0,D1,...[:DTYPE]"
                            + ", e.g. x=1,3,224,224 or ids=1,16:i64");
        }
        String rest = text.substring(eq + 1);
        int colon = rest.lastIndexOf(':');
        String dims = colon < 0 ? rest : rest.substring(0, colon);
        try {
            DType dtype = colon < 0 ? DType.F32 : DType.fromLabel(rest.substring(colon + 1).trim());
            String[] parts = dims.isBlank() ? new String[0] : dims.split(",", -1);
            long[] shape = new long[parts.length];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Long.parseLong(parts[i].trim());
            }
            return new InputSpec(text.substring(0, eq).trim(), dtype, shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input spec '" + text + "': " + e.getMessage(), e);
        }
    }

    /** The same input with another shape. */
    public InputSpec withShape(long[] newShape) {
        return new InputSpec(name, dtype, newShape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s
                && s.name.equals(name)
                && s.dtype == dtype
                && Arrays.equals(s.shape, shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    /** The spec in the syntax {@link #parse} reads, e.g. {@code x=2,3:f32}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append('=');
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.append(':').append(dtype.label()).toString();
    }
}
