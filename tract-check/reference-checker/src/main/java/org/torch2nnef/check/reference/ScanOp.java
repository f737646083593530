package org.torch2nnef.check.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.torch2nnef.nnef.model.Fragment;

/**
 * {@code tract_core_scan}: runs the body fragment once per chunk of the scanned inputs, as tract's
 * Scan does (sonos/tract nnef/src/ops/core/scan.rs, core/src/ops/scan/optimized.rs).
 *
 * <ul>
 *   <li>{@code scan = [(param, tensor, axis, chunk)]}: the body parameter gets successive chunks of
 *       {@code |chunk|} items along {@code axis}; a negative chunk walks from the end. The
 *       iteration count comes from the first scanned body parameter.
 *   <li>{@code full = [(param, tensor)]}: the body parameter gets the whole tensor every time.
 *   <li>{@code state = [(param, initializer, result)]}: the body parameter starts as the
 *       initializer and then takes the named body result of the previous iteration. tract pairs
 *       state parameters (in parameter order) with state results (in result order) by position; a
 *       model where that differs from the names is refused.
 *   <li>{@code output = [(result, "full" | "last", axis, chunk)]} (or without chunk): a "full"
 *       output concatenates the result of every iteration along {@code axis} (backwards for a
 *       negative chunk), a "last" output is the result of the last iteration. The op returns the
 *       outputs in this order.
 * </ul>
 *
 * {@code skip} (used by pulsed models) must be 0; a scanned axis must be a whole number of chunks
 * (tract leaves the tail of a partial chunk uninitialised).
 */
final class ScanOp {
    private ScanOp() {}

    static void register(OpRegistry r) {
        r.add(
                "tract_core_scan",
                ScanOp::scan,
                "body",
                "scan",
                "full",
                "state",
                "output",
                "skip = 0",
                "reset_every_turn = 0",
                "external_state = 0");
    }

    private record Scanned(NDArray input, int axis, long chunk) {}

    private record Output(String result, boolean full, int axis, long chunk) {}

