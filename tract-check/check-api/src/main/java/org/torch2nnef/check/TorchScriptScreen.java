package org.torch2nnef.check;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Our own reading of a TorchScript archive before libtorch is handed it: libtorch trusts its input
 * (a deeply nested pickle crashes it, a tiny pickle makes it allocate gigabytes), our reader has
 * limits and refuses with a message. The CLI's is the exporter's reader, which the check modules do
 * not depend on.
 */
@FunctionalInterface
public interface TorchScriptScreen {
    /**
     * Reads {@code torchScript} as the exporter would.
     *
     * @throws IOException naming the file, and the entry where there is one, when it is refused
     */
    void screen(Path torchScript) throws IOException;
}
