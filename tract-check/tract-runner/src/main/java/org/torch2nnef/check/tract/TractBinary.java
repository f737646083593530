package org.torch2nnef.check.tract;

import java.nio.file.Path;
import org.torch2nnef.nnef.contract.TractRelease;

/**
 * A located tract executable and its version.
 *
 * @param path the executable
 * @param version what {@code tract --version} reported
 * @param foundVia how it was found: {@code --tract}, {@code TRACT_BIN} or {@code PATH}
 */
public record TractBinary(Path path, TractRelease version, String foundVia) {
    /** The feature table for this binary's version. */
    public TractFeatures features() {
        return new TractFeatures(version);
    }
}
