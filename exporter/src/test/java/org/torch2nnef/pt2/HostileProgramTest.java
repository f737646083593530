package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.export.DynamicAxes;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.export.ExportOptions;
import org.torch2nnef.export.Exporter;
import org.torch2nnef.export.OpRegistry;

/**
 * Damaged or lying programs are input errors naming the file, entry and what is wrong, never a
 * crash; {@code --dynamic-axes} renames the program's symbols or is refused saying why.
 */
class HostileProgramTest {
    private static final String NAME = "conv_relu_linear";

    /** A copy of the fixture with one entry's text rewritten. */
    private static Path edited(Path dir, String entrySuffix, UnaryOperator<String> edit)
            throws IOException {
        Path out = dir.resolve("edited.pt2");
        try (ZipFile in = new ZipFile(ProgramFixtures.program(NAME).toFile());
                OutputStream file = Files.newOutputStream(out);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().endsWith(entrySuffix)) {
                    bytes =
                            edit.apply(new String(bytes, StandardCharsets.UTF_8))
                                    .getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out;
    }

    private static String exportFailure(Path model, Path dir) {
        Path out = dir.resolve("out.nnef.tgz");
        ExportInputException e =
                assertThrows(
                        ExportInputException.class,
                        () -> new Exporter().export(model, ExportOptions.builder(out).build()));
        assertTrue(Files.notExists(out));
        return e.getMessage();
    }

    @Test
    void truncatedProgramJsonIsNamed(@TempDir Path dir) throws IOException {
        String m =
                exportFailure(
                        edited(dir, "models/model.json", s -> s.substring(0, s.length() / 2)), dir);
        assertTrue(m.contains("edited.pt2!" + NAME + "/models/model.json: not readable JSON"), m);
    }

    @Test
    void aWeightViewBeyondItsEntryIsRefused(@TempDir Path dir) throws IOException {
        // 0.weight's 144 bytes claimed as a [400, 3, 3] tensor
        String m =
                exportFailure(
                        edited(
                                dir,
                                "model_weights_config.json",
                                s -> s.replaceFirst("\\{\"as_int\": 4\\}", "{\"as_int\": 400}")),
                        dir);
        assertTrue(m.contains("exceeds storage " + NAME + "/data/weights/weight_0"), m);
    }

    @Test
    void anUndefinedValueIsNamed(@TempDir Path dir) throws IOException {
        String m =
                exportFailure(
                        edited(
                                dir,
                                "models/model.json",
                                s ->
                                        s.replace(
                                                "{\"name\": \"conv1d\"}}, \"kind\"",
                                                "{\"name\": \"nowhere\"}}, \"kind\"")),
                        dir);
        assertTrue(
                m.contains("node 'relu' argument 'self': 'nowhere' is used before it is defined"),
                m);
    }

    @Test
    void dynamicAxesRenameTheProgramsSymbols() throws IOException {
        try (ExportedProgram p =
                ExportedProgram.open(
                        ProgramFixtures.program("resblock_bn"),
                        OpRegistry.standard().schemas(),
                        List.of(DynamicAxes.parse("x:2=H,3=H")))) {
            assertEquals(List.of(DynamicAxes.parse("x:2=H,3=H")), p.dynamicAxes());
            assertEquals("H: 4..256 (torch s0)", p.ranges().get(0).describe());
        }
        assertTrue(
                renameFailure("x:2=H,3=W").contains("torch proved those sizes equal"),
                renameFailure("x:2=H,3=W"));
        assertTrue(
                renameFailure("x:1=C").contains("static in the program (size 8)"),
                renameFailure("x:1=C"));
    }

    private static String renameFailure(String axes) {
        return assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                ExportedProgram.open(
                                        ProgramFixtures.program("resblock_bn"),
                                        OpRegistry.standard().schemas(),
                                        List.of(DynamicAxes.parse(axes))))
                .getMessage();
    }
}
