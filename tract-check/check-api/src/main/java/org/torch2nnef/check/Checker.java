package org.torch2nnef.check;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Runs an exported model on the inputs torch ran and compares its outputs with torch's. The {@link
 * CheckRunner} finds the installed checkers with {@link ServiceLoader} (listed in {@code
 * META-INF/services/Checker}) and picks one by {@link #mode()}, so an installation holds only the
 * checkers it ships.
 */
public interface Checker {
    /**
     * The {@code --checker} mode naming this checker: {@link CheckerMode#TRACT} or {@link
     * CheckerMode#REFERENCE}.
     */
    CheckerMode mode();

    /** Whether this checker can check {@code request}, and the run when it can. */
    Preparation prepare(CheckRequest request);

    /** What {@link #prepare} found. */
    sealed interface Preparation permits Ready, Unavailable {}

    /**
     * The checker can run.
     *
     * @param run the prepared check
     * @param found how its tool was found ({@code tract 0.21.13 found via PATH}), for the note of
     *     {@code --checker auto}
     */
    record Ready(Run run, String found) implements Preparation {}

    /**
     * The checker cannot run.
     *
     * @param reason why, for the report
     * @param notInstalled present when its tool is simply not installed, saying so briefly: then
     *     {@code --checker auto} falls back to the reference interpreter instead of failing
     */
    record Unavailable(String reason, Optional<String> notInstalled) implements Preparation {}

    /** A prepared check. */
    interface Run {
        /**
         * Checks the model of {@code job}. Never throws for bad input or checker trouble: the
         * report's verdict and message say what happened.
         */
        CheckReport check(CheckJob job);

        /** The version of the external tool checking (tract), for bug reports; empty for none. */
        Optional<String> toolVersion();

        /**
         * Work that does not need torch's results (e.g. loading a native library, extracting the
         * model's {@code files}, the same as {@link CheckJob#files}), which the runner may do on
         * another thread while torch runs in its child process. Must not throw: what fails here
         * fails again, and is reported, in {@link #check}.
         */
        default void warmUp(Supplier<Path> files) {}

        /**
         * Called once torch's inputs are known, before torch runs: work that needs the inputs but
         * not torch's outputs (the reference interpreter's run) may start here, on a thread of its
         * own, in {@code child} beside torch's run, for {@link #check} to use. Must not throw: what
         * fails here fails again, and is reported, in {@link #check}.
         *
         * @param request the check as asked
         * @param inputs torch's inputs, named and ordered as the model's inputs
         * @param files the model's files, as {@link CheckJob#files}
         * @param work the work directory
         * @param child the check's child process, as {@link CheckJob#child}
         */
        default void inputsKnown(
                CheckRequest request,
                TensorBundle inputs,
                Supplier<Path> files,
                Path work,
                Optional<TorchProcess> child) {}
    }
}
