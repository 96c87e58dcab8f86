package io.splitrank.stats;

import java.util.List;

/** Welch t test of a lift: two-sided p-value and Δ ± t(1 − α/2, df)·SE. */
final class FixedHorizonTest {

  private FixedHorizonTest() {}

  static FixedHorizon test(Lift lift, double alpha) {
    return test(lift, alpha, Distributions.normalQuantile(1 - alpha / 2));
  }

  /** With z = Φ⁻¹(1 − α/2) computed once per analysis. */
  static FixedHorizon test(Lift lift, double alpha, double z) {
    double t = lift.estimate() / lift.standardError();
    double df = lift.degreesOfFreedom();
    double pValue = Distributions.tTwoSidedTail(t, df);
    double halfWidth = Distributions.tQuantile(1 - alpha / 2, df, z) * lift.standardError();
    return new FixedHorizon(
        List.of(lift.estimate() - halfWidth, lift.estimate() + halfWidth), pValue, df);
  }
}
