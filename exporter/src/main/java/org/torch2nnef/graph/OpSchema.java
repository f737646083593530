package org.torch2nnef.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The signature of one op overload, as written in pytorch's {@code native_functions.yaml}: e.g.
 * {@code aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType?
 * dtype=None) -> Tensor}.
 *
 * @param kind the op, e.g. {@code aten::sum}
 * @param overload the overload name, e.g. {@code dim_IntList}, or {@code ""}
 * @param args the arguments in schema order
 * @param returns the return types, e.g. {@code [Tensor]} or {@code [Tensor, Tensor]}
 */
public record OpSchema(String kind, String overload, List<Arg> args, List<String> returns) {
    /**
     * The size of a fixed-size list type, e.g. {@code [2]} in {@code int[2]}; group 1 is the size.
     */
    static final Pattern LIST_SIZE = Pattern.compile("\\[(\\d+)]");

    public OpSchema {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(overload, "overload");
        args = List.copyOf(args);
        returns = List.copyOf(returns);
    }

    /**
     * One argument.
     *
     * @param name its name, e.g. {@code keepdim}
     * @param type its type as written, e.g. {@code int[1]?}, {@code Tensor}, {@code Scalar}
     * @param defaultValue its default as written ({@code False}, {@code None}, {@code [0,0]}), if
     *     any
     * @param keywordOnly whether it comes after {@code *}
     */
    public record Arg(
            String name, String type, Optional<String> defaultValue, boolean keywordOnly) {
        public Arg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(defaultValue, "defaultValue");
        }

        /**
         * @return whether the type ends in {@code ?} (None allowed)
         */
        public boolean optional() {
            return type.endsWith("?");
        }

        /**
         * @return the type without {@code ?} and list size, e.g. {@code int[]} for {@code int[1]?}
         */
        public String baseType() {
            String t = optional() ? type.substring(0, type.length() - 1) : type;
            // called per op argument when building graphs: no regex for the common types without a
            // list size
            return t.indexOf('[') < 0 ? t : LIST_SIZE.matcher(t).replaceAll("[]");
        }
    }

    /**
     * Parses one signature line.
     *
     * @param line e.g. {@code aten::relu(Tensor self) -> Tensor}
     * @return the schema
     * @throws IllegalArgumentException if the line is not a signature
     */
    public static OpSchema parse(String line) {
        int open = line.indexOf('(');
        int arrow = line.lastIndexOf("->");
        int close = arrow < 0 ? -1 : line.lastIndexOf(')', arrow);
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not an op signature: " + line);
        }
        String name = line.substring(0, open).trim();
        int dot = name.indexOf('.');
        String kind = dot < 0 ? name : name.substring(0, dot);
        String overload = dot < 0 ? "" : name.substring(dot + 1);
        if (!kind.contains("::")) {
            throw new IllegalArgumentException("op name without namespace: " + line);
        }
        List<Arg> args = new ArrayList<>();
        boolean keywordOnly = false;
        for (String part : splitTopLevel(line.substring(open + 1, close))) {
            if (part.equals("*")) {
                keywordOnly = true;
                continue;
            }
            int space =
                    part.lastIndexOf(' ', part.contains("=") ? part.indexOf('=') : part.length());
            if (space < 0) {
                throw new IllegalArgumentException(
                        "argument '" + part + "' has no type in: " + line);
            }
            String type = part.substring(0, space).trim();
            String rest = part.substring(space + 1).trim();
            int eq = rest.indexOf('=');
            String argName = eq < 0 ? rest : rest.substring(0, eq).trim();
            Optional<String> def =
                    eq < 0 ? Optional.empty() : Optional.of(rest.substring(eq + 1).trim());
            args.add(new Arg(argName, type, def, keywordOnly));
        }
        String ret = line.substring(arrow + 2).trim();
        if (ret.startsWith("(") && ret.endsWith(")")) {
            ret = ret.substring(1, ret.length() - 1);
        }
        return new OpSchema(kind, overload, args, splitTopLevel(ret));
    }

    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                add(out, text.substring(start, i));
                start = i + 1;
            }
        }
        add(out, text.substring(start));
        return out;
    }

    private static void add(List<String> out, String part) {
        if (!part.isBlank()) {
            out.add(part.trim());
        }
    }

    /**
     * @return the number of arguments that may be given positionally
     */
    public int positionalCount() {
        int n = 0;
        for (Arg a : args) {
            if (!a.keywordOnly()) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param name an argument name
     * @return its index in schema order, or -1
     */
    public int indexOf(String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the types of the returned values, e.g. {@code [Tensor]} as one tensor type
     */
    public List<ValueType> returnTypes() {
        return returns.stream().map(TypeMapping::fromSchema).toList();
    }

    /**
     * @return e.g. {@code aten::sum.dim_IntList}
     */
    public String qualifiedName() {
        return overload.isEmpty() ? kind : kind + "." + overload;
    }

    @Override
    public String toString() {
        return qualifiedName()
                + args.stream().map(a -> a.type() + " " + a.name()).toList()
                + " -> "
                + returns;
    }
}
