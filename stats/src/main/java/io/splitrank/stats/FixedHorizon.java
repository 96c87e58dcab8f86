package io.splitrank.stats;

import java.util.List;

/**
 * Fixed-horizon Welch t test of the lift.
 *
 * @param ci two-sided confidence interval [lower, upper] at level 1 − α
 * @param pValue two-sided p-value
 * @param degreesOfFreedom Welch–Satterthwaite degrees of freedom
 */
public record FixedHorizon(List<Double> ci, double pValue, double degreesOfFreedom) {

    /** Copies the interval. */
    public FixedHorizon {
        ci = List.copyOf(ci);
    }
}
