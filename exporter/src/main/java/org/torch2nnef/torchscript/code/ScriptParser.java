package org.torch2nnef.torchscript.code;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parses one TorchScript code file (an archive's {@code code/**}{@code /*.py}) into a {@link
 * ScriptFile}.
 *
 * <p>It reads the Python subset that TorchScript's printer writes for traced models: classes with
 * annotated attributes, {@code __parameters__}/{@code __buffers__} lists and constants; functions
 * whose bodies are assignments, returns, expression statements and {@code pass}. Scripted control
 * flow ({@code if}, {@code for}, {@code while}, {@code with}, {@code raise}, ...) is refused with a
 * {@link TorchScriptSyntaxException} that tells the user to export with {@code torch.jit.trace}.
 */
public final class ScriptParser {

    private static final Set<String> NAME_LISTS =
            Set.of("__parameters__", "__buffers__", "__forward_hooks__", "__forward_pre_hooks__");

    private final String path;
    private final TokenCursor cursor;
    private final TypeParser types;
    private final ExpressionParser expressions;

    private ScriptParser(String path, List<Token> tokens) {
        this.path = path;
        this.cursor = new TokenCursor(tokens);
        this.types = new TypeParser(cursor);
        this.expressions = new ExpressionParser(cursor, types);
    }

    /**
     * Parses a code file's text.
     *
     * @param path the file's path inside the archive, used in positions and messages
     * @param source the file's text
     * @throws TorchScriptSyntaxException for anything outside the supported subset
     */
    public static ScriptFile parse(String path, String source) {
        return new ScriptParser(path, ScriptLexer.tokenize(path, source)).file();
    }

