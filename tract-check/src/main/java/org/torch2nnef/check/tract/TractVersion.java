package org.torch2nnef.check.tract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tract release number.
 *
 * @param major major
 * @param minor minor
 * @param patch patch
 */
public record TractVersion(int major, int minor, int patch) implements Comparable<TractVersion> {
  private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final Pattern RELEASE = Pattern.compile("v?" + NUMBER.pattern());

  /**
   * Finds the first {@code X.Y.Z} in the output of {@code tract --version} ({@code tract 0.21.13}).
   *
   * @throws IllegalArgumentException quoting the text when there is none
   */
  public static TractVersion parse(String versionOutput) {
    Matcher m = NUMBER.matcher(versionOutput);
    if (!m.find()) {
      throw new IllegalArgumentException(
          "no version number in tract --version output: '" + versionOutput.trim() + "'");
    }
    return new TractVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
  }

  /**
   * Reads a release number written alone, {@code X.Y.Z} with an optional leading {@code v} (as in
   * a model's recorded {@code tract_target_version}).
   *
   * @throws IllegalArgumentException quoting the text when it is not one
   */
  public static TractVersion parseRelease(String text) {
    Matcher m = RELEASE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a tract release number X.Y.Z");
    }
    return new TractVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
        Integer.parseInt(m.group(3)));
  }

  /** True when this version is {@code other} or later. */
  public boolean atLeast(TractVersion other) {
    return compareTo(other) >= 0;
  }

  @Override
  public int compareTo(TractVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
