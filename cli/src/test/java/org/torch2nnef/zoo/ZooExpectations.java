package org.torch2nnef.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.check.CheckerMode;

/**
 * The committed expectation of every zoo model, {@code samples/zoo/expected.json}: model name to
 * {@code "pass"} or {@code "fail: REASON"}, where REASON is a substring of the actual verdict's
 * reason (see {@link ZooOutcome#verdict}). The value applies to every checker; a model whose
 * checkers disagree gets an object instead, {@code {"reference": ..., "tract": ...}}, where a
 * missing checker takes the reference expectation.
 *
 * @param file where the expectations were read from
 * @param byModel the expectations by model name, in file order
 */
public record ZooExpectations(Path file, Map<String, Expectation> byModel) {
    /** The file name in the zoo directory. */
    public static final String FILE = "expected.json";

    /** Canonical constructor; copies the map. */
    public ZooExpectations {
        byModel = Collections.unmodifiableMap(new LinkedHashMap<>(byModel));
    }

    /**
     * One model's expectations.
     *
     * @param reference the expected verdict of the reference check
     * @param tract the expected verdict of the tract check
     */
    public record Expectation(String reference, String tract) {
        /** The expected verdict of {@code checker}. */
        public String of(CheckerMode checker) {
            return checker == CheckerMode.TRACT ? tract : reference;
        }
    }

    /**
     * Reads {@code dir/expected.json}.
     *
     * @throws IOException if it cannot be read or is not JSON
     * @throws IllegalArgumentException naming the model when a value is malformed
     */
    public static ZooExpectations read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    file + ": expected an object of model name to verdict");
        }
        Map<String, Expectation> out = new LinkedHashMap<>();
        root.fields()
                .forEachRemaining(
                        f -> out.put(f.getKey(), expectation(file, f.getKey(), f.getValue())));
        return new ZooExpectations(file, out);
    }

    /** The expectation of {@code model}, if listed. */
    public Optional<Expectation> of(String model) {
        return Optional.ofNullable(byModel.get(model));
    }

    /**
     * Whether {@code actual}, a {@link ZooOutcome#verdict}, meets {@code expected}: equal for
     * {@code pass}, a failure whose reason contains the expected reason otherwise.
     */
    public static boolean meets(String actual, String expected) {
        if (expected.equals(ZooOutcome.PASS)) {
            return actual.equals(ZooOutcome.PASS);
        }
        return actual.startsWith(ZooOutcome.FAIL)
                && actual.contains(expected.substring(ZooOutcome.FAIL.length()));
    }

    private static Expectation expectation(Path file, String model, JsonNode value) {
        String where = file + " " + model;
        if (value.isTextual()) {
            String v = verdict(value, where);
            return new Expectation(v, v);
        }
        if (value.isObject() && value.has("reference")) {
            value.fieldNames()
                    .forEachRemaining(
                            k -> {
                                if (!k.equals("reference") && !k.equals("tract")) {
                                    throw new IllegalArgumentException(
                                            where
                                                    + ": unknown checker '"
                                                    + k
                                                    + "' (expected reference, tract)");
                                }
                            });
            String reference = verdict(value.get("reference"), where + " reference");
            return new Expectation(
                    reference,
                    value.has("tract") ? verdict(value.get("tract"), where + " tract") : reference);
        }
        throw new IllegalArgumentException(
                where
                        + ": expected \"pass\", \"fail: REASON\" or"
                        + " {\"reference\": ..., \"tract\": ...}, got "
                        + value);
    }

    private static String verdict(JsonNode node, String where) {
        String v = node.asText();
        if (!node.isTextual()
                || !(v.equals(ZooOutcome.PASS)
                        || (v.startsWith(ZooOutcome.FAIL)
                                && !v.substring(ZooOutcome.FAIL.length()).isBlank()))) {
            throw new IllegalArgumentException(
                    where
                            + ": expected \"pass\" or \"fail: REASON\" with a"
                            + " non-empty reason, got "
                            + node);
        }
        return v;
    }
}