    /**
     * Parses a code file's UTF-8 bytes.
     *
     * @throws TorchScriptSyntaxException if the bytes are not UTF-8 or the text is not supported
     */
    public static ScriptFile parse(String path, byte[] utf8) {
        String source;
        try {
            source =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(utf8))
                            .toString();
        } catch (CharacterCodingException e) {
            throw TorchScriptSyntaxException.at(
                    new SourcePos(path, 1, 1, 0), "the file is not valid UTF-8 text");
        }
        return parse(path, source);
    }

    private ScriptFile file() {
        SourcePos start = new SourcePos(path, 1, 1, 0);
        List<ClassDef> classes = new ArrayList<>();
        List<FunctionDef> functions = new ArrayList<>();
        while (!cursor.at(TokenKind.EOF)) {
            Token token = cursor.peek();
            if (token.isKeyword("import") || token.isKeyword("from")) {
                skipLine();
            } else if (token.isKeyword("class")) {
                classes.add(classDef());
            } else if (token.isKeyword("def")) {
                functions.add(functionDef());
            } else if (token.kind() == TokenKind.NEWLINE) {
                cursor.next();
            } else {
                throw cursor.unexpected("'class', 'def' or 'import' at the top level");
            }
        }
        return new ScriptFile(path, classes, functions, start);
    }

    private void skipLine() {
        while (!cursor.at(TokenKind.NEWLINE) && !cursor.at(TokenKind.EOF)) {
            cursor.next();
        }
        cursor.next();
    }

    private ClassDef classDef() {
        Token keyword = cursor.expectKeyword("class");
        String name = cursor.expect(TokenKind.NAME, "a class name").text();
        Optional<String> base = Optional.empty();
        if (cursor.acceptOp("(")) {
            if (!cursor.atOp(")")) {
                base = Optional.of(dottedName());
            }
            cursor.expectOp(")");
        }
        cursor.expectOp(":");
        cursor.expectNewline();
        cursor.expect(TokenKind.INDENT, "an indented class body");
        ClassBody body = new ClassBody(name);
        while (!cursor.at(TokenKind.DEDENT)) {
            classMember(body);
        }
        cursor.next();
        return new ClassDef(
                name,
                base,
                body.lists.get(0),
                body.lists.get(1),
                body.lists.get(2),
                body.lists.get(3),
                body.attributes,
                body.constants,
                body.methods,
                keyword.pos());
    }

    /** What a class body declares, gathered member by member. */
    private static final class ClassBody {
        final String className;

        /**
         * Indexed like {@link #listIndex}: parameters, buffers, forward hooks, forward pre-hooks.
         */
        final List<List<String>> lists =
                List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

        final Set<String> listsSeen = new HashSet<>();
        final Set<String> memberNames = new HashSet<>();
        final List<ClassDef.Attribute> attributes = new ArrayList<>();
        final List<ClassDef.Constant> constants = new ArrayList<>();
        final List<FunctionDef> methods = new ArrayList<>();

        ClassBody(String className) {
            this.className = className;
        }

        static int listIndex(String listName) {
            return switch (listName) {
                case "__parameters__" -> 0;
                case "__buffers__" -> 1;
                case "__forward_hooks__" -> 2;
                default -> 3;
            };
        }

        void declare(String member, SourcePos pos) {
            if (!memberNames.add(member)) {
                throw TorchScriptSyntaxException.at(
                        pos, "class " + className + " declares '" + member + "' twice");
            }
        }
    }

    private void classMember(ClassBody body) {
        Token token = cursor.peek();
        if (token.isKeyword("def")) {
            FunctionDef method = methodDef();
            body.declare(method.name() + "()", method.pos());
            body.methods.add(method);
        } else if (token.isKeyword("pass")) {
            cursor.next();
            cursor.expectNewline();
        } else if (token.kind() == TokenKind.NAME && token.text().equals("__annotations__")) {
            annotationsEntry(body);
        } else if (token.kind() == TokenKind.NAME && cursor.peek(1).isOp(":")) {
            annotatedMember(body);
        } else if (token.kind() == TokenKind.NAME && cursor.peek(1).isOp("=")) {
            cursor.next();
            cursor.next();
            if (NAME_LISTS.contains(token.text())) {
                nameList(body, token);
            } else {
                body.declare(token.text(), token.pos());
                body.constants.add(
                        new ClassDef.Constant(
                                token.text(), Optional.empty(), expressions.parse(), token.pos()));
            }
            cursor.expectNewline();
        } else {
            throw cursor.unexpected("an attribute, constant or method of class " + body.className);
        }
    }

    /** {@code __annotations__ = []} (ignored) or {@code __annotations__["0"] = T}. */
    private void annotationsEntry(ClassBody body) {
        cursor.next();
        if (cursor.acceptOp("=")) {
            cursor.expectOp("[");
            cursor.expectOp("]");
            cursor.expectNewline();
            return;
        }
        cursor.expectOp("[");
        Token key = cursor.expect(TokenKind.STRING, "an attribute name string");
        cursor.expectOp("]");
        cursor.expectOp("=");
        TypeExpr type = types.parse();
        cursor.expectNewline();
        body.declare(key.value(), key.pos());
        body.attributes.add(new ClassDef.Attribute(key.value(), type, true, key.pos()));
    }

    /** {@code name : T} (an attribute) or {@code name : Final[T] = value} (a constant). */
    private void annotatedMember(ClassBody body) {
        Token name = cursor.next();
        cursor.expectOp(":");
        boolean isFinal = types.atFinal();
        TypeExpr type = isFinal ? types.parseFinal() : types.parse();
        body.declare(name.text(), name.pos());
        if (cursor.acceptOp("=")) {
            body.constants.add(
                    new ClassDef.Constant(
                            name.text(), Optional.of(type), expressions.parse(), name.pos()));
        } else if (isFinal) {
            throw TorchScriptSyntaxException.at(
                    name.pos(), "Final attribute '" + Excerpt.of(name.text()) + "' has no value");
        } else {
            body.attributes.add(new ClassDef.Attribute(name.text(), type, false, name.pos()));
        }
        cursor.expectNewline();
    }

    /** The {@code ["a", "b", ]} of {@code __parameters__ = ...} and its siblings. */
    private void nameList(ClassBody body, Token listName) {
        if (!body.listsSeen.add(listName.text())) {
            throw TorchScriptSyntaxException.at(
                    listName.pos(),
                    "class " + body.className + " sets " + Excerpt.of(listName.text()) + " twice");
        }
        List<String> names = body.lists.get(ClassBody.listIndex(listName.text()));
        cursor.expectOp("[");
        while (!cursor.atOp("]")) {
            names.add(
                    cursor.expect(TokenKind.STRING, "a quoted name in " + listName.text()).value());
            if (!cursor.acceptOp(",")) {
                break;
            }
        }
        cursor.expectOp("]");
    }

    private FunctionDef functionDef() {
        return functionDef(false);
    }

    /**
     * A method. Torch compiles a module's {@code __getstate__}/{@code __setstate__} and what they
     * call (torch.ao's quantized modules: {@code set_weight_bias}, which writes attributes and
     * branches) next to the traced {@code forward}: that is module state, which the pickle gives.
     * So a method other than {@code forward} whose body is outside the traced subset is kept
     * unread, with its error for the case that traced code calls it.
     */
    private FunctionDef methodDef() {
        return functionDef(true);
    }

    private FunctionDef functionDef(boolean method) {
        Token keyword = cursor.expectKeyword("def");
        String name = cursor.expect(TokenKind.NAME, "a function name").text();
        List<FunctionDef.Param> params = params();
        Optional<TypeExpr> returnType =
                cursor.acceptOp("->") ? Optional.of(types.parse()) : Optional.empty();
        cursor.expectOp(":");
        if (!method || name.equals("forward")) {
            return new FunctionDef(name, params, returnType, suite(), keyword.pos());
        }
        int end = cursor.endOfSuite();
        try {
            return new FunctionDef(name, params, returnType, suite(), keyword.pos());
        } catch (TorchScriptSyntaxException e) {
            if (e.overLimit()) {
                throw e;
            }
            cursor.seek(end);
            return new FunctionDef(
                    name, params, returnType, List.of(), keyword.pos(), Optional.of(e));
        }
    }

    private List<FunctionDef.Param> params() {
        cursor.expectOp("(");
        List<FunctionDef.Param> params = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (!cursor.atOp(")")) {
            Token name = cursor.peek();
            if (name.kind() != TokenKind.NAME) {
                throw cursor.unexpected("a parameter name");
            }
            cursor.next();
            if (!names.add(name.text())) {
                throw TorchScriptSyntaxException.at(
                        name.pos(), "parameter '" + Excerpt.of(name.text()) + "' declared twice");
            }
            Optional<TypeExpr> type =
                    cursor.acceptOp(":") ? Optional.of(types.parse()) : Optional.empty();
            Optional<Expr> defaultValue =
                    cursor.acceptOp("=") ? Optional.of(expressions.parse()) : Optional.empty();
            params.add(new FunctionDef.Param(name.text(), type, defaultValue, name.pos()));
            if (!cursor.acceptOp(",")) {
                break;
            }
        }
        cursor.expectOp(")");
        return params;
    }

    /** A function body: an indented block, or one statement on the {@code def} line. */
    private List<Stmt> suite() {
        List<Stmt> body = new ArrayList<>();
        if (!cursor.at(TokenKind.NEWLINE)) {
            body.add(statement());
            return body;
        }
        cursor.next();
        cursor.expect(TokenKind.INDENT, "an indented function body");
        while (!cursor.at(TokenKind.DEDENT)) {
            body.add(statement());
        }
        cursor.next();
        return body;
    }

    private Stmt statement() {
        Token token = cursor.peek();
        if (token.kind() == TokenKind.KEYWORD) {
            switch (token.text()) {
                case "return" -> {
                    cursor.next();
                    Optional<Expr> value =
                            ExpressionParser.startsExpression(cursor.peek())
                                    ? Optional.of(expressions.parseList().asExpr())
                                    : Optional.empty();
                    cursor.expectNewline();
                    return new Stmt.Return(value, token.pos());
                }
                case "pass" -> {
                    cursor.next();
                    cursor.expectNewline();
                    return new Stmt.Pass(token.pos());
                }
                case "def" ->
                        throw TorchScriptSyntaxException.scripted(
                                token.pos(),
                                "a nested function (closures and torch.jit.fork are scripted code)");
                default -> {
                    if (!ExpressionParser.startsExpression(token)) {
                        throw cursor.unexpected("a statement");
                    }
                }
            }
        }
        ExpressionParser.ExpressionList lhs = expressions.parseList();
        if (cursor.atOp("=")) {
            cursor.next();
            List<Expr.Name> targets = targets(lhs);
            Expr value = expressions.parseList().asExpr();
            if (cursor.atOp("=")) {
                throw TorchScriptSyntaxException.at(
                        cursor.peek().pos(), "chained assignment is not supported");
            }
            cursor.expectNewline();
            boolean unpack = lhs.tuple() || !(lhs.elements().get(0) instanceof Expr.Name);
            return new Stmt.Assign(targets, unpack, Optional.empty(), value, lhs.pos());
        }
        if (cursor.atOp(":") && !lhs.tuple() && lhs.elements().get(0) instanceof Expr.Name name) {
            cursor.next();
            TypeExpr type = types.parse();
            cursor.expectOp("=");
            Expr value = expressions.parse();
            cursor.expectNewline();
            return new Stmt.Assign(List.of(name), false, Optional.of(type), value, name.pos());
        }
        Token after = cursor.peek();
        if (after.kind() == TokenKind.OP
                && after.text().length() >= 2
                && after.text().endsWith("=")
                && !after.text().equals("==")
                && !after.text().equals("!=")
                && !after.text().equals("<=")
                && !after.text().equals(">=")) {
            throw TorchScriptSyntaxException.at(
                    after.pos(),
                    "augmented assignment '" + Excerpt.of(after.text()) + "' is not supported");
        }
        cursor.expectNewline();
        return new Stmt.ExprStmt(lhs.asExpr(), lhs.pos());
    }

    /**
     * The names an assignment writes: {@code x}, {@code a, b,}, {@code (a, b)} or {@code [a, b]}.
     */
    private static List<Expr.Name> targets(ExpressionParser.ExpressionList lhs) {
        List<Expr> elements = lhs.elements();
        if (!lhs.tuple()) {
            Expr only = elements.get(0);
            if (only instanceof Expr.TupleExpr tuple) {
                elements = tuple.elements();
            } else if (only instanceof Expr.ListExpr list) {
                elements = list.elements();
            }
        }
        if (elements.isEmpty()) {
            throw TorchScriptSyntaxException.at(lhs.pos(), "assignment to an empty tuple");
        }
        List<Expr.Name> names = new ArrayList<>();
        for (Expr element : elements) {
            if (element instanceof Expr.Name name) {
                names.add(name);
            } else if (element instanceof Expr.Attribute attribute) {
                throw TorchScriptSyntaxException.at(
                        element.pos(),
                        "assignment to attribute '"
                                + attribute.attr()
                                + "' is not supported: traced code never writes module attributes");
            } else {
                throw TorchScriptSyntaxException.at(
                        element.pos(), "only names can be assigned to, not " + describe(element));
            }
        }
        return names;
    }

    private static String describe(Expr expr) {
        if (expr instanceof Expr.Subscript) {
            return "a subscript";
        }
        if (expr instanceof Expr.TupleExpr || expr instanceof Expr.ListExpr) {
            return "a nested tuple or list";
        }
        if (expr instanceof Expr.Call) {
            return "a call";
        }
        return "a " + expr.getClass().getSimpleName() + " expression";
    }

    private String dottedName() {
        StringBuilder name = new StringBuilder(cursor.expect(TokenKind.NAME, "a name").text());
        while (cursor.acceptOp(".")) {
            name.append('.').append(cursor.expect(TokenKind.NAME, "a name after '.'").text());
        }
        return name.toString();
    }
}
