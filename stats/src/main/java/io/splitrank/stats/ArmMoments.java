package io.splitrank.stats;

/**
 * Per-unit moments of one arm, after regression adjustment when a covariate is used (otherwise the
 * adjusted fields equal the raw ones).
 *
 * @param n units
 * @param mean raw mean m (the ratio r for a ratio metric)
 * @param variance raw per-unit variance s² (delta method for a ratio)
 * @param adjustedMean m − θ·m_X
 * @param adjustedVariance s² + θ²·s²_X − 2θ·cov(Y, X)
 * @param adjustedRawCovariance cov(Y − θX, Y) = s² − θ·cov(Y, X), needed by the relative lift,
 *     whose denominator is the unadjusted control mean
 * @param error why the arm cannot be compared, or null
 */
record ArmMoments(
        long n,
        double mean,
        double variance,
        double adjustedMean,
        double adjustedVariance,
        double adjustedRawCovariance,
        String error) {

    static ArmMoments failed(long n, double mean, double variance, String error) {
        return new ArmMoments(n, mean, variance, Double.NaN, Double.NaN, Double.NaN, error);
    }

    boolean isUsable() {
        return error == null;
    }
}
