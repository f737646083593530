package org.torch2nnef.nnef.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Coverage-guided fuzzing of the {@code .dat} tensor reader: any bytes read as a tensor or are
 * refused with an {@link IOException} (an {@link NnefFormatException} naming the file); any other
 * throwable is a finding. Seeds: {@code DatReaderFuzzTestInputs/read}.
 */
class DatReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void read(byte[] bytes) {
        try {
            DatReader.read(new ByteArrayInputStream(bytes), "fuzz.dat").payloadBytes();
        } catch (IOException refused) {
            // documented refusal
        }
    }
}
