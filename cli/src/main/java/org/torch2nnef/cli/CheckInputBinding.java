package org.torch2nnef.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.check.NnefSignature;
import org.torch2nnef.check.torch.InputSpec;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.InputBinding;
import org.torch2nnef.export.ModelInputs;
import org.torch2nnef.export.TypedModel;
import org.torch2nnef.graph.Value;

/**
 * {@code check --input} by {@link InputBinding}'s rule: a line names an input of the exported
 * model, or the {@code forward} argument at its position, as {@code export} and {@code inspect}
 * accept.
 */
final class CheckInputBinding {
    private CheckInputBinding() {}

    /**
     * The declared inputs, each named by its NNEF input name.
     *
     * @throws ExportInputException when a name is neither an NNEF input nor a forward argument
     */
    static List<InputSpec> byNnefName(Path torchScript, Path nnefModel, List<InputSpec> declared)
            throws ExportInputException {
        if (declared.isEmpty()) {
            return declared;
        }
        List<String> nnefNames;
        try {
            nnefNames = NnefSignature.read(nnefModel).inputNames();
        } catch (IOException e) {
            return declared; // the check reports an unreadable model in its report
        }
        if (declared.stream().allMatch(s -> nnefNames.contains(s.name()))) {
            return declared; // no need to build the TorchScript graph
        }
        List<String> forwardNames;
        try (TypedModel model = TypedModel.open(torchScript, ModelInputs.NONE)) {
            forwardNames = model.graph().inputs().stream().map(Value::name).toList();
        } catch (ExportException | IOException e) {
            forwardNames = List.of(); // a model the exporter cannot read: NNEF names only
        }
        List<InputSpec> out = new ArrayList<>();
        for (InputSpec s : declared) {
            String name =
                    InputBinding.nnefName(
                            torchScript.toString(), s.name(), forwardNames, nnefNames);
            out.add(new InputSpec(name, s.dtype(), s.shape()));
        }
        return out;
    }
}
