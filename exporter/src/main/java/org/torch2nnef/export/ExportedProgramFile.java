package org.torch2nnef.export;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.pt2.ExportedProgram;
import org.torch2nnef.pt2.ProgramArchive;
import org.torch2nnef.torchscript.TorchScriptFormatException;

/**
 * The torch.export front door of {@link TypedModel}: a {@code .pt2} declares its own inputs, so the
 * program is typed from them at once; {@code --dynamic-axes} only names its dynamic dims, whose
 * ranges prove sizes equal and are recorded in the model's properties.
 */
final class ExportedProgramFile {
    private ExportedProgramFile() {}

    static boolean is(Path model) {
        return ProgramArchive.isProgramFile(model);
    }

    static TypedModel open(
            Path model, ModelInputs declared, OpRegistry registry, Predicate<String> hasTranslation)
            throws ExportException, IOException {
        if (!declared.isEmpty()) {
            throw new ExportInputException(
                    model
                            + ": a torch.export program declares its inputs (shapes, dtypes, dynamic"
                            + " dims); drop --input/--inputs-npz, and name its dynamic dims with"
                            + " --dynamic-axes");
        }
        ExportedProgram program;
        try {
            program = ExportedProgram.open(model, registry.schemas(), declared.dynamicAxes());
        } catch (TorchScriptFormatException | NoSuchFileException e) {
            throw TypedModel.unreadable(model, e);
        } catch (IllegalArgumentException e) {
            throw new ExportInputException(model + ": " + e.getMessage(), e);
        }
        try {
            Map<String, String> found =
                    program.ranges().isEmpty()
                            ? Map.of()
                            : Map.of(
                                    ModelPropertyKeys.SYMBOL_RANGES,
                                    program.ranges().stream()
                                            .map(r -> r.describe())
                                            .collect(Collectors.joining("; ")));
            return TypedModel.typed(
                    model,
                    program,
                    program.graph(),
                    program.inputs(),
                    program.dynamicAxes(),
                    program.rangeBounds(),
                    found,
                    registry,
                    hasTranslation);
        } catch (Throwable t) {
            try {
                program.close();
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
    }
}
