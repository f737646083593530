package org.torch2nnef.torchscript.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle decoder (protocols 0-5, data opcodes only) that builds plain Java values and hands every
 * global, call, object construction and persistent id to a {@link PickleHandler}.
 *
 * <p>Values: {@code None} -> null, bool -> Boolean, int -> Long (BigInteger beyond 64 bits), float
 * -> Double, str -> String, bytes -> byte[], tuple -> {@link PickleTuple}, list -> ArrayList, dict
 * -> LinkedHashMap (insertion order kept). Opcodes that would look up classes by themselves ({@code
 * INST}, {@code OBJ}, {@code EXT*}, {@code NEWOBJ_EX}, out-of-band buffers) are refused.
 *
 * <p>The work and memory a stream may cost are bounded by {@link PickleLimits}; dict keys must be
 * scalars or handler objects of one type per dict (TorchScript's key types: str, int, float, bool,
 * Tensor), so that hashing a key never walks a shared structure of 2^90 elements.
 */
public final class RestrictedUnpickler {
    private static final Object MARK =
            new Object() {
                @Override
                public String toString() {
                    return "<mark>";
                }
            };

    private final byte[] data;
    private final String source;
    private final PickleHandler handler;
    private final PickleLimits limits;
    private final NestingDepth nesting;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;
    private int opStart;
    private long steps;
    private long objects;

    private RestrictedUnpickler(
            byte[] data, String source, PickleHandler handler, PickleLimits limits) {
        this.data = data;
        this.source = source;
        this.handler = handler;
        this.limits = limits;
        this.nesting = new NestingDepth(limits.nesting(), this::charge);
    }

    /**
     * Decodes one pickle.
     *
     * @param data the whole pickle stream
     * @param source a name for messages, e.g. {@code data.pkl}
     * @param handler resolves globals, calls and persistent ids
     * @return the value left by {@code STOP}
     * @throws PickleException if the stream is malformed or the handler refuses something; the
     *     message names {@code source} and the byte offset of the failing opcode
     */
    public static Object load(byte[] data, String source, PickleHandler handler)
            throws PickleException {
        return load(data, source, handler, PickleLimits.DEFAULTS);
    }

    /**
     * Decodes one pickle within the given limits.
     *
     * @param data the whole pickle stream
     * @param source a name for messages, e.g. {@code data.pkl}
     * @param handler resolves globals, calls and persistent ids
     * @param limits the bounds on work and memory; exceeding one is a {@link PickleException}
     *     naming it
     * @return the value left by {@code STOP}
     * @throws PickleException as {@link #load(byte[], String, PickleHandler)}
     */
    public static Object load(
            byte[] data, String source, PickleHandler handler, PickleLimits limits)
            throws PickleException {
        return new RestrictedUnpickler(data, source, handler, limits).run();
    }

