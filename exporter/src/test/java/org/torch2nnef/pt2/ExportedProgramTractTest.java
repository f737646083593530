package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.torch2nnef.check.TractLoading;
import org.torch2nnef.check.report.CheckReport;
import org.torch2nnef.check.report.ExitCode;
import org.torch2nnef.check.tract.TractBinary;
import org.torch2nnef.check.tract.TractCheck;
import org.torch2nnef.check.tract.TractCheckRequest;
import org.torch2nnef.check.tract.TractLocator;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.ExportResult;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.Translation;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The exported fixtures loaded by a real tract the three ways applications load them: with their
 * symbols kept, with concrete input facts ({@code --input-facts-from-bundle}) and with their
 * symbols set ({@code --set S=N}); each checked against torch's outputs at both sizes ({@code
 * TRACT_BIN}, then PATH); skipped, saying so, without tract.
 */
class ExportedProgramTractTest {

    private static final List<TractLoading> WAYS =
            List.of(
                    TractLoading.SYMBOLS,
                    new TractLoading.ConcreteFacts(),
                    new TractLoading.SetSymbols());

    static List<String> programs() {
        return ExportedProgramNumericTest.programs();
    }

    @ParameterizedTest
    @MethodSource("programs")
    void tractRunsEqualToTorchAtBothSizesLoadedThreeWays(String program, @TempDir Path tmp)
            throws Exception {
        Optional<TractBinary> tract = new TractLocator().find(Optional.empty());
        assumeTrue(
                tract.isPresent(),
                "no tract (TRACT_BIN, PATH): tract check of " + program + " skipped");
        ExportResult r =
                new Exporter()
                        .export(
                                ProgramFixtures.program(program),
                                ExportOptions.builder(tmp.resolve(program + ".nnef.tgz")).build());
        TensorBundle io = Npz.read(ProgramFixtures.npz(program));
        List<String> failures = new ArrayList<>();
        for (String size : List.of("", "@2")) {
            if (io.find("input_0" + size).isEmpty()) {
                continue;
            }
            TensorBundle bundle = new TensorBundle(program + size);
            Map<String, Long> symbols = new TreeMap<>();
            for (int i = 0; i < r.inputs().size(); i++) {
                Translation.Port in = r.inputs().get(i);
                long[] shape = io.get("input_" + i + size).shape();
                bundle.add(io.get("input_" + i + size).withName(in.name()));
                for (int axis = 0; axis < in.shape().rank(); axis++) {
                    Dim d = in.shape().dim(axis);
                    for (String s : d.symbols()) {
                        if (d.equals(Dim.symbol(s))) {
                            symbols.putIfAbsent(s, shape[axis]);
                        }
                    }
                }
            }
            List<String> outputs = r.outputs().stream().map(Translation.Port::name).toList();
            for (int i = 0; i < outputs.size(); i++) {
                bundle.add(io.get("output_" + i + size).withName(outputs.get(i)));
            }
            Path npz = tmp.resolve("io" + size + ".npz");
            Npz.write(bundle, npz);
            for (TractLoading way : WAYS) {
                String label = way.getClass().getSimpleName();
                CheckReport report =
                        new TractCheck()
                                .check(
                                        TractCheckRequest.of(
                                                        r.output(),
                                                        npz,
                                                        List.of(),
                                                        tmp.resolve("t" + size + label))
                                                .withTract(tract.get().path())
                                                .withLoading(way, symbols));
                boolean equal = report.verdict() == ExitCode.EQUAL;
                System.out.println(
                        "pt2 "
                                + program
                                + " tract "
                                + tract.get().version()
                                + " "
                                + label
                                + (size.isEmpty() ? " at example sizes" : " at second sizes")
                                + " "
                                + symbols
                                + ": "
                                + (equal ? "equal" : report.verdict()));
                if (!equal) {
                    failures.add(
                            label + size + ": " + report.toConsoleTable() + report.checkerOutput());
                }
            }
        }
        assertEquals(List.of(), failures, program + " in tract " + tract.get().version());
    }
}
