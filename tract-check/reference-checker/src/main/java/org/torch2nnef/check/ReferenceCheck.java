package org.torch2nnef.check;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.StepTolerance;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.check.reference.NnefExecutionException;
import org.torch2nnef.check.reference.NnefInterpreter;
import org.torch2nnef.check.reference.UnsupportedOpException;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.DjlTensors;
import org.torch2nnef.nnef.contract.TensorBundle;
import org.torch2nnef.nnef.io.NnefArchiveReader;

/**
 * The built-in reference check for machines without tract: the exported model is read back from its
 * written files and executed by {@link NnefInterpreter} on the io bundle's inputs, and its outputs
 * are compared with torch's at the same approximation level as tract would use. An op the
 * interpreter cannot execute is exit code 3, never a pass.
 */
final class ReferenceCheck {
    /** The checker name in reports. */
    static final String CHECKER = "reference";

    /** The DJL engine the interpreter computes with: the PyTorch one, the only one we ship. */
    static final String ENGINE = "PyTorch";

    private ReferenceCheck() {}

    /**
     * Runs the model read from {@code files} on {@code io}'s inputs and compares the outputs;
     * messages name the model {@code model}, which {@code files} is or was extracted from.
     */
    static CheckReport run(
            Path files,
            Path model,
            TensorBundle io,
            NnefSignature signature,
            Approximation level,
            StepTolerance stepTolerance) {
        String version = version();
        NnefInterpreter interpreter;
        try {
            interpreter = NnefInterpreter.of(NnefArchiveReader.read(files), model.toString());
        } catch (IOException | RuntimeException e) {
            return report(
                    version,
                    level,
                    ExitCode.USAGE_OR_INPUT_ERROR,
                    "cannot read the exported model back: " + e.getMessage());
        }
        try (NDManager manager = Engine.getEngine(ENGINE).newBaseManager()) {
            TensorBundle got = execute(interpreter, io, signature.inputNames(), manager, model);
            List<OutputComparison> outputs =
                    TensorComparator.compareOutputs(
                            io,
                            got,
                            signature.outputs(),
                            level,
                            signature.outputSteps(),
                            stepTolerance);
            return CheckReport.fromComparisons(CHECKER, version, level.cliName(), outputs);
        } catch (UnsupportedOpException e) {
            return report(
                    version,
                    level,
                    ExitCode.CHECKER_UNAVAILABLE,
                    "the reference interpreter cannot execute this model, so nothing was checked: "
                            + e.getMessage());
        } catch (NnefExecutionException e) {
            return report(
                    version,
                    level,
                    ExitCode.OUTPUTS_DIFFER,
                    "the reference interpreter rejected the model: " + e.getMessage());
        } catch (RuntimeException e) {
            return report(
                    version,
                    level,
                    ExitCode.CHECKER_UNAVAILABLE,
                    "the reference interpreter crashed: " + e);
        }
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
