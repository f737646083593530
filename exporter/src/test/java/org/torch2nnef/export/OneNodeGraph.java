package org.torch2nnef.export;

import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.graph.Value;

/**
 * A graph of one op on one tensor input with literal arguments, typed by hand, for translator error
 * paths that tracing cannot produce (torch would raise first). A shorthand for {@link
 * HandTypedGraph}.
 */
final class OneNodeGraph {
    /** An argument that is an int whose value is not known at export time. */
    static final Object UNKNOWN_INT = HandTypedGraph.UNKNOWN_INT;

    private OneNodeGraph() {}

    /**
     * Translates {@code kind(x, args...)} and asserts the translation fails naming the problem.
     *
     * @param input the type of {@code x}, e.g. {@code f32[3,5]}
     * @param output the type of the result
     * @param args literal arguments as {@link HandTypedGraph#op} takes them; {@code "x"} passes the
     *     input again
     * @param expected text the error must contain
     */
    static void assertFails(
            String kind, String input, String output, List<Object> args, String expected)
            throws Exception {
        assertFails(TranslationOptions.defaults(), kind, input, output, args, expected);
    }

    /** {@link #assertFails(String, String, String, List, String)} exporting for {@code target}. */
    static void assertFails(
            TractTarget target,
            String kind,
            String input,
            String output,
            List<Object> args,
            String expected)
            throws Exception {
        assertFails(
                new TranslationOptions(
                        NamingScheme.NATURAL_VERBOSE, false, List.of(), List.of(), target),
                kind,
                input,
                output,
                args,
                expected);
    }

    private static void assertFails(
            TranslationOptions options,
            String kind,
            String input,
            String output,
            List<Object> args,
            String expected)
            throws Exception {
        try (HandTypedGraph g = new HandTypedGraph()) {
            Value x = g.input("x", input);
            List<Object> all = new ArrayList<>(List.of(x));
            args.forEach(a -> all.add("x".equals(a) ? x : a));
            g.assertFails(g.op(kind, all, output).get(0), kind, expected, options);
        }
    }
}
