package org.torch2nnef.pt2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Reading the program's JSON: parsing with Jackson's own bounds on nesting and string length, and
 * field access that names what is missing, so a damaged program is an input error, never a
 * NullPointerException.
 */
final class JsonFields {
    /** Python's json writes {@code -Infinity} and {@code NaN} for float arguments. */
    private static final JsonMapper MAPPER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private JsonFields() {}

    /**
     * @param bytes a JSON document
     * @param where the file and entry, for messages
     * @return its tree
     * @throws ProgramFormatException if it is not JSON (or over Jackson's bounds)
     */
    static JsonNode parse(byte[] bytes, String where) throws ProgramFormatException {
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new ProgramFormatException(where + ": not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ProgramFormatException(
                    where + ": not readable JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ProgramFormatException(where + ": " + e.getMessage(), e);
        }
    }

    /** The field, which must be present and not null. */
    static JsonNode field(JsonNode node, String name, String where) throws ProgramFormatException {
        JsonNode f = node == null ? null : node.get(name);
        if (f == null || f.isNull()) {
            throw new ProgramFormatException(where + ": missing '" + name + "'");
        }
        return f;
    }

    /** The field, which must be an object. */
    static JsonNode object(JsonNode node, String name, String where) throws ProgramFormatException {
        JsonNode f = field(node, name, where);
        if (!f.isObject()) {
            throw new ProgramFormatException(where + ": '" + name + "' is not an object");
        }
        return f;
    }

    /** The field, which must be an array. */
    static JsonNode array(JsonNode node, String name, String where) throws ProgramFormatException {
        JsonNode f = field(node, name, where);
        if (!f.isArray()) {
            throw new ProgramFormatException(where + ": '" + name + "' is not an array");
        }
        return f;
    }

    /** The field, which must be a string. */
    static String text(JsonNode node, String name, String where) throws ProgramFormatException {
        JsonNode f = field(node, name, where);
        if (!f.isTextual()) {
            throw new ProgramFormatException(where + ": '" + name + "' is not a string");
        }
        return f.asText();
    }

    /** The field, which must be an integer that fits 64 bits. */
    static long integer(JsonNode node, String name, String where) throws ProgramFormatException {
        return integer(field(node, name, where), where + " '" + name + "'");
    }

    /** The node, which must be an integer that fits 64 bits. */
    static long integer(JsonNode node, String where) throws ProgramFormatException {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ProgramFormatException(
                    where + ": " + brief(node) + " is not a 64-bit integer");
        }
        return node.asLong();
    }

    /**
     * A one-field object as the program writes unions ({@code {"as_int": 3}}).
     *
     * @return its only field
     */
    static Map.Entry<String, JsonNode> union(JsonNode node, String where)
            throws ProgramFormatException {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw new ProgramFormatException(
                    where + ": expected an object of one field, got " + brief(node));
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        return it.next();
    }

    /** A short rendering of a node for messages (never a whole subtree). */
    static String brief(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() <= 80 ? s : s.substring(0, 80) + "…(" + s.length() + " characters)";
    }
}
