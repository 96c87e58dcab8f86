package io.splitrank.stats;

/**
 * A per-unit value: mean m = sum/n, variance s² = (sumSquares − sum²/n)/(n − 1).
 *
 * @param n number of units
 * @param sum Σ Y
 * @param sumSquares Σ Y²
 * @param covariate CUPED covariate sums, or {@code null} without regression adjustment
 */
public record MeanStatistic(long n, double sum, double sumSquares, Covariate covariate)
        implements MetricStatistic {

    /** Statistics without a CUPED covariate. */
    public MeanStatistic(long n, double sum, double sumSquares) {
        this(n, sum, sumSquares, null);
    }

    @Override
    public MetricType type() {
        return MetricType.MEAN;
    }
}
