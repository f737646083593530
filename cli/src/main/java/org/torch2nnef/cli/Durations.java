package org.torch2nnef.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Command-line durations: {@code 90s}, {@code 10m}, {@code 1h}, {@code 500ms} or ISO-8601. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException quoting the text when it is neither form or not positive
     */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SHORT.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d =
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        };
            } else {
                d = Duration.parse(text.trim());
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(badDuration(text));
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(badDuration(text));
        }
        return d;
    }

    private static String badDuration(String text) {
        return "invalid duration '" + text + "', expected a positive 90s, 10m, 1h, 500ms or PT10M";
    }
}
