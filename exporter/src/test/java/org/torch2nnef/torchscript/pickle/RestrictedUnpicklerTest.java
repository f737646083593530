package org.torch2nnef.torchscript.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pickles below were produced by CPython 3.11's pickle.dumps; the hex is its output verbatim. */
class RestrictedUnpicklerTest {

    /** Allows only collections.OrderedDict, recording what was asked. */
    private static final class OrderedDictOnly implements PickleHandler {
        final List<String> globals = new ArrayList<>();

        @Override
        public Object resolveGlobal(String module, String name) throws PickleException {
            globals.add(module + "." + name);
            if (module.equals("collections") && name.equals("OrderedDict")) {
                return "OrderedDict";
            }
            throw new PickleException("refused " + module + "." + name);
        }

        @Override
        public Object persistentLoad(Object pid) throws PickleException {
            throw new PickleException("no persistent ids");
        }

        @Override
        public Object call(Object callable, List<Object> args) {
            return new LinkedHashMap<>();
        }

        @Override
        public Object newObject(Object cls, List<Object> args) throws PickleException {
            throw new PickleException("no objects");
        }

        @Override
        public void build(Object object, Object state) throws PickleException {
            throw new PickleException("no state");
        }
    }

    private static Object load(String hex, PickleHandler handler) throws PickleException {
        return RestrictedUnpickler.load(HexFormat.of().parseHex(hex), "test.pkl", handler);
    }

    @Test
    void protocol4ValuesFramesAndMemo() throws PickleException {
        // {"a": [1, -2, 2**40, 2**70, 1.5, None, True], "b": ("x", b"\x00\xff"), "c": (1,), "d":
        // ()}
        Object v =
                load(
                        "8004954e000000000000007d94288c0161945d94284b014afeffffff8a060000000000018a0900000000"
                                + "0000000040473ff80000000000004e88658c0162948c017894430200ff9486948c0163944b0185948c01649429752e",
                        new OrderedDictOnly());
        Map<?, ?> map = assertInstanceOf(Map.class, v);
        assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(map.keySet()));
        List<?> a = (List<?>) map.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2L, a.get(1));
        assertEquals(1L << 40, a.get(2));
        assertEquals(BigInteger.TWO.pow(70), a.get(3));
        assertEquals(1.5, a.get(4));
        assertNull(a.get(5));
        assertEquals(Boolean.TRUE, a.get(6));
        List<?> b = assertInstanceOf(PickleTuple.class, map.get("b"));
        assertEquals("x", b.get(0));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) b.get(1));
        assertEquals(PickleTuple.of(1L), map.get("c"));
        assertSame(PickleTuple.EMPTY, map.get("d"));
    }

    @Test
    void protocol0TextOpcodes() throws PickleException {
        // {"k": [1, "s", 3.25, None, False]}
        Object v =
                load(
                        "286470300a566b0a70310a286c70320a49310a6156730a70330a6146332e32350a614e614930300a61732e",
                        new OrderedDictOnly());
        assertEquals(Map.of("k", Arrays.asList(1L, "s", 3.25, null, false)), v);
    }

    @Test
    void memoSharesObjects() throws PickleException {
        // lst = [1, 2]; [lst, lst]
        List<?> v = (List<?>) load("80025d7100285d7101284b014b02656801652e", new OrderedDictOnly());
        assertSame(v.get(0), v.get(1));
        assertEquals(List.of(1L, 2L), v.get(0));
    }

    @Test
    void stackGlobalGoesThroughTheHandler() throws PickleException {
        // collections.OrderedDict([("a", 1), ("b", 2)])
        OrderedDictOnly handler = new OrderedDictOnly();
        Object v =
                load(
                        "80049530000000000000008c0b636f6c6c656374696f6e73948c0b4f726465726564446963749493942952"
                                + "94288c0161944b018c0162944b02752e",
                        handler);
        assertEquals(List.of("collections.OrderedDict"), handler.globals);
        assertEquals(List.of("a", "b"), new ArrayList<>(((Map<?, ?>) v).keySet()));
    }

    @Test
    void refusalNamesStreamAndOffset() {
        // GLOBAL 'builtins eval' at byte 2 after PROTO 2
        byte[] pickle = "\u0080\u0002cbuiltins\neval\n.".getBytes(StandardCharsets.ISO_8859_1);
        PickleException e =
                assertThrows(
                        PickleException.class,
                        () -> RestrictedUnpickler.load(pickle, "x.pkl", new OrderedDictOnly()));
        assertEquals("refused builtins.eval in x.pkl (byte 2)", e.getMessage());
    }

    @Test
    void stackUnderflowIsReported() {
        // APPEND with an empty stack
        PickleException e =
                assertThrows(
                        PickleException.class,
                        () ->
                                RestrictedUnpickler.load(
                                        new byte[] {(byte) 0x80, 2, 'a', '.'},
                                        "u.pkl",
                                        new OrderedDictOnly()));
        assertEquals("stack underflow in u.pkl (byte 2)", e.getMessage());
    }

    @Test
    void appendOntoATupleIsMalformedNotACrash() {
        // PROTO 2, EMPTY_TUPLE, BININT1 1, APPEND
        PickleException e =
                assertThrows(
                        PickleException.class,
                        () ->
                                RestrictedUnpickler.load(
                                        new byte[] {(byte) 0x80, 2, ')', 'K', 1, 'a', '.'},
                                        "t.pkl",
                                        new OrderedDictOnly()));
        assertEquals(
                "malformed pickle in t.pkl (byte 5): UnsupportedOperationException",
                e.getMessage());
    }
}
