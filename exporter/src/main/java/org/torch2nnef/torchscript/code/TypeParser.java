package org.torch2nnef.torchscript.code;

import java.util.ArrayList;
import java.util.List;

/** Parses type annotations into {@link TypeExpr}. */
final class TypeParser {

    private final TokenCursor cursor;

    TypeParser(TokenCursor cursor) {
        this.cursor = cursor;
    }

    /** True when the next tokens are {@code Final[}, the wrapper of class constants. */
    boolean atFinal() {
        Token token = cursor.peek();
        return token.kind() == TokenKind.NAME
                && token.text().equals("Final")
                && cursor.peek(1).isOp("[");
    }

    /** Parses {@code Final[T]} and returns {@code T}. */
    TypeExpr parseFinal() {
        cursor.next();
        cursor.expectOp("[");
        TypeExpr type = parse();
        cursor.expectOp("]");
        return type;
    }

    TypeExpr parse() {
        Token first = cursor.peek();
        if (first.isKeyword("None")) {
            cursor.next();
            return new TypeExpr.Builtin(TypeExpr.Kind.NONE, first.pos());
        }
        if (first.kind() != TokenKind.NAME) {
            throw cursor.unexpected("a type");
        }
        StringBuilder dotted = new StringBuilder(cursor.next().text());
        while (cursor.acceptOp(".")) {
            dotted.append('.').append(cursor.expect(TokenKind.NAME, "a name after '.'").text());
        }
        String name = dotted.toString();
        if (cursor.atOp("[")) {
            return generic(name, first);
        }
        if (name.indexOf('.') >= 0) {
            return new TypeExpr.ClassType(QualifiedName.parse(name), first.pos());
        }
        TypeExpr.Kind kind = TypeExpr.Kind.bySpelling(name);
        if (kind == null) {
            throw TorchScriptSyntaxException.at(first.pos(), "unknown type '" + name + "'");
        }
        return new TypeExpr.Builtin(kind, first.pos());
    }

    private TypeExpr generic(String name, Token first) {
        cursor.expectOp("[");
        cursor.enter();
        try {
            return genericArguments(name, first);
        } finally {
            cursor.exit(1);
        }
    }

    private TypeExpr genericArguments(String name, Token first) {
        TypeExpr type =
                switch (name) {
                    case "Optional" -> new TypeExpr.OptionalType(parse(), first.pos());
                    case "List" -> new TypeExpr.ListType(parse(), first.pos());
                    case "Tuple" -> new TypeExpr.TupleType(tupleElements(), first.pos());
                    case "Dict" -> {
                        TypeExpr key = parse();
                        cursor.expectOp(",");
                        yield new TypeExpr.DictType(key, parse(), first.pos());
                    }
                    case "Union" -> new TypeExpr.UnionType(typeList(), first.pos());
                    case "Final" ->
                            throw TorchScriptSyntaxException.at(
                                    first.pos(), "Final[...] is only allowed on class constants");
                    default ->
                            throw TorchScriptSyntaxException.at(
                                    first.pos(), "unknown generic type '" + name + "[...]'");
                };
        cursor.expectOp("]");
        return type;
    }

    private List<TypeExpr> tupleElements() {
        if (cursor.atOp("(") && cursor.peek(1).isOp(")")) {
            cursor.next();
            cursor.next();
            return List.of();
        }
        return typeList();
    }

    /** One or more types separated by commas, a trailing comma allowed. */
    private List<TypeExpr> typeList() {
        List<TypeExpr> types = new ArrayList<>();
        types.add(parse());
        while (cursor.acceptOp(",") && !cursor.atOp("]")) {
            types.add(parse());
        }
        return types;
    }
}
