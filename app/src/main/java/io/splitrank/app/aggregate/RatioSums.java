package io.splitrank.app.aggregate;

/**
 * Ratio of per-unit sums M/D (ctr, cvr, ctcvr, ecpm and the per-type variants).
 *
 * @param n exposed units
 * @param mSum Σ M
 * @param mSumSquares Σ M²
 * @param dSum Σ D
 * @param dSumSquares Σ D²
 * @param mdSumProducts Σ M·D
 * @param cuped X = the unit's numerator in its pre-exposure window; null unless asked
 */
public record RatioSums(long n, double mSum, double mSumSquares, double dSum, double dSumSquares,
        double mdSumProducts, CupedSums cuped) implements SufficientStatistics {
}
