package org.torch2nnef.torchscript.samples;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Re-saves torch 1.13 sample archives with DJL's libtorch 2.x, producing torch 2.x-format archives.
 * Usage: {@code Torch2SampleWriter [--to OUT] <samples/models dir> <name>...}; writes {@code
 * OUT/<name>.pt}, by default {@code <dir>/torch2/<name>.pt}. libtorch compiles the archive's code
 * when it loads it, so an archive whose code calls ops torch 1.13 lacks (written by {@code
 * make_torch2_attention_models.py}) comes out as libtorch 2.x wrote it. See CONTRIBUTING.md,
 * "Regenerating samples".
 */
public final class Torch2SampleWriter {

    private Torch2SampleWriter() {}

    /**
     * Entry point.
     *
     * @param args optionally {@code --to OUT}, then the models directory, then the sample names to
     *     re-save
     * @throws IOException if an archive cannot be written
     */
    public static void main(String[] args) throws IOException {
        int first = args.length > 0 && args[0].equals("--to") ? 2 : 0;
        if (args.length < first + 2) {
            throw new IllegalArgumentException(
                    "usage: Torch2SampleWriter [--to OUT] <models dir> <name>...");
        }
        Path dir = Path.of(args[first]);
        Path outDir =
                Files.createDirectories(first == 2 ? Path.of(args[1]) : dir.resolve("torch2"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int i = first + 1; i < args.length; i++) {
                Path source = dir.resolve(args[i] + ".pt");
                PtSymbolBlock block =
                        JniUtils.loadModule(
                                (PtNDManager) manager,
                                source,
                                true,
                                new String[0],
                                new String[0],
                                false);
                Path target = outDir.resolve(args[i] + ".pt");
                try (OutputStream out = Files.newOutputStream(target)) {
                    JniUtils.writeModule(block, out, false);
                }
                block.close();
                System.err.println(target + ": " + Files.size(target) + " bytes");
            }
        }
    }
}
