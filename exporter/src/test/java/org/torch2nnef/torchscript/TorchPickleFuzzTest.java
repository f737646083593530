package org.torch2nnef.torchscript;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.torch2nnef.torchscript.pickle.PickleException;
import org.torch2nnef.torchscript.pickle.RestrictedUnpickler;

/**
 * Coverage-guided fuzzing of the restricted unpickler with the handler that reads {@code data.pkl}:
 * any bytes decode or are refused with a {@link PickleException}; any other throwable is a finding.
 * Persistent ids resolve against a real tiny archive, so tensor rebuilding is reached too. Seeds:
 * {@code TorchPickleFuzzTestInputs/unpickle}.
 */
class TorchPickleFuzzTest {
    private static ZipEntries zip;

    @BeforeAll
    static void openStorageArchive() throws Exception {
        zip =
                ZipEntries.open(
                        resource("TorchScriptArchiveFuzzTestInputs/openArchive/tiny_conv.pt"));
    }

    @AfterAll
    static void closeStorageArchive() throws Exception {
        zip.close();
    }

    @FuzzTest(maxDuration = "30s")
    void unpickle(byte[] bytes) {
        try {
            RestrictedUnpickler.load(
                    bytes, "data.pkl", TorchPickleHandler.forTensors(zip, "tiny_conv/data", false));
        } catch (PickleException refused) {
            // documented refusal
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchPickleFuzzTest.class.getResource(name).toURI());
    }
}
