package org.torch2nnef.torchscript.code;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A statement in a function body: traced code has only assignments, returns, calls and {@code
 * pass}.
 */
public sealed interface Stmt extends Node {

    /**
     * {@code x = value}, {@code x : T = value}, or an unpacking assignment such as {@code a, b, =
     * value} or {@code (a, b) = value}.
     *
     * @param targets the names assigned, in order
     * @param unpack true when the value is a tuple/list unpacked into the targets (even a single
     *     one, as in {@code a, = value}); false for a plain {@code x = value}
     * @param annotation the declared type of {@code x : T = value}
     * @param value the assigned expression
     * @param pos where the first target starts
     */
    record Assign(
            List<Expr.Name> targets,
            boolean unpack,
            Optional<TypeExpr> annotation,
            Expr value,
            SourcePos pos)
            implements Stmt {
        public Assign {
            targets = List.copyOf(targets);
            if (targets.isEmpty() || (!unpack && targets.size() != 1)) {
                throw new IllegalArgumentException(
                        "a plain assignment has exactly one target: " + targets);
            }
            Objects.requireNonNull(annotation, "annotation");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }

        /** The only target of a plain assignment. */
        public Expr.Name target() {
            if (unpack) {
                throw new IllegalStateException(
                        pos + ": unpacking assignment has " + targets.size() + " targets");
            }
            return targets.get(0);
        }
    }

    /** {@code return value} ({@code return a, b} returns a {@link Expr.TupleExpr}). */
    record Return(Optional<Expr> value, SourcePos pos) implements Stmt {
        public Return {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** An expression evaluated for its effect, e.g. a call whose result is unused. */
    record ExprStmt(Expr expr, SourcePos pos) implements Stmt {
        public ExprStmt {
            Objects.requireNonNull(expr, "expr");
            Objects.requireNonNull(pos, "pos");
        }
    }

    /** {@code pass}. */
    record Pass(SourcePos pos) implements Stmt {
        public Pass {
            Objects.requireNonNull(pos, "pos");
        }
    }
}
