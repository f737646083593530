package org.torch2nnef.torchscript;

import java.util.Locale;
import org.torch2nnef.torchscript.pickle.PickleLimits;

/**
 * The bounds the archive reader keeps to, each a system property {@code torch2nnef.limit.<name>}
 * (bin/torch2nnef passes {@code TORCH2NNEF_JAVA_OPTS} to the JVM, e.g. {@code
 * -Dtorch2nnef.limit.entry.code=256M}). Values are whole numbers with an optional binary suffix K,
 * M or G. Sizes are of decompressed entries, counted while inflating: the zip header's sizes are
 * not trusted.
 *
 * @param pickle the bounds on each pickle
 * @param dataPkl bytes of {@code data.pkl}
 * @param constantsPkl bytes of {@code constants.pkl}
 * @param code bytes of one {@code code/*.py} file
 * @param debugPkl bytes of one {@code .debug_pkl}
 * @param otherEntry bytes of any other entry read whole ({@code version}, {@code extra/*})
 * @param entriesTotal bytes of all the entries read whole, together (tensor data not included)
 * @param programJson bytes of a torch.export program's {@code models/model.json}
 */
public record ReaderLimits(
        PickleLimits pickle,
        long dataPkl,
        long constantsPkl,
        long code,
        long debugPkl,
        long otherEntry,
        long entriesTotal,
        long programJson) {
    private static final String PREFIX = "torch2nnef.limit.";

    /** The defaults: far above what a 500 MB model or a graph of 16000 ops needs. */
    public static final ReaderLimits DEFAULTS =
            new ReaderLimits(
                    PickleLimits.DEFAULTS,
                    256L << 20,
                    256L << 20,
                    64L << 20,
                    64L << 20,
                    16L << 20,
                    2L << 30,
                    256L << 20);

    /**
     * @return the defaults, overridden by any {@code torch2nnef.limit.*} system property
     * @throws TorchScriptFormatException if a property is not a positive whole number
     */
    public static ReaderLimits fromSystemProperties() throws TorchScriptFormatException {
        PickleLimits p = DEFAULTS.pickle;
        return new ReaderLimits(
                new PickleLimits(
                        get("pickle.steps", p.steps()),
                        get("pickle.stack", p.stack()),
                        get("pickle.marks", p.marks()),
                        get("pickle.nesting", p.nesting()),
                        get("pickle.objects", p.objects()),
                        get("pickle.number-length", p.numberLength())),
                get("entry.data-pkl", DEFAULTS.dataPkl),
                get("entry.constants-pkl", DEFAULTS.constantsPkl),
                get("entry.code", DEFAULTS.code),
                get("entry.debug-pkl", DEFAULTS.debugPkl),
                get("entry.other", DEFAULTS.otherEntry),
                get("entries-total", DEFAULTS.entriesTotal),
                get("entry.program-json", DEFAULTS.programJson));
    }

    /**
     * @param name an entry name without the archive prefix, e.g. {@code code/__torch__.py}
     * @return the limit on its decompressed size and the property that sets it
     */
    EntryLimit entryLimit(String name) {
        if (name.equals("data.pkl")) {
            return new EntryLimit(dataPkl, "entry.data-pkl");
        }
        if (name.equals("constants.pkl")) {
            return new EntryLimit(constantsPkl, "entry.constants-pkl");
        }
        if (name.endsWith(".debug_pkl")) {
            return new EntryLimit(debugPkl, "entry.debug-pkl");
        }
        if (name.equals("models/model.json")) {
            return new EntryLimit(programJson, "entry.program-json");
        }
        if (name.startsWith("code/")) {
            return new EntryLimit(code, "entry.code");
        }
        return new EntryLimit(otherEntry, "entry.other");
    }

    /**
     * A size limit and the property (without {@code torch2nnef.limit.}) that sets it.
     *
     * @param bytes the limit
     * @param property e.g. {@code entry.code}
     */
    record EntryLimit(long bytes, String property) {
        String describe() {
            return bytes + " bytes (" + PREFIX + property + ")";
        }
    }

    static String property(String name) {
        return PREFIX + name;
    }

    private static long get(String name, long fallback) throws TorchScriptFormatException {
        String text = System.getProperty(PREFIX + name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        int shift =
                switch (t.charAt(t.length() - 1)) {
                    case 'K' -> 10;
                    case 'M' -> 20;
                    case 'G' -> 30;
                    default -> 0;
                };
        try {
            long v = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1));
            if (v > 0 && v <= Long.MAX_VALUE >> shift) {
                return v << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TorchScriptFormatException(
                "system property "
                        + PREFIX
                        + name
                        + "='"
                        + text
                        + "' is not a positive whole number (optionally with K, M or G)");
    }
}