    private Object run() throws PickleException {
        try {
            while (true) {
                opStart = pos;
                charge(1);
                int op = u8();
                if (op == '.') {
                    return pop();
                }
                step(op);
            }
        } catch (PickleException e) {
            throw new PickleException(e.getMessage() + " in " + source + " (byte " + opStart + ")");
        } catch (RuntimeException e) {
            // e.g. APPEND onto a tuple, SETITEM onto a non-dict, bad text numbers
            throw new PickleException(
                    "malformed pickle in "
                            + source
                            + " (byte "
                            + opStart
                            + "): "
                            + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @SuppressWarnings("unchecked")
    private void step(int op) throws PickleException {
        switch (op) {
            case 0x80 -> u8(); // PROTO
            case 0x95 -> bytes(8); // FRAME: framing is only a hint for buffered readers
            case '(' -> {
                if (marks.size() >= limits.marks()) {
                    throw limit("more than " + limits.marks() + " open MARKs", "marks");
                }
                marks.add(stack.size());
            }
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'I' -> push(parseTextInt(number(line())));
            case 'L' -> push(normalize(new BigInteger(stripSuffix(number(line()), "L"))));
            case 'J' -> push((long) i32());
            case 'K' -> push((long) u8());
            case 'M' -> push((long) (u8() | (u8() << 8)));
            case 0x8a -> push(littleEndianInt(bytes(u8())));
            case 0x8b -> push(littleEndianInt(bytes(numberBytes(length(i32())))));
            case 'F' -> push(Double.parseDouble(number(line())));
            case 'G' -> push(Double.longBitsToDouble(bigEndianLong()));
            case 'X' -> push(utf8(length(i32())));
            case 0x8c -> push(utf8(u8()));
            case 0x8d -> push(utf8(length(i64())));
            case 'V' -> push(line());
            case 'S' -> push(unquote(line()));
            case 'T' -> push(new String(bytes(length(i32())), StandardCharsets.ISO_8859_1));
            case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1));
            case 'B' -> push(bytes(length(i32())));
            case 'C' -> push(bytes(u8()));
            case 0x8e -> push(bytes(length(i64())));
            case ')' -> push(PickleTuple.EMPTY);
            case 't' -> push(tuple(popMark().toArray()));
            case 0x85 -> push(tuple(pop()));
            case 0x86 -> {
                Object b = pop();
                push(tuple(pop(), b));
            }
            case 0x87 -> {
                Object c = pop();
                Object b = pop();
                push(tuple(pop(), b, c));
            }
            case ']' -> push(new ArrayList<>());
            case 'l' -> {
                List<Object> list = new ArrayList<>(popMark());
                fill(list, list);
                push(list);
            }
            case 'a' -> {
                Object v = pop();
                List<Object> list = (List<Object>) peek();
                list.add(v);
                fill(list, Collections.singletonList(v));
            }
            case 'e' -> {
                List<Object> items = popMark();
                List<Object> list = (List<Object>) peek();
                list.addAll(items);
                fill(list, items);
            }
            case '}' -> push(new LinkedHashMap<>());
            case 'd' -> {
                Map<Object, Object> map = new LinkedHashMap<>();
                putPairs(map, popMark());
                push(map);
            }
            case 's' -> {
                Object v = pop();
                Object k = pop();
                putPairs((Map<Object, Object>) peek(), Arrays.asList(k, v));
            }
            case 'u' -> {
                List<Object> items = popMark();
                putPairs((Map<Object, Object>) peek(), items);
            }
            case 'g' -> push(memoGet(Long.parseLong(line())));
            case 'h' -> push(memoGet(u8()));
            case 'j' -> push(memoGet(i32() & 0xffffffffL));
            case 'p' -> memoPut(Long.parseLong(line()));
            case 'q' -> memoPut(u8());
            case 'r' -> memoPut(i32() & 0xffffffffL);
            case 0x94 -> memoPut(memo.size());
            case 'c' -> {
                String module = line();
                push(handler.resolveGlobal(module, line()));
            }
            case 0x93 -> {
                String name = (String) pop();
                push(handler.resolveGlobal((String) pop(), name));
            }
            case 'R' -> {
                Object args = pop();
                push(handler.call(pop(), asArgs(args)));
            }
            case 0x81 -> {
                Object args = pop();
                push(handler.newObject(pop(), asArgs(args)));
            }
            case 'b' -> {
                Object state = pop();
                handler.build(peek(), state);
                nesting.link(peek(), state);
            }
            case 'P' -> push(handler.persistentLoad(line()));
            case 'Q' -> push(handler.persistentLoad(pop()));
            default ->
                    throw new PickleException(
                            String.format("unsupported pickle opcode 0x%02x", op));
        }
    }

    private static List<Object> asArgs(Object args) throws PickleException {
        if (args instanceof PickleTuple t) {
            return t;
        }
        throw new PickleException("call arguments are not a tuple but " + describe(args));
    }

    /**
     * @param value any decoded value
     * @return a short description of its type for messages
     */
    public static String describe(Object value) {
        return value == null ? "None" : value.getClass().getSimpleName();
    }

    /**
     * @param value any decoded value
     * @return a short rendering for messages: scalars and short strings as they are, a tuple or
     *     list by its top-level items with nested containers by size only; bounded and safe for
     *     self-referencing containers, whose {@code toString} never ends
     */
    public static String brief(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder b = new StringBuilder(value instanceof PickleTuple ? "(" : "[");
            for (int i = 0; i < Math.min(list.size(), 8); i++) {
                b.append(i == 0 ? "" : ", ").append(scalar(list.get(i)));
            }
            b.append(list.size() > 8 ? ", ... " + list.size() + " items" : "");
            return b.append(value instanceof PickleTuple ? ")" : "]").toString();
        }
        return scalar(value);
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof String s) {
            return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...'";
        }
        if (value instanceof PickleTuple t) {
            return "tuple of " + t.size();
        }
        if (value instanceof List<?> l) {
            return "list of " + l.size();
        }
        if (value instanceof Map<?, ?> m) {
            return "dict of " + m.size();
        }
        return describe(value);
    }

    private PickleTuple tuple(Object... items) throws PickleException {
        PickleTuple t = PickleTuple.of(items);
        count(items.length);
        nesting.linkAll(t, t);
        return t;
    }

    /** Accounts for {@code items} just added to {@code container}. */
    private void fill(Object container, List<Object> items) throws PickleException {
        count(items.size());
        nesting.linkAll(container, items);
    }

    private void putPairs(Map<Object, Object> map, List<Object> items) throws PickleException {
        if (items.size() % 2 != 0) {
            throw new PickleException("odd number of items for a dict");
        }
        Class<?> keyType = map.isEmpty() ? null : keyType(map.keySet().iterator().next());
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            Class<?> type = keyType(key);
            if (keyType != null && type != keyType) {
                throw new PickleException(
                        "dict keys of two types, "
                                + keyType.getSimpleName()
                                + " and "
                                + type.getSimpleName()
                                + " (a TorchScript dict has one key type)");
            }
            keyType = type;
            map.put(key, items.get(i + 1));
        }
        fill(map, items);
    }

    /**
     * The type of a dict key; refuses what Python cannot hash (lists, dicts) and what TorchScript
     * never uses as a key (tuples, bytes), whose hashing walks the whole, possibly shared, value.
     */
    private static Class<?> keyType(Object key) throws PickleException {
        if (key instanceof List<?> || key instanceof Map<?, ?> || key instanceof byte[]) {
            throw new PickleException(
                    "unsupported dict key of type "
                            + (key instanceof PickleTuple
                                    ? "tuple"
                                    : key instanceof List<?>
                                            ? "list (unhashable)"
                                            : key instanceof Map<?, ?>
                                                    ? "dict (unhashable)"
                                                    : "bytes")
                            + ": TorchScript dict keys are str, int, float, bool or Tensor");
        }
        return key == null ? Void.class : key.getClass();
    }

    private void memoPut(long key) throws PickleException {
        Object value = peek();
        if (memo.put(key, value) == null) {
            count(1);
        }
    }

    /** Charges opcodes and other work to the step budget. */
    private void charge(long n) throws PickleException {
        steps += n;
        if (steps > limits.steps()) {
            throw limit("more than " + limits.steps() + " steps", "steps");
        }
    }

    private void count(long n) throws PickleException {
        objects += n;
        if (objects > limits.objects()) {
            throw limit(
                    "more than " + limits.objects() + " values, container items and memo entries",
                    "objects");
        }
    }

    private static PickleException limit(String what, String property) {
        return new PickleException(
                "pickle limit: " + what + " (torch2nnef.limit.pickle." + property + ")");
    }

    private String number(String text) throws PickleException {
        numberBytes(text.length());
        return text;
    }

    private int numberBytes(int length) throws PickleException {
        if (length > limits.numberLength()) {
            throw limit(
                    "a number of "
                            + length
                            + " digits or bytes, more than "
                            + limits.numberLength(),
                    "number-length");
        }
        return length;
    }

    private Object memoGet(long key) throws PickleException {
        if (!memo.containsKey(key)) {
            throw new PickleException("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    private void push(Object o) throws PickleException {
        if (stack.size() >= limits.stack()) {
            throw limit("more than " + limits.stack() + " values on the stack", "stack");
        }
        stack.add(o);
        count(1);
    }

    private Object peek() throws PickleException {
        if (stack.size() <= currentMarkFloor()) {
            throw new PickleException("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws PickleException {
        Object o = peek();
        stack.remove(stack.size() - 1);
        return o;
    }

    private int currentMarkFloor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private List<Object> popMark() throws PickleException {
        if (marks.isEmpty()) {
            throw new PickleException("no MARK on the stack");
        }
        int floor = marks.remove(marks.size() - 1);
        List<Object> top = new ArrayList<>(stack.subList(floor, stack.size()));
        stack.subList(floor, stack.size()).clear();
        return top;
    }

    private int u8() throws PickleException {
        need(1);
        return data[pos++] & 0xff;
    }

    private int i32() throws PickleException {
        need(4);
        int v =
                (data[pos] & 0xff)
                        | (data[pos + 1] & 0xff) << 8
                        | (data[pos + 2] & 0xff) << 16
                        | data[pos + 3] << 24;
        pos += 4;
        return v;
    }

    private long i64() throws PickleException {
        long lo = i32() & 0xffffffffL;
        return lo | ((long) i32() << 32);
    }

    private long bigEndianLong() throws PickleException {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (data[pos++] & 0xff);
        }
        return v;
    }

    private int length(long n) throws PickleException {
        if (n < 0 || n > data.length - pos) {
            throw new PickleException("length " + n + " runs past the end of the stream");
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws PickleException {
        need(n);
        byte[] b = new byte[n];
        System.arraycopy(data, pos, b, 0, n);
        pos += n;
        return b;
    }

    private String utf8(int n) throws PickleException {
        need(n);
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String line() throws PickleException {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw new PickleException("unterminated text argument");
        }
        String s = new String(data, start, pos - start, StandardCharsets.UTF_8);
        pos++;
        return s;
    }

    private void need(int n) throws PickleException {
        if (n < 0 || pos + n > data.length) {
            throw new PickleException(
                    "truncated pickle: needs "
                            + n
                            + " more bytes, "
                            + (data.length - pos)
                            + " left");
        }
    }

    private static Object parseTextInt(String text) {
        return switch (text) {
            case "00" -> Boolean.FALSE;
            case "01" -> Boolean.TRUE;
            default -> normalize(new BigInteger(text));
        };
    }

    private static Object littleEndianInt(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return normalize(new BigInteger(be));
    }

    private static Object normalize(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String stripSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static String unquote(String s) throws PickleException {
        if (s.length() >= 2
                && (s.charAt(0) == '\'' || s.charAt(0) == '"')
                && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        throw new PickleException("STRING argument is not quoted");
    }
}
