package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * The exported fixtures loaded by a real tract with their symbols kept, checked against torch's
 * outputs at both sizes ({@code TRACT_BIN}, then PATH); skipped, saying so, without tract.
 */
class ExportedProgramTractTest {

    static List<String> programs() {
        return ExportedProgramNumericTest.programs();
    }

    @ParameterizedTest
    @MethodSource("programs")
    void tractRunsEqualToTorchAtBothSizes(String program, @TempDir Path tmp) throws Exception {
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
        for (String size : List.of("", "@2")) {
            if (io.find("input_0" + size).isEmpty()) {
                continue;
            }
            TensorBundle bundle = new TensorBundle(program + size);
            for (int i = 0; i < r.inputs().size(); i++) {
                bundle.add(io.get("input_" + i + size).withName(r.inputs().get(i).name()));
            }
            List<String> outputs = r.outputs().stream().map(Translation.Port::name).toList();
            for (int i = 0; i < outputs.size(); i++) {
                bundle.add(io.get("output_" + i + size).withName(outputs.get(i)));
            }
            Path npz = tmp.resolve("io" + size + ".npz");
            Npz.write(bundle, npz);
            CheckReport report =
                    new TractCheck()
                            .check(
                                    TractCheckRequest.of(
                                                    r.output(),
                                                    npz,
                                                    List.of(),
                                                    tmp.resolve("t" + size))
                                            .withTract(tract.get().path()));
            assertEquals(
                    ExitCode.EQUAL,
                    report.verdict(),
                    program + size + ": " + report.toConsoleTable() + report.checkerOutput());
        }
    }
}
