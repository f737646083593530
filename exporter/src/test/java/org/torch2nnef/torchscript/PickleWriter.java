package org.torch2nnef.torchscript;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, for hostile streams no pickler would produce. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        op(0x80, 2); // PROTO 2
    }

    PickleWriter op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    /** The same opcodes {@code times} times. */
    PickleWriter repeat(int times, int... bytes) {
        for (int i = 0; i < times; i++) {
            op(bytes);
        }
        return this;
    }

    /** GLOBAL module.name. */
    PickleWriter global(String module, String name) {
        return op('c').text(module + "\n" + name + "\n");
    }

    PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length); // SHORT_BINUNICODE
        out.writeBytes(b);
        return this;
    }

    /** LONG in text form: any size, e.g. 2^62. */
    PickleWriter integer(long v) {
        return op('L').text(v + "L\n");
    }

    PickleWriter text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    /**
     * A {@code data.pkl}: a {@code __torch__.M} whose attribute {@code w} is a float tensor of
     * {@code sizes} and {@code strides} on storage {@code data/0}, declared to hold {@code numel}
     * elements.
     */
    static byte[] moduleWithTensor(long numel, long[] sizes, long[] strides) {
        PickleWriter p = new PickleWriter().global("__torch__", "M").op(')', 0x81, '}').str("w");
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", "FloatStorage").str("0").str("cpu");
        p.integer(numel).op('t', 'Q').integer(0);
        p.op('(');
        for (long s : sizes) {
            p.integer(s);
        }
        p.op('t', '(');
        for (long s : strides) {
            p.integer(s);
        }
        p.op('t', 0x89).global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        return p.op('s', 'b').stop();
    }
}
