package org.torch2nnef.export;

import java.nio.file.Path;
import java.util.Optional;
import org.torch2nnef.check.tract.TractLocator;

/**
 * The tract release the tests that run tract export for: the release of the tract found ({@code
 * TRACT_BIN}, then PATH) when it is older than the default target, so that a run with an older
 * tract tests what that release loads, otherwise (and without tract) the default target.
 */
final class TractUnderTest {
    /** The target of the tests' exports. */
    static final TractTarget TARGET =
            new TractLocator()
                    .find(Optional.empty())
                    .map(t -> TractTarget.forRelease(t.version().toString()))
                    .orElse(TractTarget.NEWEST_SUPPORTED);

    private TractUnderTest() {}

    /** Export options writing to {@code out} for {@link #TARGET}. */
    static ExportOptions.Builder options(Path out) {
        return ExportOptions.builder(out).tract(TARGET);
    }
}
