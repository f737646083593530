package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A class of a code file: usually a module ({@code class Conv1d(Module):}).
 *
 * @param name the class's simple name as written ({@code Conv1d}); its qualified name is the file's
 *     qualifier plus this name, see {@link QualifiedName}
 * @param base the base class as written ({@code Module}, {@code NamedTuple}, ...), if any
 * @param parameters the names in {@code __parameters__}
 * @param buffers the names in {@code __buffers__}
 * @param forwardHooks the names in {@code __forward_hooks__}
 * @param forwardPreHooks the names in {@code __forward_pre_hooks__}
 * @param attributes the annotated attributes ({@code weight : Tensor}, {@code __annotations__["0"]
 *     = T}), in order
 * @param constants the class constants ({@code p : Final[float] = 0.5}, {@code RED = 1})
 * @param methods the methods, in order
 * @param pos where {@code class} starts
 */
public record ClassDef(
        String name,
        Optional<String> base,
        List<String> parameters,
        List<String> buffers,
        List<String> forwardHooks,
        List<String> forwardPreHooks,
        List<Attribute> attributes,
        List<Constant> constants,
        List<FunctionDef> methods,
        SourcePos pos)
        implements Node {

    public ClassDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(base, "base");
        parameters = List.copyOf(parameters);
        buffers = List.copyOf(buffers);
        forwardHooks = List.copyOf(forwardHooks);
        forwardPreHooks = List.copyOf(forwardPreHooks);
        attributes = List.copyOf(attributes);
        constants = List.copyOf(constants);
        methods = List.copyOf(methods);
        Objects.requireNonNull(pos, "pos");
    }

    /** The method called {@code name}. */
    public Optional<FunctionDef> method(String name) {
        return methods.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The attribute called {@code name}. */
    public Optional<Attribute> attribute(String name) {
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The constant called {@code name}. */
    public Optional<Constant> constant(String name) {
        return constants.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /**
     * A declared attribute: a parameter, buffer, submodule or plain field.
     *
     * @param name its name; submodules of containers have names like {@code "0"}
     * @param type its type
     * @param viaAnnotations true when declared as {@code __annotations__["name"] = T} because the
     *     name is not an identifier
     * @param pos where the declaration starts
     */
    public record Attribute(String name, TypeExpr type, boolean viaAnnotations, SourcePos pos)
            implements Node {
        public Attribute {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /**
     * A class-level constant.
     *
     * @param name its name
     * @param type the {@code T} of {@code name : Final[T] = value}; absent for {@code NAME = value}
     * @param value its value
     * @param pos where the declaration starts
     */
    public record Constant(String name, Optional<TypeExpr> type, Expr value, SourcePos pos)
            implements Node {
        public Constant {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }
    }
}
