package io.splitrank.stats;

/**
 * A ratio of per-unit sums M/D (CTR, CVR, CTCVR, eCPM): r = mSum/dSum, per-unit delta-method
 * variance s² = σ²_M/μ²_D + σ²_D·μ²_M/μ⁴_D − 2·σ_MD·μ_M/μ³_D.
 *
 * @param n number of units
 * @param mSum Σ M
 * @param mSumSquares Σ M²
 * @param dSum Σ D
 * @param dSumSquares Σ D²
 * @param mdSumProducts Σ M·D
 * @param covariate CUPED covariate sums, or {@code null} without regression adjustment
 */
public record RatioStatistic(
        long n,
        double mSum,
        double mSumSquares,
        double dSum,
        double dSumSquares,
        double mdSumProducts,
        RatioCovariate covariate)
        implements MetricStatistic {

    /** Statistics without a CUPED covariate. */
    public RatioStatistic(
            long n,
            double mSum,
            double mSumSquares,
            double dSum,
            double dSumSquares,
            double mdSumProducts) {
        this(n, mSum, mSumSquares, dSum, dSumSquares, mdSumProducts, null);
    }

    /**
     * The same statistics with the numerator multiplied by {@code factor}, exactly (the sums are
     * linear): eCPM is {@code scaledNumerator(1000)} of revenue per impression.
     */
    public RatioStatistic scaledNumerator(double factor) {
        RatioCovariate scaled =
                covariate == null
                        ? null
                        : new RatioCovariate(
                                covariate.xSum(),
                                covariate.xSumSquares(),
                                factor * covariate.xmSumProducts(),
                                covariate.xdSumProducts());
        return new RatioStatistic(
                n,
                factor * mSum,
                factor * factor * mSumSquares,
                dSum,
                dSumSquares,
                factor * mdSumProducts,
                scaled);
    }

    @Override
    public MetricType type() {
        return MetricType.RATIO;
    }
}
