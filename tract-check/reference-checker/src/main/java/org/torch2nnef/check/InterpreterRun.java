package org.torch2nnef.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.reference.NnefExecutionException;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.reference.UnsupportedOpException;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.ChildJvm;
import org.torch2nnef.check.torch.Limits;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * One run of the reference interpreter on a model's files, in this JVM or, for an untrusted model,
 * in a child JVM ({@link InterpreterProcess} through {@link ChildJvm}: the torch run's launcher,
 * time limit and memory caps), where libtorch may crash or allocate without taking the check along.
 *
 * @param files the model's files (a directory, or an archive read into memory)
 * @param model the model as the user named it, for messages
 * @param inputs the inputs, named and ordered as the graph's inputs
 * @param outputs the tensors to compute; empty for the graph's outputs
 */
record InterpreterRun(Path files, Path model, TensorBundle inputs, List<String> outputs) {
    private static final String WHAT = "the reference interpreter (in a child process)";

    /** A run that gave no outputs, with the check verdict that means and why. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ExitCode verdict;

        Refused(ExitCode verdict, String message) {
            super(message);
            this.verdict = verdict;
        }

        ExitCode verdict() {
            return verdict;
        }
    }

    /**
     * The computed tensors, named as asked.
     *
     * @param child present to run in a child process, for at most this long, under {@code limits}
     * @param work where the child's files go
     * @throws Refused when the model cannot be read, run or executed, or the child crashed, was
     *     killed, ran out of memory or time
     * @throws IllegalArgumentException naming the property of a malformed limit
     */
    TensorBundle run(Optional<Duration> child, Path work, Supplier<Limits> limits) throws Refused {
        return child.isPresent() ? inChild(child.get(), work, limits.get()) : inProcess();
    }

    /** Runs in this JVM; every failure is a {@link Refused}. */
    TensorBundle inProcess() throws Refused {
        NnefInterpreter interpreter;
        try {
            NnefModel nnef = NnefArchiveReader.read(files);
            if (!outputs.isEmpty()) {
                Graph g = nnef.graph();
                nnef =
                        nnef.toBuilder()
                                .graph(new Graph(g.name(), g.inputs(), outputs, g.body()))
                                .build();
            }
            interpreter = NnefInterpreter.of(nnef, model.toString());
        } catch (IOException | RuntimeException e) {
            throw new Refused(
                    ExitCode.USAGE_OR_INPUT_ERROR,
                    "cannot read the exported model back: " + e.getMessage());
        }
        try (NDManager manager = Engine.getEngine(ReferenceCheck.ENGINE).newBaseManager()) {
            return ReferenceCheck.execute(
                    interpreter, inputs, List.copyOf(inputs.names()), manager, model);
        } catch (UnsupportedOpException e) {
            throw new Refused(
                    ExitCode.CHECKER_UNAVAILABLE,
                    "the reference interpreter cannot execute this model, so nothing was checked: "
                            + e.getMessage());
        } catch (NnefExecutionException e) {
            throw new Refused(
                    ExitCode.OUTPUTS_DIFFER,
                    "the reference interpreter rejected the model: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new Refused(
                    ExitCode.CHECKER_UNAVAILABLE, "the reference interpreter crashed: " + e);
        } catch (StackOverflowError e) {
            throw new Refused(
                    ExitCode.CHECKER_UNAVAILABLE,
                    "the reference interpreter overflowed its stack on " + model);
        }
    }

    /** What the child computed; outputs past the limit on what is read back are the model's. */
    private TensorBundle outputs(ChildJvm jvm, Path npz) throws Refused {
        try {
            return jvm.outputs(npz, model);
        } catch (IOException e) {
            throw new Refused(ExitCode.USAGE_OR_INPUT_ERROR, e.getMessage());
        }
    }

    private TensorBundle inChild(Duration timeout, Path work, Limits limits) throws Refused {
        Path dir = null;
        try {
            dir = ChildJvm.workFolder(work, "interpreter");
            Npz.write(inputs, dir.resolve(InterpreterProcess.INPUTS));
            Files.write(dir.resolve(InterpreterProcess.OUTPUT_NAMES), outputs);
            ChildJvm jvm = new ChildJvm(timeout, limits, WHAT);
            int exit =
                    jvm.run(
                            InterpreterProcess.class,
                            dir,
                            model,
                            List.of(
                                    files.toAbsolutePath().toString(),
                                    model.toString(),
                                    dir.toAbsolutePath().toString()));
            if (exit == 0) {
                return new TensorBundle("the reference interpreter's run of " + model)
                        .addAll(outputs(jvm, dir.resolve(InterpreterProcess.OUTPUTS)));
            }
            Optional<String> error = ChildJvm.error(dir);
            Optional<ExitCode> verdict = InterpreterProcess.verdict(exit);
            if (verdict.isPresent() && error.isPresent()) {
                throw new Refused(verdict.get(), error.get());
            }
            throw jvm.failure(model, exit, dir);
        } catch (TorchRunAbortedException e) {
            throw new Refused(ExitCode.CHECKER_UNAVAILABLE, e.getMessage());
        } catch (IOException e) {
            throw new Refused(
                    ExitCode.CHECKER_UNAVAILABLE,
                    model
                            + ": cannot run the reference interpreter in a child process: "
                            + e.getMessage());
        } finally {
            if (dir != null) {
                ChildJvm.deleteTree(dir);
            }
        }
    }
}
