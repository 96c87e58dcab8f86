package io.splitrank.stats;

import java.util.List;

/**
 * Posterior summary of the lift under a flat or a normal prior.
 *
 * @param chanceToWin posterior probability that the lift is positive
 * @param ci central credible interval at level 1 − α
 * @param risk expected loss of choosing each arm
 */
public record Bayesian(double chanceToWin, List<Double> ci, Risk risk) {

    /** Copies the interval. */
    public Bayesian {
        ci = List.copyOf(ci);
    }
}
