package io.splitrank.app.aggregate;

/**
 * CUPED covariate sums over an arm's exposed units: X is the unit's pre-exposure value of the metric
 * (its numerator for a ratio), counted from the unit's events in the {@code analysis.cupedDays}
 * days before its first exposure. Maps onto the stats module's {@code Covariate} (mean, proportion:
 * xSum, xSumSquares, xySumProducts) and {@code RatioCovariate} (xmSumProducts = xySumProducts,
 * xdSumProducts).
 *
 * @param xSum Σ X
 * @param xSumSquares Σ X²
 * @param xySumProducts Σ X·Y (for a ratio Σ X·M)
 * @param xdSumProducts Σ X·D for a ratio; 0 for a mean or proportion
 */
public record CupedSums(double xSum, double xSumSquares, double xySumProducts, double xdSumProducts) {
}
