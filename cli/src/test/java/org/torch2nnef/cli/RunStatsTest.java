package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunStatsTest {

    /** The hand-rolled MB figure reads as the {@code %.1f} that bench/run parsed before. */
    @Test
    void megabytesPrintsAsPercentPointOneF() {
        long[] edges = {0, 49_999, 50_000, 99_999, 10_850_000, 254_600_000, 268_435_456, 1L << 40};
        for (long b : edges) {
            assertEquals(
                    String.format(Locale.ROOT, "%.1f", b / 1e6), RunStats.megabytes(b), "" + b);
        }
        Random random = new Random(17);
        for (int i = 0; i < 10_000; i++) {
            long b =
                    random.nextLong()
                            >>> (14 + random.nextInt(50)); // below 2^50: exact in a double
            assertEquals(
                    String.format(Locale.ROOT, "%.1f", b / 1e6), RunStats.megabytes(b), "" + b);
        }
    }
}
