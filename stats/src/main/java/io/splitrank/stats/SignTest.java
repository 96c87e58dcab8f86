package io.splitrank.stats;

import java.util.List;

/**
 * Fixed-horizon test of an interleaving preference: the two-sided exact binomial (sign) test of P(b
 * preferred) = ½ over the units with a preference, and the Clopper–Pearson interval of that
 * probability p, also mapped to the preference Δ = 2p − 1.
 *
 * @param ci interval of the preference Δ at level 1 − α, [2·lower − 1, 2·upper − 1] of {@code
 *     winProbabilityCi}, within [−1, 1]
 * @param pValue two-sided exact binomial p-value
 * @param winProbabilityCi Clopper–Pearson interval of P(b preferred) at level 1 − α, within [0, 1]
 */
public record SignTest(List<Double> ci, double pValue, List<Double> winProbabilityCi) {

    /** Copies the intervals. */
    public SignTest {
        ci = List.copyOf(ci);
        winProbabilityCi = List.copyOf(winProbabilityCi);
    }
}
