package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated exports in one JVM give the same {@code .nnef.tgz} bytes, whether or not the source
 * digest is still being computed when the archive is written (it is in a cold JVM, and mostly is
 * not once the JIT has warmed up).
 */
class ExportDeterminismTest {
    private static final int ROUNDS = 20;

    @TempDir Path tmp;

    private Path export(String model, String input, String name) throws Exception {
        Path out = tmp.resolve(name + ".nnef.tgz");
        new Exporter()
                .export(
                        OpModel.DIR.resolve(model + ".pt"),
                        ExportOptions.builder(out)
                                .inputs(List.of(InputDeclaration.parse(input)))
                                .property("team", "audio")
                                .build());
        return out;
    }

    @Test
    void repeatedAndInterleavedExportsAreByteIdentical() throws Exception {
        Path linear = export("linear_2d", "x=4,5", "linear-first");
        Path conv = export("conv2d_depthwise_nobias", "x=1,3,6,6", "conv-first");
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            Path l = export("linear_2d", "x=4,5", "linear-" + i);
            Path c = export("conv2d_depthwise_nobias", "x=1,3,6,6", "conv-" + i);
            if (Files.mismatch(linear, l) != -1) {
                differing.add(l.getFileName() + " at byte " + Files.mismatch(linear, l));
            }
            if (Files.mismatch(conv, c) != -1) {
                differing.add(c.getFileName() + " at byte " + Files.mismatch(conv, c));
            }
        }
        assertEquals(List.of(), differing, "exports differing from the first of their model");
    }
}
