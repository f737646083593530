package org.torch2nnef.check.tract;

import java.util.Optional;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * The one place that knows which tract command-line features exist from which release. Facts come
 * from tract's {@code cli/src/main.rs}, {@code cli/src/params.rs} and {@code data/src/tensor.rs} at
 * each release tag (tags 0.20.8 to 0.20.17 were not available to check, so features first seen in
 * 0.20.18 are dated 0.20.18):
 *
 * <table>
 *   <caption>tract CLI features by release</caption>
 *   <tr><th>feature</th><th>since</th></tr>
 *   <tr><td>{@code run --input-from-bundle}, {@code --assert-output-bundle},
 *       {@code --allow-float-casts}; global {@code --nnef-tract-core}, {@code --nnef-tract-pulse},
 *       {@code -O}</td><td>0.20.0 (oldest supported; {@code --nnef-tract-core} is a hidden no-op
 *       in 0.23)</td></tr>
 *   <tr><td>{@code run --save-outputs-npz}</td><td>0.20.18</td></tr>
 *   <tr><td>{@code --nnef-tract-extra}</td><td>0.20.19</td></tr>
 *   <tr><td>{@code --approx exact|close|approximate|super}; before this, bundle assertions always
 *       use {@code approximate}; in 0.21.7 {@code super} has today's {@code very} tolerances
 *       (atol 5e-2, rtol 1e-2)</td><td>0.21.7</td></tr>
 *   <tr><td>{@code --approx very|super|ultra} with today's tolerances and outlier ratios</td>
 *       <td>0.21.8</td></tr>
 *   <tr><td>{@code --approx-custom atol,rtol,outliers}</td><td>0.21.10</td></tr>
 *   <tr><td>{@code --nnef-tract-transformers}</td><td>0.21.13</td></tr>
 * </table>
 */
public final class TractFeatures {
    /** {@code run --save-outputs-npz FILE}. */
    public static final TractRelease SAVE_OUTPUTS_NPZ = new TractRelease(0, 20, 18);

    /** {@code --nnef-tract-extra}. */
    public static final TractRelease NNEF_TRACT_EXTRA = new TractRelease(0, 20, 19);

    /** {@code --approx} with exact, close, approximate, super. */
    public static final TractRelease APPROX = new TractRelease(0, 21, 7);

    /** {@code --approx} with all six levels at today's tolerances. */
    public static final TractRelease APPROX_ALL_LEVELS = new TractRelease(0, 21, 8);

    /** {@code --approx-custom}. */
    public static final TractRelease APPROX_CUSTOM = new TractRelease(0, 21, 10);

    /** {@code --nnef-tract-transformers}. */
    public static final TractRelease NNEF_TRACT_TRANSFORMERS = new TractRelease(0, 21, 13);

    private final TractRelease version;

    /** Features of {@code version}. */
    public TractFeatures(TractRelease version) {
        this.version = version;
    }

    /** The version described. */
    public TractRelease version() {
        return version;
    }

    /** Whether we know how to drive this release at all. */
    public boolean supported() {
        return version.atLeast(TractRelease.OLDEST_SUPPORTED);
    }

    /** Whether {@code run --save-outputs-npz} exists. */
    public boolean saveOutputsNpz() {
        return version.atLeast(SAVE_OUTPUTS_NPZ);
    }

    /** Whether {@code --nnef-tract-extra} exists. */
    public boolean nnefTractExtra() {
        return version.atLeast(NNEF_TRACT_EXTRA);
    }

    /** Whether {@code --approx-custom} exists. */
    public boolean approxCustom() {
        return version.atLeast(APPROX_CUSTOM);
    }

    /** Whether {@code --nnef-tract-transformers} exists. */
    public boolean nnefTractTransformers() {
        return version.atLeast(NNEF_TRACT_TRANSFORMERS);
    }

    /**
     * The {@code --approx} value that makes this release check at {@code wanted}, or the closest
     * stricter level it has; empty when the release has no {@code --approx} at all.
     */
    public Optional<String> approxArgument(Approximation wanted) {
        if (!version.atLeast(APPROX)) {
            return Optional.empty();
        }
        if (version.atLeast(APPROX_ALL_LEVELS)) {
            return Optional.of(wanted.cliName());
        }
        return switch (wanted) {
            case EXACT, CLOSE, APPROXIMATE -> Optional.of(wanted.cliName());
            // 0.21.7's "super" is today's "very", the loosest level it has.
            case VERY, SUPER, ULTRA -> Optional.of(Approximation.SUPER.cliName());
        };
    }

    /** The level this release actually applies when asked for {@code wanted}. */
    public Approximation effectiveApproximation(Approximation wanted) {
        if (!version.atLeast(APPROX)) {
            return Approximation.APPROXIMATE;
        }
        if (version.atLeast(APPROX_ALL_LEVELS)) {
            return wanted;
        }
        return switch (wanted) {
            case EXACT, CLOSE, APPROXIMATE -> wanted;
            case VERY, SUPER, ULTRA -> Approximation.VERY;
        };
    }
}
