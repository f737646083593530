package org.torch2nnef.check;

import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceLoader;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Names the first NNEF tensor whose values diverge from torch's intermediate values (the reference
 * interpreter re-runs the model for it); found with {@link ServiceLoader}.
 */
public interface DivergenceLocator {
    /**
     * {@code report} with the first diverging tensor, or with a note saying why none was named.
     *
     * @param files the model's files (a directory, possibly extracted from {@code model})
     * @param model the model as the user named it, for messages
     * @param inputs the inputs the check ran on, by NNEF input name
     * @param torch torch's values keyed by NNEF tensor name
     * @param work the check's work directory, for a child process's files
     * @param child present when the model must run in a capped child process ({@link
     *     CheckJob#child})
     */
    CheckReport localize(
            CheckReport report,
            Path files,
            Path model,
            TensorBundle inputs,
            TensorBundle torch,
            Approximation level,
            Path work,
            Optional<TorchProcess> child);
}
