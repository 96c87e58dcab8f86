package io.splitrank.app.aggregate;

/**
 * Mean of a per-unit value (impressions_per_unit, value_per_unit).
 *
 * @param n exposed units
 * @param sum Σ Y over units
 * @param sumSquares Σ Y²
 * @param cuped X = the same value in the unit's pre-exposure window; null unless asked
 */
public record MeanSums(long n, double sum, double sumSquares, CupedSums cuped) implements SufficientStatistics {
}
