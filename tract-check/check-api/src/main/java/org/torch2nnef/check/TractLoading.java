package org.torch2nnef.check;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How tract is told the sizes of the model's inputs when it loads it, as the applications using an
 * export do: with the declared symbols, with concrete input facts, with the symbols set to values,
 * or pulsed (streamed chunk by chunk along one symbol).
 */
public sealed interface TractLoading {
    /** The default: the declared symbols are kept; tract binds them when it runs. */
    TractLoading SYMBOLS = new Symbols();

    /** The declared symbols kept ({@code external} shapes as written). */
    record Symbols() implements TractLoading {}

    /**
     * Concrete input facts, read from the check's inputs ({@code --input-facts-from-bundle}), as an
     * application calling {@code model.with_input_fact(...)} loads the model.
     */
    record ConcreteFacts() implements TractLoading {}

    /** Each symbol set to its value at the check's inputs ({@code --set S=N}). */
    record SetSymbols() implements TractLoading {}

    /**
     * Streamed: tract pulses the model along {@code symbol}, {@code size} items per chunk ({@code
     * --pulse S=N}), and its outputs after the model's delay are compared with torch's outputs on
     * the whole sequence.
     *
     * @param symbol the streaming symbol, one letter as tract's symbols are
     * @param size items per chunk, positive
     */
    record Pulse(String symbol, long size) implements TractLoading {
        private static final Pattern SPEC = Pattern.compile("([A-Za-z])=([0-9]{1,9})");

        /** Validates. */
        public Pulse {
            if (symbol == null || !symbol.matches("[A-Za-z]")) {
                throw new IllegalArgumentException(
                        "pulse symbol '" + symbol + "' must be one letter, as tract's symbols are");
            }
            if (size <= 0) {
                throw new IllegalArgumentException(
                        "pulse size " + size + " must be positive (items per chunk)");
            }
        }

        /**
         * @param spec {@code S=N}: the streaming symbol and the number of items per chunk
         * @return the pulse
         * @throws IllegalArgumentException naming the expected form
         */
        public static Pulse parse(String spec) {
            Matcher m = SPEC.matcher(spec == null ? "" : spec.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "--pulse '"
                                + spec
                                + "': expected SYMBOL=SIZE, a symbol of the model's inputs and the"
                                + " items per chunk, e.g. T=8");
            }
            return new Pulse(m.group(1), Long.parseLong(m.group(2)));
        }

        /** {@code S=N}, as tract's {@code --pulse} takes it. */
        public String spec() {
            return symbol + "=" + size;
        }
    }
}
