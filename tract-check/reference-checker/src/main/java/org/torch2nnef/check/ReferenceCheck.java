package org.torch2nnef.check;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.DjlTensors;
import org.torch2nnef.check.torch.Limits;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The built-in reference check for machines without tract: the exported model is read back from its
 * written files and executed by {@link NnefInterpreter} on the io bundle's inputs, and its outputs
 * are compared with torch's at the same approximation level as tract would use. An op the
 * interpreter cannot execute is exit code 3, never a pass; so is a crash, kill or exhausted cap of
 * the child process an untrusted model runs in ({@link InterpreterRun}).
 */
final class ReferenceCheck {
    /** The checker name in reports. */
    static final String CHECKER = "reference";

    /** The DJL engine the interpreter computes with: the PyTorch one, the only one we ship. */
    static final String ENGINE = "PyTorch";

    private ReferenceCheck() {}

    /**
     * Runs the job's model on its inputs (in a capped child process when the job asks for one,
     * under {@code limits}) and compares the outputs with torch's.
     */
    static CheckReport run(CheckJob job, Supplier<Limits> limits, Optional<Started> started) {
        String version = version();
        Approximation level = job.request().approximation();
        TensorBundle got;
        try {
            if (started.isPresent()) {
                got = started.get().outputs();
            } else {
                InterpreterRun run =
                        new InterpreterRun(
                                job.files().get(),
                                job.request().nnefModel(),
                                inputs(job.io(), job.signature().inputNames()),
                                List.of());
                got = run.run(job.child(), job.work(), limits);
            }
        } catch (InterpreterRun.Refused e) {
            return report(version, level, e.verdict(), e.getMessage());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // an extraction past its disk budget, a malformed memory cap: the user's to fix
            String m = e instanceof UncheckedIOException u ? u.getCause().getMessage() : null;
            return report(
                    version, level, ExitCode.USAGE_OR_INPUT_ERROR, m == null ? e.getMessage() : m);
        }
        List<OutputComparison> outputs =
                TensorComparator.compareOutputs(
                        job.io(),
                        got,
                        job.signature().outputs(),
                        level,
                        job.signature().outputSteps(),
                        job.request().stepTolerance());
        return CheckReport.fromComparisons(CHECKER, version, level.cliName(), outputs);
    }

    /**
     * The interpreter's run of {@code model} on {@code inputs} (as {@link #run} would run it),
     * started now on a thread of its own.
     */
    static Started start(
            Path model,
            TensorBundle inputs,
            Supplier<Path> files,
            Path work,
            Optional<TorchProcess> child,
            Supplier<Limits> limits) {
        CompletableFuture<TensorBundle> outputs = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                outputs.complete(
                                        new InterpreterRun(files.get(), model, inputs, List.of())
                                                .run(child, work, limits));
                            } catch (InterpreterRun.Refused | RuntimeException | Error e) {
                                outputs.completeExceptionally(e);
                            }
                        },
                        "torch2nnef-reference-interpreter");
        t.setDaemon(true);
        t.start();
        return new Started(outputs);
    }

    /** An interpreter run started before torch's outputs were known. */
    record Started(CompletableFuture<TensorBundle> future) {
        /** Its outputs, once it has ended; its failure as {@link #run} meets it. */
        TensorBundle outputs() throws InterpreterRun.Refused {
            try {
                return future.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof InterpreterRun.Refused r) {
                    throw r;
                }
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) cause;
            }
        }
    }

    /** The inputs of {@code io} named {@code names}, in that order. */
    static TensorBundle inputs(TensorBundle io, List<String> names) {
        TensorBundle b = new TensorBundle(io.source());
        names.forEach(n -> b.add(io.get(n)));
        return b;
    }

    /**
     * Runs {@code interpreter} on the named inputs of {@code io}; the outputs come back as host
     * tensors named after the graph outputs.
     */
    static TensorBundle execute(
            NnefInterpreter interpreter,
            TensorBundle io,
            List<String> inputNames,
            NDManager manager,
            Path model) {
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        for (String name : inputNames) {
            inputs.put(name, DjlTensors.toNd(io.get(name), manager));
        }
        TensorBundle got = new TensorBundle("the reference interpreter's run of " + model);
        for (Map.Entry<String, NDArray> e : interpreter.run(inputs, manager).entrySet()) {
            got.add(DjlTensors.toHost(e.getValue(), e.getKey(), model.toString()));
            e.getValue().close();
        }
        inputs.values().forEach(NDArray::close);
        return got;
    }

    /** Our version: the interpreter ships with torch2nnef. */
    static String version() {
        String v = ReferenceCheck.class.getPackage().getImplementationVersion();
        return "torch2nnef " + (v == null ? "development build" : v);
    }

    private static CheckReport report(
            String version, Approximation level, ExitCode code, String message) {
        return new CheckReport(
                CHECKER, version, level.cliName(), List.of(), code, message, "", List.of());
    }
}
