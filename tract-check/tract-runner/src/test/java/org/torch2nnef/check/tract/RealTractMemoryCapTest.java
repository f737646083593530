package org.torch2nnef.check.tract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * A REAL tract (TRACT_BIN, then PATH; skipped with a message without one) under its memory cap:
 * {@code c = add(a, a)} on a 32 MiB input. Under 64m, tract (about 33 MB of address space before it
 * reads anything, 0.21 and 0.22) cannot allocate the input: its error, or Rust's failed allocation
 * (with RUST_BACKTRACE=1 it then hangs capturing a backtrace, and is killed), is exit 3 naming the
 * cap. Under the default cap it runs, and the sum is 2 * a, derived by hand.
 */
class RealTractMemoryCapTest {
    private static final int ELEMENTS = 8 << 20;

    @TempDir Path tmp;
    Path model;
    Path io;

    @BeforeEach
    void needsTract() throws Exception {
        Assumptions.assumeTrue(
                new TractLocator().find(Optional.empty()).isPresent(),
                "no tract binary (TRACT_BIN unset, no tract on PATH): real tract cap check skipped");
        model = Files.createDirectories(tmp.resolve("twice"));
        Files.writeString(
                model.resolve("graph.nnef"),
                "version 1.0;\n\ngraph twice( a ) -> ( c )\n{\n"
                        + "    a = external<scalar>(shape = ["
                        + ELEMENTS
                        + "]);\n    c = add(a, a);\n}\n");
        float[] a = new float[ELEMENTS];
        float[] c = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) {
            a[i] = i % 1000;
            c[i] = 2 * (i % 1000);
        }
        io = tmp.resolve("io.npz");
        Npz.write(
                new TensorBundle("io")
                        .add(HostTensor.ofFloats("a", new long[] {ELEMENTS}, a))
                        .add(HostTensor.ofFloats("c", new long[] {ELEMENTS}, c)),
                io);
    }

    private CheckReport check(TractMemoryCap cap) {
        return new TractCheck(new TractLocator(), () -> cap)
                .check(TractCheckRequest.of(model, io, List.of("c"), tmp.resolve("work")));
    }

    @Test
    void tractOutOfMemoryUnderItsCapIsExitThreeNamingTheCap() {
        long start = System.nanoTime();
        CheckReport r = check(new TractMemoryCap(Optional.of(64L << 20)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(ExitCode.CHECKER_UNAVAILABLE, r.verdict(), r.message() + r.checkerOutput());
        assertTrue(
                r.message().startsWith("tract ran out of memory under its cap of 64m (exit "),
                r.message());
        assertTrue(
                r.message()
                        .endsWith(
                                "; raise the cap with -Dtorch2nnef.limit.tractMemory=SIZE through"
                                        + " TORCH2NNEF_JAVA_OPTS (=none lifts it)"),
                r.message());
        assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "took " + took);
    }

    @Test
    void theDefaultCapLetsTractRun() {
        System.clearProperty(TractMemoryCap.PROPERTY);
        CheckReport r = check(TractMemoryCap.fromSystemProperties());
        assertEquals(ExitCode.EQUAL, r.verdict(), r.message() + r.checkerOutput());
    }
}
