package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.Divergence;
import org.torch2nnef.check.torch.Limits;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Graph;
import org.torch2nnef.nnef.model.Invocation;
import org.torch2nnef.nnef.model.NnefModel;

/**
 * Finds the first NNEF tensor whose values diverge from torch's: the exported graph is re-run by
 * the reference interpreter with every tensor that has a torch value promoted to a graph output,
 * and those tensors are compared with torch's values in assignment order. Torch's intermediate
 * values come keyed by NNEF tensor name, from an npz or a {@link TorchProbe}; DJL runs only {@code
 * forward}, so it cannot produce them from the checked model itself. The re-run is an {@link
 * InterpreterRun}: in a capped child process for an untrusted model.
 */
public final class Localizer implements DivergenceLocator {
    private final Supplier<Limits> limits;

    /** The locator, its child's caps read from the system properties when it runs. */
    public Localizer() {
        this.limits = Limits::fromSystemProperties;
    }

    @Override
    public CheckReport localize(
            CheckReport report,
            Path files,
            Path model,
            TensorBundle inputs,
            TensorBundle torch,
            Approximation level,
            Path work,
            Optional<TorchProcess> child) {
        try {
            NnefModel nnef = NnefArchiveReader.read(files);
            Graph graph = nnef.graph();
            Map<String, String> candidates = new LinkedHashMap<>();
            for (Assignment a : graph.body()) {
                String op = a.rvalue() instanceof Invocation inv ? inv.name() : "expression";
                for (String name : a.definedNames()) {
                    if (torch.find(name).isPresent() && !graph.inputs().contains(name)) {
                        candidates.put(name, op);
                    }
                }
            }
            List<String> unknown = new ArrayList<>(torch.names());
            unknown.removeAll(candidates.keySet());
            unknown.removeAll(graph.inputs());
            String ignored =
                    unknown.isEmpty()
                            ? ""
                            : "; ignored torch values naming no computed NNEF tensor: " + unknown;
            if (candidates.isEmpty()) {
                return report.withNote(
                        "not localized: "
                                + torch.source()
                                + " holds no value for a tensor"
                                + " computed by the graph"
                                + ignored);
            }
            TensorBundle got =
                    new InterpreterRun(
                                    files,
                                    model,
                                    ReferenceCheck.inputs(inputs, graph.inputs()),
                                    List.copyOf(candidates.keySet()))
                            .run(child, work, limits);
            int compared = 0;
            String last = "";
            for (Map.Entry<String, String> c : candidates.entrySet()) {
                compared++;
                OutputComparison cmp =
                        TensorComparator.compare(torch.get(c.getKey()), got.get(c.getKey()), level);
                if (!cmp.passed()) {
                    return report.withDivergence(
                                    new Divergence(c.getKey(), c.getValue(), cmp, compared))
                            .withNote(ignored.isEmpty() ? "" : ignored.substring(2));
                }
                last = c.getKey();
            }
            return report.withNote(
                    "not localized: all "
                            + compared
                            + " intermediate tensors with torch"
                            + " values match at "
                            + level
                            + "; the divergence lies after '"
                            + last
                            + "'"
                            + ignored);
        } catch (InterpreterRun.Refused | IOException | RuntimeException e) {
            return report.withNote("not localized: " + e.getMessage());
        }
    }
}
