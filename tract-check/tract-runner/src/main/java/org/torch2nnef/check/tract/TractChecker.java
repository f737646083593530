package org.torch2nnef.check.tract;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.torch2nnef.check.CheckJob;
import org.torch2nnef.check.CheckRequest;
import org.torch2nnef.check.Checker;
import org.torch2nnef.check.CheckerMode;
import org.torch2nnef.check.ExternalInput;
import org.torch2nnef.check.ModelTarget;
import org.torch2nnef.check.report.CheckReport;

/**
 * The tract {@link Checker}: runs the located tract on the model ({@link TractCheck}) and says when
 * that tract is another release than the one the model targets ({@link ModelTarget}).
 */
public final class TractChecker implements Checker {
    private final TractLocator locator;

    /** A checker locating tract through the process environment ({@code TRACT_BIN}, PATH). */
    public TractChecker() {
        this(new TractLocator());
    }

    /** A checker locating tract with {@code locator}. */
    public TractChecker(TractLocator locator) {
        this.locator = locator;
    }

    @Override
    public CheckerMode mode() {
        return CheckerMode.TRACT;
    }

    @Override
    public Preparation prepare(CheckRequest request) {
        TractBinary tract;
        try {
            tract = locator.locate(request.tract());
        } catch (TractUnavailableException e) {
            return new Unavailable(
                    e.getMessage(),
                    request.tract().isPresent()
                            ? Optional.empty()
                            : Optional.of(
                                    "tract not found (--tract, " + TractLocator.ENV + ", PATH)"));
        }
        return new Ready(
                new TractRun(tract), "tract " + tract.version() + " found via " + tract.foundVia());
    }

    /** A check by one located tract. */
    private final class TractRun implements Run {
        private final TractBinary tract;

        TractRun(TractBinary tract) {
            this.tract = tract;
        }

        @Override
        public CheckReport check(CheckJob job) {
            CheckRequest request = job.request();
            CheckReport report =
                    new TractCheck(locator)
                            .check(
                                    new TractCheckRequest(
                                            request.nnefModel(),
                                            job.ioNpz(),
                                            job.signature().outputs(),
                                            request.approximation(),
                                            job.signature().tractExtra(),
                                            request.tract(),
                                            request.timeout(),
                                            job.work(),
                                            job.signature().outputSteps(),
                                            request.stepTolerance(),
                                            request.tractLoading(),
                                            symbolValues(job)));
            ModelTarget target =
                    ModelTarget.resolve(request.tractTarget(), job.signature().properties());
            return report.withTractTarget(target.describe(), target.warnings(tract.version()));
        }

        /** Each symbol's value at the check's inputs: the size of an input axis it names. */
        private static Map<String, Long> symbolValues(CheckJob job) {
            Map<String, Long> values = new TreeMap<>();
            for (ExternalInput in : job.signature().inputs()) {
                long[] shape = job.io().get(in.name()).shape();
                for (int i = 0; i < in.dims().size() && i < shape.length; i++) {
                    int axis = i;
                    in.symbol(i).ifPresent(s -> values.putIfAbsent(s, shape[axis]));
                }
            }
            return values;
        }

        @Override
        public Optional<String> toolVersion() {
            return Optional.of(tract.version().toString());
        }
    }
}
