package org.torch2nnef.torchscript.pickle;

/**
 * Bounds on the work and memory one pickle may cost, so that a small hostile stream (a zip entry
 * that inflates to millions of opcodes, a "billion laughs" of shared tuples, a 5M-digit integer) is
 * refused with a message instead of hanging or exhausting the heap. Each bound is far above what
 * torch writes: a 500 MB model's {@code data.pkl} uses a few hundred thousand opcodes.
 *
 * @param steps opcodes executed plus container links walked to keep nesting depths current
 * @param stack values on the stack at once
 * @param marks open {@code MARK}s at once
 * @param nesting depth of containers (lists, tuples, dicts, objects and their state) in the result
 * @param objects values pushed plus container items added plus memo entries
 * @param numberLength characters of one text int or float, bytes of one {@code LONG4} (decimal
 *     parsing is quadratic in the length; torch never writes ints beyond 64 bits)
 */
public record PickleLimits(
        long steps, long stack, long marks, long nesting, long objects, long numberLength) {

    /** The defaults, each named as its {@code torch2nnef.limit.pickle.*} property. */
    public static final PickleLimits DEFAULTS =
            new PickleLimits(100_000_000, 10_000_000, 10_000, 1_000, 20_000_000, 4_300);
}
