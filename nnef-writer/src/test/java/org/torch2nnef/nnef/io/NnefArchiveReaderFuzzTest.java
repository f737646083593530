package org.torch2nnef.nnef.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the {@code .tar}/{@code .tgz} model reader: any bytes read as a model
 * or are refused with an {@link IOException} (an {@link NnefFormatException} naming the entry); any
 * other throwable is a finding. Seeds: {@code NnefArchiveReaderFuzzTestInputs/read}.
 */
class NnefArchiveReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void read(byte[] bytes) {
        try {
            NnefArchiveReader.read(new ByteArrayInputStream(bytes), "fuzz.nnef.tgz");
        } catch (IOException refused) {
            // documented refusal
        }
    }
}
