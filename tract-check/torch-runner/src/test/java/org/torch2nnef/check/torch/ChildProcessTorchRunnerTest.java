package org.torch2nnef.check.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckLimits;
import org.torch2nnef.check.TorchRunAbortedException;
import org.torch2nnef.nnef.contract.HostTensor;

/**
 * The torch reference run in a child JVM: it answers as the in-process run does, and a timeout, an
 * exhausted heap or an address-space cap the JVM cannot live under end the child, not this process,
 * as {@link TorchRunAbortedException} naming the model and what happened; no temporary folder is
 * left behind. Timeouts are far below libtorch's load time and far above nothing, so a loaded
 * 2-core machine changes no outcome.
 */
class ChildProcessTorchRunnerTest {
    private static final Duration GENEROUS = Duration.ofMinutes(5);
    private static final Limits DEFAULT_LIMITS = Limits.fromSystemProperties();

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ChildProcessTorchRunnerTest.class.getResource("/" + name).toURI());
    }

    private static TorchReferenceRequest tuple() throws Exception {
        List<HostTensor> inputs =
                TorchReferenceRequest.inputsFromNpz(
                        resource("tiny_tuple_io.npz"), List.of("x", "y"));
        return new TorchReferenceRequest(
                resource("tiny_tuple.pt"), inputs, List.of("out_relu", "out_sum"));
    }

    private static Set<Path> childFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            String ours = "-" + ProcessHandle.current().pid() + "-";
            return s.filter(
                            p -> {
                                String n = p.getFileName().toString();
                                return n.startsWith(ChildProcessTorchRunner.WORK_DIR_PREFIX)
                                        && n.contains(ours);
                            })
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void theChildAnswersAsTheInProcessRunDoes() throws Exception {
        TorchReferenceRequest request = tuple();
        TorchReferenceResult inProcess = TorchReference.run(request);
        TorchReferenceResult child =
                new ChildProcessTorchRunner(GENEROUS, DEFAULT_LIMITS).run(request);
        assertEquals(inProcess.io().names(), child.io().names());
        assertEquals(inProcess.libtorchVersion(), child.libtorchVersion());
        for (HostTensor t : inProcess.outputs()) {
            assertEquals(t.data(), child.io().get(t.name()).data(), t.name());
        }
    }

    @Test
    void aRunOverTheTimeLimitIsKilledAndNamed() throws Exception {
        Set<Path> before = childFolders();
        long start = System.nanoTime();
        TorchRunAbortedException e =
                assertThrows(
                        TorchRunAbortedException.class,
                        () ->
                                new ChildProcessTorchRunner(Duration.ofMillis(300), DEFAULT_LIMITS)
                                        .run(tuple()));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 60, "kill took long");
        assertTrue(
                e.getMessage()
                        .startsWith(
                                resource("tiny_tuple.pt")
                                        + ": the torch reference run (libtorch, in a child"
                                        + " process) timed out after 0 s (--check-timeout)"),
                e.getMessage());
        assertEquals(before, childFolders());
    }

    @Test
    void anExhaustedHeapIsOutOfMemoryNamingTheCap() throws Exception {
        // 32 MB of inputs cannot be read back into a 16 MB heap
        HostTensor big = HostTensor.ofFloats("x", new long[] {8 << 20}, new float[8 << 20]);
        TorchReferenceRequest request =
                new TorchReferenceRequest(resource("tiny_tuple.pt"), List.of(big), List.of());
        TorchRunAbortedException e =
                assertThrows(
                        TorchRunAbortedException.class,
                        () ->
                                new ChildProcessTorchRunner(
                                                GENEROUS, new Limits(16 << 20, Optional.empty()))
                                        .run(request));
        assertTrue(
                e.getMessage()
                        .contains(
                                "ran out of memory under its caps: heap 16m (-Dtorch2nnef.limit.torchHeap)"),
                e.getMessage());
    }

    @Test
    void anAddressSpaceCapTheJvmCannotLiveUnderIsACrashNamingTheCap() throws Exception {
        TorchRunAbortedException e =
                assertThrows(
                        TorchRunAbortedException.class,
                        () ->
                                new ChildProcessTorchRunner(
                                                GENEROUS,
                                                new Limits(64 << 20, Optional.of(32L << 20)))
                                        .run(tuple()));
        assertTrue(e.getMessage().contains(": the torch reference run"), e.getMessage());
        assertTrue(
                e.getMessage().contains("memory 32m (-Dtorch2nnef.limit.torchMemory)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void outputsPastTheReadBackLimitAreRefusedUnread() throws Exception {
        TorchReferenceRequest request = tuple(); // its inputs are read before the limit is set
        System.setProperty(CheckLimits.TENSOR_BYTES.property(), "16");
        try {
            IOException e =
                    assertThrows(
                            IOException.class,
                            () ->
                                    new ChildProcessTorchRunner(GENEROUS, DEFAULT_LIMITS)
                                            .run(request));
            assertFalse(e instanceof TorchRunAbortedException, e.toString());
            // out_relu [2, 3] and out_sum [2], float32
            assertEquals(
                    resource("tiny_tuple.pt")
                            + ": the torch reference run (libtorch, in a child process) gave"
                            + " outputs of 32 bytes, more than the 16 this process reads back"
                            + " (limit 16, raise with -Dtorch2nnef.limit.checkTensorBytes=N and a"
                            + " larger -Xmx through TORCH2NNEF_JAVA_OPTS)",
                    e.getMessage());
        } finally {
            System.clearProperty(CheckLimits.TENSOR_BYTES.property());
        }
    }

    @Test
    void limitsAreSizesNamedByTheirProperty() {
        System.setProperty(Limits.HEAP, "lots");
        try {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, Limits::fromSystemProperties);
            assertEquals(
                    "-Dtorch2nnef.limit.torchHeap=lots: not a size (bytes, or a number with k, m,"
                            + " g or t)",
                    e.getMessage());
        } finally {
            System.clearProperty(Limits.HEAP);
        }
        System.setProperty(Limits.MEMORY, "none");
        try {
            assertEquals(Optional.empty(), Limits.fromSystemProperties().memoryBytes());
        } finally {
            System.clearProperty(Limits.MEMORY);
        }
    }

    @Test
    void aChildWhoseParentIsKilledEndsToo(@TempDir Path dir) throws Exception {
        // the child waits for tasks on a FIFO it holds open (no end of input comes); its parent,
        // a shell, is then SIGKILLed
        Path fifo = dir.resolve("tasks");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process shell =
                new ProcessBuilder(
                                "/bin/sh",
                                "-c",
                                "\"$0\" -cp \"$1\" "
                                        + LibtorchChild.class.getName()
                                        + " 0<>\"$2\" & wait",
                                java,
                                System.getProperty("java.class.path"),
                                fifo.toString())
                        .redirectErrorStream(true)
                        .start();
        ProcessHandle child = null;
        for (int i = 0; i < 100 && child == null; i++) {
            child = shell.children().findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertTrue(child != null, "the child JVM started");
        Thread.sleep(3000); // past its start, waiting for tasks
        shell.destroyForcibly().waitFor();
        assertTrue(
                child.onExit().get(60, TimeUnit.SECONDS) != null && !child.isAlive(),
                "the orphaned child ended");
    }
}
