package io.splitrank.stats;

import java.util.List;

/** Welch t test of a lift: two-sided p-value and Δ ± t(1 − α/2, df)·SE. */
final class FixedHorizonInference {

    private FixedHorizonInference() {}

    static FixedHorizon test(Lift lift, double alpha) {
        double t = lift.estimate() / lift.standardError();
        double df = lift.degreesOfFreedom();
        double pValue = Distributions.tTwoSidedTail(t, df);
        double halfWidth = Distributions.tQuantile(1 - alpha / 2, df) * lift.standardError();
        return new FixedHorizon(
                List.of(lift.estimate() - halfWidth, lift.estimate() + halfWidth), pValue, df);
    }
}
