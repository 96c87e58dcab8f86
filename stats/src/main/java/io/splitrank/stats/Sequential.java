package io.splitrank.stats;

import java.util.List;

/**
 * Always-valid asymptotic confidence sequence of the lift (or of an interleaving preference, see
 * {@link InterleavingAnalysis}): safe to look at after every batch.
 *
 * @param ci confidence sequence at time n, [lower, upper]
 * @param pValue always-valid p-value, the smallest α at which the sequence excludes 0
 */
public record Sequential(List<Double> ci, double pValue) {

    /** Copies the interval. */
    public Sequential {
        ci = List.copyOf(ci);
    }
}
