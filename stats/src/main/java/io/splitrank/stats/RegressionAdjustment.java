package io.splitrank.stats;

import java.util.List;

/**
 * Per-arm moments with CUPED. θ = cov(Y, X)/var(X) is computed once on the units of all arms
 * together (as GrowthBook's engine does for a pair of arms), so every comparison of an analysis
 * uses the same θ; each arm is then adjusted as m_Y − θ·m_X with variance s²_Y + θ²s²_X − 2θ·cov(Y,
 * X). For a ratio, Y is the delta-method linearisation L = (M − r·D)/μ_D.
 */
final class RegressionAdjustment {

    /** Relative size below which a difference of moments is taken for rounding noise. */
    private static final double CANCELLATION = 1e-12;

    private RegressionAdjustment() {}

    /** Moments of every arm; with {@code adjust} every statistic must carry its covariate. */
    static ArmMoments[] moments(List<MetricStatistic> statistics, boolean adjust) {
        double theta = adjust ? theta(statistics) : 0.0;
        ArmMoments[] result = new ArmMoments[statistics.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = armMoments(statistics.get(i), adjust, theta);
        }
        return result;
    }

    /** The pooled slope θ; zero when the covariate does not vary (nothing to adjust with). */
    static double theta(List<MetricStatistic> statistics) {
        double n = 0;
        double ySum = 0;
        double dSum = 0;
        double xSum = 0;
        double xSumSquares = 0;
        double xySum = 0;
        double xdSum = 0;
        for (MetricStatistic s : statistics) {
            n += s.n();
            if (s instanceof MeanStatistic m) {
                ySum += m.sum();
                xSum += m.covariate().xSum();
                xSumSquares += m.covariate().xSumSquares();
                xySum += m.covariate().xySumProducts();
            } else if (s instanceof RatioStatistic r) {
                ySum += r.mSum();
                dSum += r.dSum();
                xSum += r.covariate().xSum();
                xSumSquares += r.covariate().xSumSquares();
                xySum += r.covariate().xmSumProducts();
                xdSum += r.covariate().xdSumProducts();
            }
        }
        if (n < 2) {
            return 0.0;
        }
        double xVariance = (xSumSquares - xSum * xSum / n) / (n - 1);
        double covariance = (xySum - xSum * ySum / n) / (n - 1);
        if (statistics.get(0) instanceof RatioStatistic) {
            if (dSum == 0) {
                return 0.0;
            }
            double ratio = ySum / dSum;
            double xdCovariance = (xdSum - xSum * dSum / n) / (n - 1);
            covariance = (covariance - ratio * xdCovariance) / (dSum / n);
        }
        double theta = covariance / xVariance;
        return xVariance > 0 && Double.isFinite(theta) ? theta : 0.0;
    }

    private static ArmMoments armMoments(MetricStatistic s, boolean adjust, double theta) {
        long n = s.n();
        if (n == 0) {
            return ArmMoments.failed(0, Double.NaN, Double.NaN, "empty arm");
        }
        if (s instanceof ProportionStatistic p) {
            return proportion(p);
        }
        if (s instanceof MeanStatistic m) {
            return mean(m, adjust, theta);
        }
        return ratio((RatioStatistic) s, adjust, theta);
    }

    private static ArmMoments proportion(ProportionStatistic p) {
        double mean = p.sum() / p.n();
        double variance = mean * (1 - mean);
        if (p.n() < 2) {
            return ArmMoments.failed(p.n(), mean, variance, "fewer than two units");
        }
        return new ArmMoments(p.n(), mean, variance, mean, variance, variance, null);
    }

    private static ArmMoments mean(MeanStatistic m, boolean adjust, double theta) {
        long n = m.n();
        double mean = m.sum() / n;
        if (n < 2) {
            return ArmMoments.failed(n, mean, Double.NaN, "fewer than two units");
        }
        double variance = variance(m.sumSquares(), m.sum(), n);
        if (!adjust) {
            return new ArmMoments(n, mean, variance, mean, variance, variance, null);
        }
        Covariate c = m.covariate();
        double xMean = c.xSum() / n;
        double xVariance = variance(c.xSumSquares(), c.xSum(), n);
        double xyCovariance = centred(c.xySumProducts(), c.xSum(), m.sum(), n);
        return adjusted(n, mean, variance, xMean, xVariance, xyCovariance, theta);
    }

    private static ArmMoments ratio(RatioStatistic r, boolean adjust, double theta) {
        long n = r.n();
        if (r.dSum() == 0) {
            return ArmMoments.failed(n, Double.NaN, Double.NaN, "zero denominator (dSum = 0)");
        }
        double ratio = r.mSum() / r.dSum();
        if (n < 2) {
            return ArmMoments.failed(n, ratio, Double.NaN, "fewer than two units");
        }
        double mMean = r.mSum() / n;
        double dMean = r.dSum() / n;
        double mVariance = variance(r.mSumSquares(), r.mSum(), n);
        double dVariance = variance(r.dSumSquares(), r.dSum(), n);
        double mdCovariance = centred(r.mdSumProducts(), r.mSum(), r.dSum(), n);
        double numeratorTerm = mVariance / (dMean * dMean);
        double denominatorTerm = dVariance * mMean * mMean / Math.pow(dMean, 4);
        double covarianceTerm = 2 * mdCovariance * mMean / Math.pow(dMean, 3);
        // M proportional to D leaves only rounding noise, which must not pass for information
        double variance =
                cancelled(
                        numeratorTerm + denominatorTerm - covarianceTerm,
                        numeratorTerm + denominatorTerm + Math.abs(covarianceTerm));
        if (!adjust) {
            return new ArmMoments(n, ratio, variance, ratio, variance, variance, null);
        }
        RatioCovariate c = r.covariate();
        double xMean = c.xSum() / n;
        double xVariance = variance(c.xSumSquares(), c.xSum(), n);
        double xmCovariance = centred(c.xmSumProducts(), c.xSum(), r.mSum(), n);
        double xdCovariance = centred(c.xdSumProducts(), c.xSum(), r.dSum(), n);
        double xlCovariance = (xmCovariance - ratio * xdCovariance) / dMean;
        return adjusted(n, ratio, variance, xMean, xVariance, xlCovariance, theta);
    }

    private static ArmMoments adjusted(
            long n,
            double mean,
            double variance,
            double xMean,
            double xVariance,
            double xyCovariance,
            double theta) {
        double adjustedVariance =
                cancelled(
                        variance + theta * theta * xVariance - 2 * theta * xyCovariance,
                        variance + theta * theta * xVariance + Math.abs(2 * theta * xyCovariance));
        return new ArmMoments(
                n,
                mean,
                variance,
                mean - theta * xMean,
                adjustedVariance,
                variance - theta * xyCovariance,
                null);
    }

    /** Sample covariance (n − 1 denominator) from a sum of products and the two sums. */
    private static double centred(double sumProducts, double sumA, double sumB, long n) {
        return (sumProducts - sumA * sumB / n) / (n - 1);
    }

    /**
     * Sample variance. For a constant metric, Σy² − (Σy)²/n is rounding noise of either sign (0.1 a
     * hundred times gives 5e-18), which would otherwise pass for a real, tiny variance.
     */
    private static double variance(double sumSquares, double sum, long n) {
        return cancelled(centred(sumSquares, sum, sum, n), sumSquares / (n - 1));
    }

    /**
     * Zero when {@code difference} is within rounding of cancelling terms of size {@code scale}.
     */
    private static double cancelled(double difference, double scale) {
        return difference <= CANCELLATION * scale ? 0.0 : difference;
    }
}
