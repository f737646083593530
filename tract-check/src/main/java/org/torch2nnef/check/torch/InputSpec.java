package org.torch2nnef.check.torch;

import java.util.Arrays;
import java.util.Objects;
import org.torch2nnef.check.tensor.DType;
import org.torch2nnef.check.tensor.HostTensor;

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
   * Parses {@code NAME:2x3xf32} or {@code NAME:f32} (a scalar), the way tract spells input facts.
   *
   * @throws IllegalArgumentException naming the text when malformed
   */
  public static InputSpec parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("input spec '" + text + "' must be NAME:2x3xf32");
    }
    String[] parts = text.substring(colon + 1).split("x");
    long[] shape = new long[parts.length - 1];
    try {
      for (int i = 0; i < shape.length; i++) {
        shape[i] = Long.parseLong(parts[i]);
      }
      return new InputSpec(text.substring(0, colon), DType.fromLabel(parts[parts.length - 1]),
          shape);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("input spec '" + text + "': " + e.getMessage(), e);
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputSpec s && s.name.equals(name) && s.dtype == dtype
        && Arrays.equals(s.shape, shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(name).append(':');
    for (long d : shape) {
      sb.append(d).append('x');
    }
    return sb.append(dtype.label()).toString();
  }
}
