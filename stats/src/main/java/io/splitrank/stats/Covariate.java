package io.splitrank.stats;

/**
 * CUPED covariate of a mean metric: the same unit's pre-exposure value X, with Y the metric.
 *
 * @param xSum Σ X
 * @param xSumSquares Σ X²
 * @param xySumProducts Σ X·Y
 */
public record Covariate(double xSum, double xSumSquares, double xySumProducts) {}
