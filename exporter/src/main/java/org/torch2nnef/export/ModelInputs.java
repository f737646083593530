package org.torch2nnef.export;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.torch2nnef.nnef.contract.NpyHeader;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.io.IoMessages;
import org.torch2nnef.torchscript.TorchDType;

/**
 * How the user declared a model's inputs: {@code --input} lines, or an {@code --inputs-npz} whose
 * arrays declare them, and {@code --dynamic-axes}.
 *
 * @param lines the {@code --input} declarations, in the order given
 * @param npz an {@code .npz} whose array names, shapes and dtypes declare the inputs, used when
 *     there are no lines
 * @param dynamicAxes the dynamic axes, each naming an input by {@code forward} argument or NNEF
 *     name
 */
public record ModelInputs(
        List<InputDeclaration> lines, Optional<Path> npz, List<DynamicAxes> dynamicAxes) {
    /** No declaration: the model is opened untyped. */
    public static final ModelInputs NONE = new ModelInputs(List.of(), Optional.empty(), List.of());

    public ModelInputs {
        lines = List.copyOf(lines);
        Objects.requireNonNull(npz, "npz");
        dynamicAxes = List.copyOf(dynamicAxes);
    }

    /**
     * @return whether neither lines nor an npz declare the inputs
     */
    public boolean isEmpty() {
        return lines.isEmpty() && npz.isEmpty();
    }

    /**
     * @return the declarations: the lines, else one per array of the npz, in its order
     * @throws ExportInputException if the npz cannot be read
     */
    public List<InputDeclaration> declarations() throws ExportInputException {
        if (!lines.isEmpty() || npz.isEmpty()) {
            return lines;
        }
        List<NpyHeader> entries;
        try {
            entries = Npz.headers(npz.get());
        } catch (IOException e) {
            throw new ExportInputException("--inputs-npz " + IoMessages.describe(npz.get(), e), e);
        }
        List<InputDeclaration> out = new ArrayList<>();
        for (NpyHeader e : entries) {
            TorchDType dtype =
                    TorchDType.of(e.dtype())
                            .orElseThrow(
                                    () ->
                                            new ExportInputException(
                                                    "--inputs-npz "
                                                            + npz.get()
                                                            + ": "
                                                            + e.name()
                                                            + " is of type "
                                                            + e.dtype().label()
                                                            + ", which torch has not"));
            out.add(new InputDeclaration(e.name(), e.shape(), dtype));
        }
        return out;
    }
}
