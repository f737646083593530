package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.torch.TorchReference;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.tract.TractCheck;
import org.torch2nnef.check.tract.TractCheckRequest;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The op-family checks: export an op model of {@code src/test/resources/ops}, compare it with torch
 * through the reference interpreter ({@link OpNumerics}) and, when a real tract is found ({@code
 * TRACT_BIN}, then PATH), through tract too, torch's outputs being tract's expected outputs.
 * Without tract only the interpreter check runs (CI has none).
 */
final class OpChecks {
    private OpChecks() {}

    /**
     * Exports {@code model} with its recorded input shapes and compares it with torch.
     *
     * @return the export result
     */
    static ExportResult matchesTorch(String model, Path tmp) throws Exception {
        return matchesTorch(OpModel.DIR.resolve(model + ".pt"), tmp);
    }

    /**
     * Exports a traced fixture with the input shapes of its side file ({@code NAME.json} beside it)
     * and compares it with torch.
     *
     * @return the export result
     */
    static ExportResult matchesTorch(Path torchScript, Path tmp) throws Exception {
        String model = torchScript.getFileName().toString().replaceFirst("\\.pt$", "");
        List<long[]> shapes = OpNumerics.inputShapes(torchScript.resolveSibling(model + ".json"));
        ExportOptions options =
                TractUnderTest.options(tmp.resolve(model + ".nnef.tgz"))
                        .inputs(OpNumerics.declarations(shapes))
                        .build();
        List<HostTensor> inputs = OpNumerics.randomInputs(shapes, 42);
        ExportResult r = new Exporter().export(torchScript, options);
        OpNumerics.compare(torchScript, r.output(), inputs);
        checkIfAvailable(torchScript, r, inputs, tmp.resolve(model + "-tract"));
        return r;
    }

    /**
     * Exports {@code model} (one input, {@code in0}) with axis {@code axis} dynamic (symbol {@code
     * S}) and compares it with torch at each of {@code lengths}.
     *
     * @return the export result
     */
    static ExportResult matchesTorchAtLengths(String model, int axis, Path tmp, long... lengths)
            throws Exception {
        long[] shape = OpNumerics.inputShapes(model).get(0);
        ExportOptions options =
                TractUnderTest.options(tmp.resolve(model + "-dyn.nnef.tgz"))
                        .inputs(OpNumerics.declarations(List.of(shape)))
                        .dynamicAxes(List.of(DynamicAxes.parse("in0:" + axis + "=S")))
                        .build();
        ExportResult r = new Exporter().export(OpModel.DIR.resolve(model + ".pt"), options);
        assertEquals(Set.of("S"), r.symbols(), model + " symbols");
        for (long length : lengths) {
            long[] s = shape.clone();
            s[axis] = length;
            List<HostTensor> inputs = OpNumerics.randomInputs(List.of(s), length);
            OpNumerics.compare(model, r.output(), inputs);
            checkIfAvailable(
                    OpModel.DIR.resolve(model + ".pt"),
                    r,
                    inputs,
                    tmp.resolve(model + "-tract-" + length));
        }
        return r;
    }

    /**
     * @return whether a tract binary is available
     */
    static boolean available() {
        return new TractLocator().find(Optional.empty()).isPresent();
    }

    /**
     * @param torchScript the traced model
     * @param result its export
     * @param inputs the inputs, in order
     * @param work a scratch directory
     */
    static void checkIfAvailable(
            Path torchScript, ExportResult result, List<HostTensor> inputs, Path work)
            throws Exception {
        if (!available()) {
            return;
        }
        List<HostTensor> expected =
                TorchReference.run(new TorchReferenceRequest(torchScript, inputs, List.of()))
                        .outputs();
        TensorBundle io = new TensorBundle("io");
        for (int i = 0; i < inputs.size(); i++) {
            io.add(inputs.get(i).withName(result.inputs().get(i).name()));
        }
        List<String> names = result.outputs().stream().map(Translation.Port::name).toList();
        for (int i = 0; i < names.size(); i++) {
            io.add(expected.get(i).withName(names.get(i)));
        }
        Files.createDirectories(work);
        Path bundle = work.resolve("io.npz");
        Files.deleteIfExists(bundle);
        Npz.write(io, bundle);
        CheckReport r =
                TractCheck.run(
                        TractCheckRequest.of(
                                result.output(), bundle, names, work.resolve("tract")));
        assertEquals(
                ExitCode.EQUAL,
                r.verdict(),
                torchScript.getFileName() + ": " + r.toConsoleTable() + r.checkerOutput());
    }
}
