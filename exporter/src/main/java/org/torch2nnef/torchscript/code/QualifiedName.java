package org.torch2nnef.torchscript.code;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A TorchScript qualified name such as {@code
 * __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d}: a qualifier (everything before the
 * last dot) and a simple name.
 *
 * <p>TorchScript writes all classes and functions that share a qualifier to one code file, named by
 * the qualifier with dots turned into slashes (torch 1.x and 2.x alike: {@code
 * qualifierToArchivePath}). When two classes would get the same name, torch mangles the later one
 * by inserting an atom {@code ___torch_mangle_N} before the simple name, so the mangled class above
 * lives in {@code code/__torch__/torch/nn/modules/conv/___torch_mangle_3.py} as {@code class
 * Conv1d}.
 *
 * @param qualifier the dotted prefix, e.g. {@code
 *     __torch__.torch.nn.modules.conv.___torch_mangle_3}
 * @param name the simple name, e.g. {@code Conv1d}
 */
public record QualifiedName(String qualifier, String name) {

    private static final Pattern MANGLE_ATOM = Pattern.compile("___torch_mangle_\\d+");
    private static final Pattern ATOM = Pattern.compile("[^.]+");

    public QualifiedName {
        Objects.requireNonNull(qualifier, "qualifier");
        Objects.requireNonNull(name, "name");
        for (String atom : qualifier.split("\\.", -1)) {
            requireAtom(atom, qualifier + "." + name);
        }
        requireAtom(name, qualifier + "." + name);
    }

    /**
     * Splits a dotted name at its last dot.
     *
     * @throws IllegalArgumentException if it has no dot or an empty component
     */
    public static QualifiedName parse(String dotted) {
        int dot = dotted.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException(
                    "'" + dotted + "' is not a qualified name (it has no '.')");
        }
        return new QualifiedName(dotted.substring(0, dot), dotted.substring(dot + 1));
    }

    /** The code file, relative to the archive's root folder, that defines this name. */
    public String codePath() {
        return "code/" + qualifier.replace('.', '/') + ".py";
    }

    /** The components, qualifier atoms then the name. */
    public List<String> atoms() {
        List<String> atoms = new ArrayList<>(Arrays.asList(qualifier.split("\\.")));
        atoms.add(name);
        return atoms;
    }

    /** True when an atom is a {@code ___torch_mangle_N} mangling. */
    public boolean isMangled() {
        return atoms().stream().anyMatch(atom -> MANGLE_ATOM.matcher(atom).matches());
    }

    /**
     * This name without its {@code ___torch_mangle_N} atoms, i.e. the Python class it came from:
     * {@code __torch__.torch.nn.modules.conv.___torch_mangle_3.Conv1d} becomes {@code
     * __torch__.torch.nn.modules.conv.Conv1d}.
     */
    public QualifiedName demangled() {
        List<String> kept =
                atoms().stream().filter(atom -> !MANGLE_ATOM.matcher(atom).matches()).toList();
        if (kept.size() < 2) {
            throw new IllegalStateException("'" + this + "' has nothing left once demangled");
        }
        return new QualifiedName(
                String.join(".", kept.subList(0, kept.size() - 1)), kept.get(kept.size() - 1));
    }

    @Override
    public String toString() {
        return qualifier + "." + name;
    }

    private static void requireAtom(String atom, String whole) {
        if (!ATOM.matcher(atom).matches()) {
            throw new IllegalArgumentException(
                    "'" + whole + "' is not a qualified name (empty component)");
        }
    }
}
