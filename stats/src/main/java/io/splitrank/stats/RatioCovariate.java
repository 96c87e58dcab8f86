package io.splitrank.stats;

/**
 * CUPED covariate of a ratio metric M/D: one pre-exposure value X per unit (for example the unit's
 * pre-period numerator), with its cross products with both the numerator and the denominator. The
 * ratio is linearised by the delta method, L = (M − r·D)/μ_D, and X adjusts L exactly as it adjusts
 * a mean metric; cov(L, X) = (cov(M, X) − r·cov(D, X))/μ_D needs both products, hence two fields
 * where a mean metric has one {@code xySumProducts}.
 *
 * @param xSum Σ X
 * @param xSumSquares Σ X²
 * @param xmSumProducts Σ X·M
 * @param xdSumProducts Σ X·D
 */
public record RatioCovariate(
        double xSum, double xSumSquares, double xmSumProducts, double xdSumProducts) {}
