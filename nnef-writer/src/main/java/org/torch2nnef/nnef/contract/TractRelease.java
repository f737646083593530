package org.torch2nnef.nnef.contract;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tract release number, as the exporter targets it and the checker finds it: the one place the
 * supported range and the default target are written.
 *
 * @param major major version
 * @param minor minor version
 * @param patch patch version
 */
public record TractRelease(int major, int minor, int patch) implements Comparable<TractRelease> {
    // before the constants below, which parse
    private static final Comparator<TractRelease> ORDER =
            Comparator.comparingInt(TractRelease::major)
                    .thenComparingInt(TractRelease::minor)
                    .thenComparingInt(TractRelease::patch);
    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern RELEASE = Pattern.compile("v?" + NUMBER.pattern());

    /** The oldest release exports are made for and tract is driven at. */
    public static final TractRelease OLDEST_SUPPORTED = new TractRelease(0, 20, 0);

    /**
     * The newest release we support, the default export target, as text: a constant expression, so
     * that command-line annotations can show it.
     */
    public static final String NEWEST_SUPPORTED_TEXT = "0.22.3";

    /** The newest release we support: the default export target. */
    public static final TractRelease NEWEST_SUPPORTED = parse(NEWEST_SUPPORTED_TEXT);

    /** Validates the parts. */
    public TractRelease {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException(
                    "negative version part in " + major + "." + minor + "." + patch);
        }
    }

    /**
     * Reads a release number written alone, {@code X.Y.Z} with an optional leading {@code v} (as
     * {@code --tract-version} and a model's recorded {@code tract_target_version} give it).
     *
     * @throws IllegalArgumentException quoting the text when it is not one
     */
    public static TractRelease parse(String text) {
        Matcher m = RELEASE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "tract version '" + text + "' is not of the form X.Y.Z");
        }
        return of(m);
    }

    /**
     * As {@link #parse}, refusing a release older than {@link #OLDEST_SUPPORTED}.
     *
     * @throws IllegalArgumentException if it is no release number or too old
     */
    public static TractRelease parseSupported(String text) {
        TractRelease r = parse(text);
        if (!r.atLeast(OLDEST_SUPPORTED)) {
            throw new IllegalArgumentException(
                    "tract "
                            + r
                            + " is older than the oldest supported release "
                            + OLDEST_SUPPORTED);
        }
        return r;
    }

    /**
     * Finds the first {@code X.Y.Z} in the output of {@code tract --version} ({@code tract
     * 0.21.13}).
     *
     * @throws IllegalArgumentException quoting the text when there is none
     */
    public static TractRelease fromVersionOutput(String versionOutput) {
        Matcher m = NUMBER.matcher(versionOutput);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "no version number in tract --version output: '" + versionOutput.trim() + "'");
        }
        return of(m);
    }

    private static TractRelease of(Matcher m) {
        return new TractRelease(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /** True when this release is {@code other} or later. */
    public boolean atLeast(TractRelease other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(TractRelease o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
