package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.torch2nnef.graph.Dim;
import org.torch2nnef.graph.Value;
import org.torch2nnef.graph.ValueType;

/**
 * Turns a node argument of the program ({@code {"as_int": 1}}, {@code {"as_tensor": {"name":
 * "x"}}}, {@code {"as_sym_ints": [...]}}) into a graph value: literals for what the program states,
 * the named values for tensors and SymInts, and a {@code prim::ListConstruct} for lists holding any
 * of those, as the TorchScript front end builds them.
 */
final class ProgramArguments {
    private final ProgramGraphBuilder builder;

    ProgramArguments(ProgramGraphBuilder builder) {
        this.builder = builder;
    }

    Value value(JsonNode arg, String argName, String where) throws ProgramFormatException {
        Map.Entry<String, JsonNode> u = JsonFields.union(arg, where);
        JsonNode v = u.getValue();
        String at = where + " argument '" + argName + "'";
        return switch (u.getKey()) {
            case "as_none" -> builder.literal(Value.NONE, argName);
            case "as_tensor" -> builder.named(JsonFields.text(v, "name", at), at);
            case "as_tensors" -> list(v, argName, at, true);
            case "as_optional_tensors" -> list(v, argName, at, true);
            case "as_int" -> builder.literal(Dim.of(JsonFields.integer(v, at)), argName);
            case "as_float" -> builder.literal(number(v, at), argName);
            case "as_bool" -> builder.literal(bool(v, at), argName);
            case "as_string" -> builder.literal(v.asText(), argName);
            case "as_ints", "as_floats", "as_bools" -> literalList(v, u.getKey(), argName, at);
            case "as_sym_int" -> symInt(v, argName, at);
            case "as_sym_ints" -> list(v, argName, at, false);
            case "as_scalar_type" ->
                    builder.literal(
                            Dim.of(ScalarTypeCodes.c10(JsonFields.integer(v, at), at)), argName);
            case "as_memory_format" ->
                    builder.literal(
                            Dim.of(
                                    ProgramEnums.memoryFormat(JsonFields.integer(v, at))
                                            .orElseThrow(() -> unknown(at, "memory format", v))),
                            argName);
            case "as_layout" ->
                    builder.literal(
                            Dim.of(
                                    ProgramEnums.layout(JsonFields.integer(v, at))
                                            .orElseThrow(() -> unknown(at, "layout", v))),
                            argName);
            case "as_device" ->
                    builder.literal(new Value.Device(JsonFields.text(v, "type", at)), argName);
            default ->
                    throw new ProgramFormatException(
                            at + ": arguments of kind '" + u.getKey() + "' are not supported");
        };
    }

    private static ProgramFormatException unknown(String at, String what, JsonNode v) {
        return new ProgramFormatException(at + ": " + what + " " + v + " is not supported");
    }

    private Value symInt(JsonNode v, String argName, String at) throws ProgramFormatException {
        Map.Entry<String, JsonNode> u = JsonFields.union(v, at);
        if (u.getKey().equals("as_name")) {
            return builder.named(u.getValue().asText(), at);
        }
        if (u.getKey().equals("as_int")) {
            return builder.literal(Dim.of(JsonFields.integer(u.getValue(), at)), argName);
        }
        throw new ProgramFormatException(at + ": a SymInt of kind '" + u.getKey() + "'");
    }

    private Value literalList(JsonNode v, String kind, String argName, String at)
            throws ProgramFormatException {
        if (!v.isArray()) {
            throw new ProgramFormatException(at + ": " + kind + " is not an array");
        }
        List<Object> out = new ArrayList<>();
        for (JsonNode e : v) {
            out.add(
                    switch (kind) {
                        case "as_ints" -> Dim.of(JsonFields.integer(e, at));
                        case "as_floats" -> number(e, at);
                        default -> bool(e, at);
                    });
        }
        Value list = builder.literal(Collections.unmodifiableList(out), argName);
        if (out.isEmpty()) {
            list.setType(
                    new ValueType.ListType(
                            switch (kind) {
                                case "as_ints" -> ValueType.INT;
                                case "as_floats" -> ValueType.FLOAT;
                                default -> ValueType.BOOL;
                            }));
        }
        return list;
    }

    /** A list of tensors or SymInts: a literal when every element is, else a ListConstruct. */
    private Value list(JsonNode v, String argName, String at, boolean tensors)
            throws ProgramFormatException {
        if (!v.isArray()) {
            throw new ProgramFormatException(at + ": not an array");
        }
        List<Value> elements = new ArrayList<>();
        for (JsonNode e : v) {
            if (tensors) {
                Map.Entry<String, JsonNode> u = JsonFields.union(e, at);
                elements.add(
                        u.getKey().equals("as_none")
                                ? builder.literal(Value.NONE, argName)
                                : builder.named(
                                        JsonFields.text(
                                                u.getKey().equals("name") ? e : u.getValue(),
                                                "name",
                                                at),
                                        at));
            } else {
                elements.add(symInt(e, argName, at));
            }
        }
        return builder.listOf(
                elements, argName, tensors ? ValueType.UNTYPED_TENSOR : ValueType.INT);
    }

    private static Double number(JsonNode v, String at) throws ProgramFormatException {
        if (v.isTextual()) {
            // torch writes non-finite floats as strings
            switch (v.asText()) {
                case "Infinity", "inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                case "NaN", "nan" -> {
                    return Double.NaN;
                }
                default -> {}
            }
        }
        if (!v.isNumber()) {
            throw new ProgramFormatException(at + ": " + JsonFields.brief(v) + " is not a number");
        }
        return v.asDouble();
    }

    private static Boolean bool(JsonNode v, String at) throws ProgramFormatException {
        if (!v.isBoolean()) {
            throw new ProgramFormatException(at + ": " + JsonFields.brief(v) + " is not a bool");
        }
        return v.asBoolean();
    }
}
