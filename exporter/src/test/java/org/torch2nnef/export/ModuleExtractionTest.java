package org.torch2nnef.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.t2n.TestExtractors;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.export.spi.BuiltInLikeExtractor;
import org.torch2nnef.export.spi.ModuleExtractors;
import org.torch2nnef.nnef.io.NnefArchiveReader;
import org.torch2nnef.nnef.io.NnefPrinter;

/**
 * Module extractors in the exporter: discovery precedence (class path over built-in, conflicts),
 * whole-call replacement with values traced inside the call translated on demand, and refusals
 * reported with the module.
 */
class ModuleExtractionTest {
    @TempDir Path tmp;

    /** A class loader whose only services file lists {@code providers}. */
    private ClassLoader listing(Class<?>... providers) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "services");
        Path services =
                dir.resolve("META-INF/services/org.torch2nnef.export.spi.ModuleInfoExtractor");
        Files.createDirectories(services.getParent());
        StringBuilder text = new StringBuilder();
        for (Class<?> p : providers) {
            text.append(p.getName()).append('\n');
        }
        Files.writeString(services, text);
        return new URLClassLoader(
                new URL[] {dir.toUri().toURL()}, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve)
                    throws ClassNotFoundException {
                return ModuleExtractionTest.class.getClassLoader().loadClass(name);
            }
        };
    }

    private String export(ModuleExtractors extractors) throws Exception {
        Path out = tmp.resolve("linear_" + System.nanoTime() + ".nnef");
        new Exporter(OpRegistry.standard(), extractors)
                .export(
                        OpModel.DIR.resolve("linear_2d.pt"),
                        ExportOptions.builder(out)
                                .inputs(List.of(InputDeclaration.parse("x=4,5")))
                                .build());
        return NnefPrinter.print(NnefArchiveReader.read(out));
    }

    @Test
    void aUserExtractorOverridesABuiltInOneAndReadsValuesTracedInsideTheCall() throws Exception {
        ModuleExtractors found =
                ModuleExtractors.discover(
                        listing(BuiltInLikeExtractor.class, TestExtractors.NegatedLinear.class));
        ModuleExtractors.Entry e = found.find("torch.nn.modules.linear.Linear").orElseThrow();
        assertEquals(ModuleExtractors.Origin.CLASS_PATH, e.origin());
        assertTrue(e.extractor() instanceof TestExtractors.NegatedLinear);
        String text = export(found);
        // the aten::linear inside the call is translated on demand, then the extractor's neg
        assertTrue(text.contains("linear(x, "), text);
        assertTrue(text.contains(" = neg("), text);
        assertFalse(text.contains("relu("), text);
    }

    @Test
    void aBuiltInAloneIsUsed() throws Exception {
        ModuleExtractors found = ModuleExtractors.discover(listing(BuiltInLikeExtractor.class));
        assertEquals(ModuleExtractors.Origin.BUILT_IN, found.entries().get(0).origin());
        String text = export(found);
        assertTrue(text.contains(" = relu(x)"), text);
        assertFalse(text.contains("linear("), text);
    }

    @Test
    void twoUserExtractorsOfOneClassConflict() throws Exception {
        ClassLoader loader =
                listing(TestExtractors.NegatedLinear.class, TestExtractors.AnotherLinear.class);
        ExportInputException e =
                assertThrows(ExportInputException.class, () -> ModuleExtractors.discover(loader));
        assertTrue(
                e.getMessage().contains("two extractors handle torch.nn.modules.linear.Linear"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("NegatedLinear")
                        && e.getMessage().contains("AnotherLinear"),
                e.getMessage());
    }

    @Test
    void aRefusalIsReportedWithTheModuleAndNothingIsWritten() throws Exception {
        ModuleExtractors found = ModuleExtractors.discover(listing(TestExtractors.Refusing.class));
        Path out = tmp.resolve("refused.nnef");
        UnsupportedOpsException e =
                assertThrows(
                        UnsupportedOpsException.class,
                        () ->
                                new Exporter(OpRegistry.standard(), found)
                                        .export(
                                                OpModel.DIR.resolve("linear_2d.pt"),
                                                ExportOptions.builder(out)
                                                        .inputs(
                                                                List.of(
                                                                        InputDeclaration.parse(
                                                                                "x=4,5")))
                                                        .build()));
        assertTrue(e.getMessage().contains("(torch.nn.modules.linear.Linear)"), e.getMessage());
        assertTrue(
                e.getMessage().contains("extractor Refusing: this module is refused by the test"),
                e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void noExtractorMeansOpByOp() throws Exception {
        String text = export(ModuleExtractors.none());
        assertTrue(text.contains("linear(x, "), text);
    }
}