    private static Value scan(OpCall c) {
        String bodyName = c.string("body");
        Fragment body = c.evaluator().run().fragment(bodyName);
        if (body == null || body.body().isEmpty()) {
            throw c.error(
                    "body fragment '" + bodyName + "' is not defined with a body in graph.nnef");
        }
        if (c.integer("skip") != 0) {
            throw c.error("skip = " + c.integer("skip") + " is not supported (only 0)");
        }
        Map<String, Scanned> scanned = new HashMap<>();
        for (Value v : c.items("scan")) {
            List<Value> t = tuple(c, v, 4, "scan");
            NDArray input =
                    Tensors.toArray(
                            t.get(1), c.manager(), null, () -> "tract_core_scan scan input");
            int axis =
                    Tensors.axis(
                            Values.toLong(t.get(2), () -> "scan axis"),
                            input.getShape().dimension(),
                            c::op);
            long chunk = Values.toLong(t.get(3), () -> "scan chunk");
            if (chunk == 0) {
                throw c.error("scan input '" + name(c, t.get(0)) + "' has chunk 0");
            }
            scanned.put(name(c, t.get(0)), new Scanned(input, axis, chunk));
        }
        Map<String, Value> full = new HashMap<>();
        for (Value v : c.items("full")) {
            List<Value> t = tuple(c, v, 2, "full");
            full.put(name(c, t.get(0)), t.get(1));
        }
        Map<String, List<Value>> state = new HashMap<>();
        for (Value v : c.items("state")) {
            List<Value> t = tuple(c, v, 3, "state");
            state.put(name(c, t.get(0)), t);
        }
        List<Output> outputs = new ArrayList<>();
        for (Value v : c.items("output")) {
            List<Value> t = v instanceof Value.Tuple tu ? tu.items() : List.of();
            if (t.size() != 3 && t.size() != 4) {
                throw c.error(
                        "output items must be (result, \"full\"|\"last\", axis[, chunk]), got "
                                + Value.describe(v));
            }
            String kind = name(c, t.get(1));
            if (!kind.equals("full") && !kind.equals("last")) {
                throw c.error(
                        "output '"
                                + name(c, t.get(0))
                                + "' must be \"full\" or \"last\", got \""
                                + kind
                                + "\"");
            }
            long chunk = t.size() == 4 ? Values.toLong(t.get(3), () -> "output chunk") : 1;
            outputs.add(
                    new Output(
                            name(c, t.get(0)),
                            kind.equals("full"),
                            Math.toIntExact(Values.toLong(t.get(2), () -> "output axis")),
                            chunk));
        }

        // body parameters in declaration order: what each one receives
        List<String> stateParams = new ArrayList<>();
        Scanned first = null;
        for (Fragment.Param p : body.params()) {
            String n = p.name();
            if (scanned.containsKey(n)) {
                first = first == null ? scanned.get(n) : first;
            } else if (state.containsKey(n)) {
                stateParams.add(n);
            } else if (!full.containsKey(n)) {
                throw c.error(
                        "body parameter '"
                                + n
                                + "' of '"
                                + bodyName
                                + "' is bound by none of scan, full or state");
            }
        }
        if (first == null) {
            throw c.error("no scanned input");
        }
        List<String> stateResults = new ArrayList<>();
        for (Fragment.Result res : body.results()) {
            for (List<Value> t : state.values()) {
                if (name(c, t.get(2)).equals(res.name())) {
                    stateResults.add(res.name());
                    break;
                }
            }
        }
        for (int i = 0; i < stateParams.size(); i++) {
            String declared = name(c, state.get(stateParams.get(i)).get(2));
            if (i >= stateResults.size() || !stateResults.get(i).equals(declared)) {
                throw c.error(
                        "state '"
                                + stateParams.get(i)
                                + "' names result '"
                                + declared
                                + "', but tract pairs state parameters and results by position, which gives '"
                                + (i < stateResults.size() ? stateResults.get(i) : "nothing")
                                + "'");
            }
        }

        long length = first.input().getShape().get(first.axis());
        long step = Math.abs(first.chunk());
        long iterations = (length + step - 1) / step;
        for (Map.Entry<String, Scanned> e : scanned.entrySet()) {
            Scanned s = e.getValue();
            long n = s.input().getShape().get(s.axis());
            if (n % Math.abs(s.chunk()) != 0 || n / Math.abs(s.chunk()) != iterations) {
                throw c.error(
                        "scan input '"
                                + e.getKey()
                                + "' has "
                                + n
                                + " items on axis "
                                + s.axis()
                                + ", not "
                                + iterations
                                + " whole chunks of "
                                + Math.abs(s.chunk()));
            }
        }

        Map<String, Value> current = new HashMap<>();
        for (String p : stateParams) {
            current.put(p, state.get(p).get(1));
        }
        List<List<NDArray>> pieces = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            pieces.add(new ArrayList<>());
        }
        Map<String, Value> results = Map.of();
        Set<Object> before = identitySet();
        before.addAll(c.manager().getManagedArrays());
        for (long i = 0; i < iterations; i++) {
            Map<String, Value> args = new HashMap<>(full);
            args.putAll(current);
            for (Map.Entry<String, Scanned> e : scanned.entrySet()) {
                args.put(e.getKey(), new Value.Tensor(chunk(e.getValue(), i)));
            }
            Value out = c.evaluator().callFragment(body, List.of(), args);
            results = byName(body, out);
            for (String p : stateParams) {
                current.put(p, results.get(name(c, state.get(p).get(2))));
            }
            for (int k = 0; k < outputs.size(); k++) {
                Output o = outputs.get(k);
                Value v = results.get(o.result());
                if (v == null) {
                    throw c.error(
                            "output '" + o.result() + "' is not a result of '" + bodyName + "'");
                }
                if (o.full()) {
                    pieces.get(k)
                            .add(
                                    Tensors.toArray(
                                            v,
                                            c.manager(),
                                            null,
                                            () -> "scan output " + o.result()));
                }
            }
            releaseIteration(c, before, current, results, pieces);
        }
        List<Value> values = new ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            Output o = outputs.get(k);
            if (!o.full()) {
                values.add(results.get(o.result()));
                continue;
            }
            List<NDArray> parts = pieces.get(k);
            if (o.chunk() < 0) {
                Collections.reverse(parts);
            }
            int axis = Tensors.axis(o.axis(), parts.get(0).getShape().dimension(), c::op);
            values.add(new Value.Tensor(NDArrays.concat(new NDList(parts), axis)));
        }
        return new Value.Array(values);
    }

    /**
     * Closes what the iteration created and no longer needs: everything the manager gained since
     * the scan started, except the state, the last results and the collected output pieces.
     */
    private static void releaseIteration(
            OpCall c,
            Set<Object> before,
            Map<String, Value> state,
            Map<String, Value> results,
            List<List<NDArray>> pieces) {
        Set<Object> live = identitySet();
        state.values().forEach(v -> Liveness.tensorsOf(v, live));
        results.values().forEach(v -> Liveness.tensorsOf(v, live));
        pieces.forEach(live::addAll);
        for (NDArray a : c.manager().getManagedArrays()) {
            if (!before.contains(a) && !live.contains(a)) {
                a.close();
            }
        }
    }

    private static Set<Object> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Chunk {@code i}: forward from the start, or for a negative chunk from the end (items keep
     * their order).
     */
    private static NDArray chunk(Scanned s, long i) {
        long k = Math.abs(s.chunk());
        long n = s.input().getShape().get(s.axis());
        long begin = s.chunk() > 0 ? i * k : n - (i + 1) * k;
        return Padding.range(s.input(), s.axis(), begin, begin + k);
    }

    private static Map<String, Value> byName(Fragment body, Value out) {
        Map<String, Value> m = new HashMap<>();
        if (body.results().size() == 1) {
            m.put(body.results().get(0).name(), out);
        } else {
            List<Value> items = ((Value.Tuple) out).items();
            for (int i = 0; i < items.size(); i++) {
                m.put(body.results().get(i).name(), items.get(i));
            }
        }
        return m;
    }

    private static List<Value> tuple(OpCall c, Value v, int size, String what) {
        if (v instanceof Value.Tuple t && t.items().size() == size) {
            return t.items();
        }
        throw c.error(what + " items must be tuples of " + size + ", got " + Value.describe(v));
    }

    /** A body parameter or result name as written, escaped as tract escapes it to an identifier. */
    private static String name(OpCall c, Value v) {
        if (!(v instanceof Value.Str s)) {
            throw c.error("expected a name string, got " + Value.describe(v));
        }
        return escape(s.value());
    }

    private static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        if (!name.isEmpty() && !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            sb.append('_');
        }
        for (char ch : name.toCharArray()) {
            sb.append(Character.isLetterOrDigit(ch) ? ch : '_');
        }
        return sb.toString();
    }
}
