package org.torch2nnef.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.torch2nnef.check.TorchScriptScreen;
import org.torch2nnef.export.ExportException;
import org.torch2nnef.export.ModelInputs;
import org.torch2nnef.export.TypedModel;

/**
 * The check's first reading of a TorchScript archive: the exporter's reader opens it and builds its
 * graph, with the reader's limits, before libtorch is handed it.
 */
final class ExporterTorchScriptScreen implements TorchScriptScreen {
    @Override
    public void screen(Path torchScript) throws IOException {
        try (TypedModel model = TypedModel.open(torchScript, ModelInputs.NONE)) {
            model.graph();
        } catch (ExportException e) {
            throw new IOException(named(torchScript, e.getMessage()), e);
        } catch (IOException e) {
            throw new IOException(named(torchScript, e.getMessage()), e);
        }
    }

    /** {@code message}, led by the file's name when it does not hold it already. */
    private static String named(Path torchScript, String message) {
        String m = message == null ? "not a readable TorchScript archive" : message;
        return m.contains(torchScript.toString()) ? m : torchScript + ": " + m;
    }
}
