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
 * in a child JVM ({@link InterpreterProcess} in a {@link ChildJvm}: the one torch ran in, with its
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
     * @param child present to run in a capped child process: the one of the check (where torch ran,
     *     libtorch loaded) when its caps are {@code limits}, else one of its own, under {@code
     *     limits}
     * @param work where a child of its own has its folder
     * @throws Refused when the model cannot be read, run or executed, or the child crashed, was
     *     killed, ran out of memory or time
     * @throws IllegalArgumentException naming the property of a malformed limit
     */
    TensorBundle run(Optional<TorchProcess> child, Path work, Supplier<Limits> limits)
            throws Refused {
        if (child.isEmpty()) {
            return inProcess();
        }
        Limits caps = limits.get();
        Optional<ChildJvm> shared = ChildJvm.of(child.get()).filter(j -> j.limits().equals(caps));
        if (shared.isPresent()) {
            try {
                return inChild(shared.get(), shared.get().taskFolder("interpreter"));
            } catch (IOException e) {
                throw cannotRun(e);
            }
        }
        return inChild(child.get().timeout(), work, caps);
    }

    /** Runs in a child process of its own under {@code limits}, for at most {@code timeout}. */
    TensorBundle inChild(Duration timeout, Path work, Limits limits) throws Refused {
        try (ChildJvm jvm = ChildJvm.start(timeout, limits, work, "interpreter")) {
            return inChild(jvm, jvm.taskFolder("run"));
        } catch (IOException e) {
            throw cannotRun(e);
        }
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
    private TensorBundle outputs(Path npz) throws Refused {
        try {
            return ChildJvm.outputs(WHAT, npz, model);
        } catch (IOException e) {
            throw new Refused(ExitCode.USAGE_OR_INPUT_ERROR, e.getMessage());
        }
    }

    /** Runs {@link InterpreterProcess} in {@code jvm} with its files in {@code dir}. */
    private TensorBundle inChild(ChildJvm jvm, Path dir) throws Refused {
        try {
            Npz.write(inputs, dir.resolve(InterpreterProcess.INPUTS));
            Files.write(dir.resolve(InterpreterProcess.OUTPUT_NAMES), outputs);
            int exit =
                    jvm.run(
                            WHAT,
                            InterpreterProcess.class,
                            dir,
                            model,
                            List.of(files.toAbsolutePath().toString(), model.toString()));
            if (exit == 0) {
                return new TensorBundle("the reference interpreter's run of " + model)
                        .addAll(outputs(dir.resolve(InterpreterProcess.OUTPUTS)));
            }
            Optional<String> error = ChildJvm.error(dir);
            Optional<ExitCode> verdict = InterpreterProcess.verdict(exit);
            if (verdict.isPresent() && error.isPresent()) {
                throw new Refused(verdict.get(), error.get());
            }
            throw jvm.failure(WHAT, model, exit);
        } catch (TorchRunAbortedException e) {
            throw new Refused(ExitCode.CHECKER_UNAVAILABLE, e.getMessage());
        } catch (IOException e) {
            throw cannotRun(e);
        } finally {
            ChildJvm.deleteTree(dir);
        }
    }

    private Refused cannotRun(IOException e) {
        return new Refused(
                ExitCode.CHECKER_UNAVAILABLE,
                model
                        + ": cannot run the reference interpreter in a child process: "
                        + e.getMessage());
    }
}
