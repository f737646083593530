package org.torch2nnef.check.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected values derived from the IEEE 754 binary16 definition. */
class HalfTest {
  @Test
  void everyNonNanHalfSurvivesARoundTripThroughFloat() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float f = Half.toFloat((short) bits);
      if (Float.isNaN(f)) {
        assertTrue((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0);
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))));
        continue;
      }
      assertEquals((short) bits, Half.fromFloat(f), "bits " + Integer.toHexString(bits));
    }
  }

  @Test
  void knownValues() {
    assertEquals(65504f, Half.toFloat((short) 0x7bff)); // largest finite
    assertEquals(0x1p-24f, Half.toFloat((short) 0x0001)); // smallest subnormal
    assertEquals(0x1p-14f, Half.toFloat((short) 0x0400)); // smallest normal
    assertEquals(-2f, Half.toFloat((short) 0xc000));
    assertEquals((short) 0x7c00, Half.fromFloat(65520f)); // rounds up to infinity
    assertEquals((short) 0x7bff, Half.fromFloat(65519f));
    // 1 + 2^-11 is halfway between 1 and the next half: ties to even gives 1.
    assertEquals((short) 0x3c00, Half.fromFloat(1f + 0x1p-11f));
    assertEquals((short) 0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f));
    assertEquals((short) 0x0000, Half.fromFloat(0x1p-26f)); // below half the smallest subnormal
  }
}
