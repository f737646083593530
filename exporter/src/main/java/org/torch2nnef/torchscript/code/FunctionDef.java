package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A method of a class ({@code forward}) or a top-level function of a code file.
 *
 * @param name the function's name
 * @param params its parameters, {@code self} included for methods
 * @param returnType the {@code -> T} annotation
 * @param body its statements (empty when {@code unreadable} is present)
 * @param pos where {@code def} starts
 * @param unreadable why the body was not read: a method other than {@code forward} that torch
 *     compiled for module set-up ({@code __setstate__}, {@code set_weight_bias} of torch.ao's
 *     quantized modules write attributes and branch), refused only if traced code calls it
 */
public record FunctionDef(
        String name,
        List<Param> params,
        Optional<TypeExpr> returnType,
        List<Stmt> body,
        SourcePos pos,
        Optional<TorchScriptSyntaxException> unreadable)
        implements Node {

    public FunctionDef {
        Objects.requireNonNull(name, "name");
        params = List.copyOf(params);
        Objects.requireNonNull(returnType, "returnType");
        body = List.copyOf(body);
        Objects.requireNonNull(pos, "pos");
        Objects.requireNonNull(unreadable, "unreadable");
    }

    /** A function whose body was read. */
    public FunctionDef(
            String name,
            List<Param> params,
            Optional<TypeExpr> returnType,
            List<Stmt> body,
            SourcePos pos) {
        this(name, params, returnType, body, pos, Optional.empty());
    }

    /**
     * One parameter.
     *
     * @param name its name
     * @param type its annotation ({@code x: Tensor})
     * @param defaultValue its default ({@code k: int=2})
     * @param pos where its name starts
     */
    public record Param(
            String name, Optional<TypeExpr> type, Optional<Expr> defaultValue, SourcePos pos)
            implements Node {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(pos, "pos");
        }
    }
}
