package org.torch2nnef.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * The tract release a checked model was exported for, and where that was learnt: from the caller
 * ({@code check --tract-version}, {@code export --check}), else from the model's own {@code
 * tract_core_properties} ({@link ModelPropertyKeys#TRACT_TARGET_VERSION}, which the exporter
 * writes), else the exporter's default. A tract of another release may still check the model; the
 * check then warns, since an older tract may lack operators the model uses and a newer one proves
 * nothing about the target.
 *
 * @param version the release
 * @param origin where it was learnt
 * @param unreadable a recorded {@code tract_target_version} that is no release number, when the
 *     default was taken because of it
 */
public record ModelTarget(TractRelease version, Origin origin, Optional<String> unreadable) {
    /** Where the target was learnt. */
    public enum Origin {
        /** The caller named it. */
        GIVEN("given"),
        /** The model's {@code tract_core_properties} record it. */
        RECORDED("recorded in the model's tract_core_properties"),
        /** Neither: the exporter's default. */
        DEFAULT("default: the model records no tract_target_version");

        private final String description;

        Origin(String description) {
            this.description = description;
        }

        /** How reports say it. */
        public String description() {
            return description;
        }
    }

    /**
     * @param given the caller's target, if any
     * @param properties the model's {@code tract_core_properties} ({@link
     *     NnefSignature#properties})
     * @return the given target, else the recorded one, else {@link TractRelease#NEWEST_SUPPORTED}
     */
    public static ModelTarget resolve(
            Optional<TractRelease> given, Map<String, String> properties) {
        if (given.isPresent()) {
            return new ModelTarget(given.get(), Origin.GIVEN, Optional.empty());
        }
        String recorded = properties.get(ModelPropertyKeys.TRACT_TARGET_VERSION);
        if (recorded == null) {
            return new ModelTarget(TractRelease.NEWEST_SUPPORTED, Origin.DEFAULT, Optional.empty());
        }
        try {
            return new ModelTarget(TractRelease.parse(recorded), Origin.RECORDED, Optional.empty());
        } catch (IllegalArgumentException e) {
            return new ModelTarget(
                    TractRelease.NEWEST_SUPPORTED, Origin.DEFAULT, Optional.of(recorded));
        }
    }

    /** The target as reports show it: {@code 0.20.22 (recorded in the model's ...)}. */
    public String describe() {
        return version + " (" + (unreadable.isPresent() ? "default" : origin.description()) + ")";
    }

    /**
     * @param checking the release of the tract that checked the model
     * @return what the user should know: an unreadable recorded target, and a tract of another
     *     release than the target
     */
    public List<String> warnings(TractRelease checking) {
        List<String> out = new ArrayList<>();
        unreadable.ifPresent(
                u ->
                        out.add(
                                "the model's "
                                        + ModelPropertyKeys.TRACT_TARGET_VERSION
                                        + " '"
                                        + u
                                        + "' is no tract release number X.Y.Z; assumed the default "
                                        + TractRelease.NEWEST_SUPPORTED));
        if (checking.compareTo(version) < 0) {
            out.add(
                    "the model targets tract "
                            + describe()
                            + " but tract "
                            + checking
                            + " checked it,"
                            + " which may lack operators the model uses (export with --tract-version "
                            + checking
                            + " for it)");
        } else if (checking.compareTo(version) > 0) {
            out.add(
                    "the model targets tract "
                            + describe()
                            + " but tract "
                            + checking
                            + " checked it;"
                            + " whether tract "
                            + version
                            + " loads it is not checked");
        }
        return out;
    }
}
