package org.torch2nnef.torchscript.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ScriptCodeIndexTest {

    private static final Pattern CLASS_LINE = Pattern.compile("(?m)^class (\\w+)");

    @Test
    void qualifiedNamesMapToCodeFiles() {
        QualifiedName mangled =
                QualifiedName.parse("__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d");
        assertEquals("__torch__.torch.nn.modules.conv.___torch_mangle_3", mangled.qualifier());
        assertEquals("Conv1d", mangled.name());
        assertEquals(
                "code/__torch__/torch/nn/modules/conv/___torch_mangle_3.py", mangled.codePath());
        assertTrue(mangled.isMangled());
        assertEquals(
                QualifiedName.parse("__torch__.torch.nn.modules.conv.Conv1d"), mangled.demangled());
        assertEquals(
                "__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d", mangled.toString());

        QualifiedName root = QualifiedName.parse("__torch__.ConvNet");
        assertEquals("code/__torch__.py", root.codePath());
        assertFalse(root.isMangled());
        assertEquals(root, root.demangled());
        assertEquals(
                "code/__torch__/___torch_mangle_11.py",
                QualifiedName.parse("__torch__.___torch_mangle_11.Block").codePath());
        assertEquals(
                List.of("__torch__", "torch", "nn", "functional", "dropout"),
                QualifiedName.parse("__torch__.torch.nn.functional.dropout").atoms());

        assertEquals(
                "'Conv1d' is not a qualified name (it has no '.')",
                assertThrows(IllegalArgumentException.class, () -> QualifiedName.parse("Conv1d"))
                        .getMessage());
        assertEquals(
                "'__torch__..M' is not a qualified name (empty component)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> QualifiedName.parse("__torch__..M"))
                        .getMessage());
    }

    /**
     * From each traced model's root class, every class-typed attribute resolves through the index,
     * and together they reach exactly the classes the archive's code files define (found here by a
     * plain regex over the files, not by the parser).
     */
    @Test
    void everySubmoduleTypeResolvesFromTheRootClass() throws IOException {
        record Model(String folder, String rootClass, int classCount) {}
        for (Model model :
                List.of(
                        new Model("convnet", "__torch__.ConvNet", 8),
                        new Model("mangled", "__torch__.Mangled", 12),
                        new Model("recurrent", "__torch__.Recurrent", 3),
                        new Model("resnet18", "__torch__.torchvision.models.resnet.ResNet", 68),
                        new Model("scripted_parts", "__torch__.WithScriptedParts", 4),
                        new Model("shape_ops", "__torch__.ShapeOps", 1))) {
            Set<String> defined = definedClasses(model.folder());
            assertEquals(model.classCount(), defined.size(), model.folder());

            List<String> requested = new ArrayList<>();
            ScriptCodeIndex index = CodeResources.index(model.folder(), requested);
            Set<String> reached = new HashSet<>();
            Deque<QualifiedName> pending =
                    new ArrayDeque<>(List.of(QualifiedName.parse(model.rootClass())));
            while (!pending.isEmpty()) {
                QualifiedName name = pending.pop();
                if (!reached.add(name.toString())) {
                    continue;
                }
                ClassDef cls = index.findClass(name);
                assertEquals(name.name(), cls.name());
                FunctionDef forward = cls.method("forward").orElseThrow();
                // the self parameter is typed with the class's own qualified name
                assertEquals(
                        name.toString(), forward.params().get(0).type().orElseThrow().annotation());
                for (ClassDef.Attribute attribute : cls.attributes()) {
                    if (attribute.type() instanceof TypeExpr.ClassType type) {
                        pending.push(type.name());
                    }
                }
            }
            assertEquals(defined, reached, model.folder());
            // each file is read once, and scripted helper code nobody asked for is never read
            assertEquals(requested.size(), Set.copyOf(requested).size(), model.folder());
            assertFalse(
                    requested.contains("code/__torch__/torch/nn/functional.py"), model.folder());
        }
    }

    /** Qualified names of the classes {@code model}'s files define, by regex over the text. */
    private static Set<String> definedClasses(String model) throws IOException {
        Set<String> names = new HashSet<>();
        for (String codePath : CodeResources.codePaths(model)) {
            String qualifier =
                    codePath.substring("code/".length(), codePath.length() - ".py".length())
                            .replace('/', '.');
            Matcher m = CLASS_LINE.matcher(CodeResources.text(model, codePath));
            while (m.find()) {
                names.add(qualifier + "." + m.group(1));
            }
        }
        return names;
    }

    @Test
    void functionsAreFoundAndScriptedOnesRefusedOnlyWhenAskedFor() {
        ScriptCodeIndex index = CodeResources.index("scripted_parts", new ArrayList<>());
        FunctionDef helper = index.findFunction(QualifiedName.parse("__torch__.scripted_helper"));
        assertEquals(
                List.of("x", "k"), helper.params().stream().map(FunctionDef.Param::name).toList());
        TorchScriptSyntaxException e =
                assertThrows(
                        TorchScriptSyntaxException.class,
                        () ->
                                index.findFunction(
                                        QualifiedName.parse(
                                                "__torch__.torch.nn.functional.dropout")));
        assertTrue(e.scripted());
        assertEquals("code/__torch__/torch/nn/functional.py", e.pos().file());
        assertEquals(6, e.pos().line());
    }

    @Test
    void missingFilesAndNamesAreExplained() {
        ScriptCodeIndex index = CodeResources.index("convnet", new ArrayList<>());
        assertEquals(
                "class __torch__.torch.nn.modules.conv.___torch_mangle_7.Conv2d not found: the archive has no"
                        + " code file code/__torch__/torch/nn/modules/conv/___torch_mangle_7.py",
                assertThrows(
                                NoSuchElementException.class,
                                () ->
                                        index.findClass(
                                                QualifiedName.parse(
                                                        "__torch__.torch.nn.modules.conv.___torch_mangle_7.Conv2d")))
                        .getMessage());
        assertEquals(
                "class __torch__.torch.nn.modules.conv.Conv1d not found: code/__torch__/torch/nn/modules/conv.py"
                        + " defines classes [Conv2d]",
                assertThrows(
                                NoSuchElementException.class,
                                () ->
                                        index.findClass(
                                                QualifiedName.parse(
                                                        "__torch__.torch.nn.modules.conv.Conv1d")))
                        .getMessage());
        assertEquals(
                "function __torch__.helper not found: code/__torch__.py defines functions []",
                assertThrows(
                                NoSuchElementException.class,
                                () -> index.findFunction(QualifiedName.parse("__torch__.helper")))
                        .getMessage());
        assertEquals(
                Optional.empty(), index.tryFindClass(QualifiedName.parse("__torch__.Missing")));
        assertEquals(Optional.empty(), index.file("code/nothing.py"));
        assertTrue(index.tryFindClass(QualifiedName.parse("__torch__.ConvNet")).isPresent());
    }

    @Test
    void readFailuresNameTheFile() {
        ScriptCodeIndex index =
                new ScriptCodeIndex(
                        path -> {
                            throw new IOException("truncated zip entry");
                        });
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> index.file("code/__torch__.py"));
        assertEquals(
                "cannot read code/__torch__.py from the TorchScript archive: truncated zip entry",
                e.getMessage());
        assertEquals("truncated zip entry", e.getCause().getMessage());
    }
}
