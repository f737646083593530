package org.torch2nnef.pt2;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The torch.export fixtures of {@code samples/torch-export} (made by its {@code generate.py} with
 * torch 2.13): each model as {@code NAME.pt2} (pre-dispatch ATen) and {@code NAME.core.pt2} (core
 * ATen), with {@code NAME.npz} holding torch's inputs and outputs at the example sizes and at a
 * second size of every dynamic dim ({@code input_0@2}, {@code output_0@2}).
 */
final class ProgramFixtures {
    static final Path DIR = Path.of("..", "samples", "torch-export").toAbsolutePath().normalize();

    static final List<String> MODELS =
            List.of(
                    "conv_relu_linear",
                    "resblock_bn",
                    "bilstm_tagger",
                    "transformer_encoder",
                    "gated_ops");

    /**
     * The programs that do not export from this module alone, with the problem the export reports:
     * pre-dispatch keeps nn.LSTM as one {@code aten::lstm} node, which no op translator has; the
     * built-in LSTM extractor (module {@code extractors}, on the command line's class path) exports
     * it, as {@code ExportedProgramCliTest} checks.
     */
    static final java.util.Map<String, String> NOT_YET =
            java.util.Map.of(
                    "bilstm_tagger",
                    "aten::lstm in lstm (torch.nn.modules.rnn.LSTM) at generate.py:75:1: no NNEF"
                            + " translation for this op");

    private ProgramFixtures() {}

    /**
     * @return every program file, both forms of each model
     */
    static Stream<String> programs() {
        return MODELS.stream().flatMap(m -> Stream.of(m, m + ".core"));
    }

    static Path program(String program) {
        return DIR.resolve(program + ".pt2");
    }

    static Path npz(String program) {
        return DIR.resolve(program.replaceFirst("\\.core$", "") + ".npz");
    }
}
