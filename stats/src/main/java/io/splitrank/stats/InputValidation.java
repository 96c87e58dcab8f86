package io.splitrank.stats;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Rejects input no data set could have produced, naming the field. Sums of squares are checked
 * against the Cauchy–Schwarz bound Σy² ≥ (Σy)²/n with a relative tolerance, because warehouses
 * compute them in floating point.
 */
final class InputValidation {

    /** Relative slack for sums of squares computed in floating point. */
    static final double TOLERANCE = 1e-9;

    private InputValidation() {}

    static void validate(MetricType type, List<ArmInput> arms, boolean regressionAdjustment) {
        if (type == null) {
            throw new InvalidStatisticsException("metric.type", "is required");
        }
        if (arms == null || arms.size() < 2) {
            throw new InvalidStatisticsException("arms", "at least two arms are needed");
        }
        if (regressionAdjustment && type == MetricType.PROPORTION) {
            throw new InvalidStatisticsException(
                    "metric.cuped", "regression adjustment applies to mean and ratio metrics");
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < arms.size(); i++) {
            String path = "arms[" + i + "]";
            ArmInput arm = arms.get(i);
            if (arm == null) {
                throw new InvalidStatisticsException(path, "is required");
            }
            if (arm.key() == null || arm.key().isBlank()) {
                throw new InvalidStatisticsException(path + ".key", "is required");
            }
            if (!keys.add(arm.key())) {
                throw new InvalidStatisticsException(path + ".key", "duplicate key " + arm.key());
            }
            if (!(arm.weight() > 0) || !Double.isFinite(arm.weight())) {
                throw new InvalidStatisticsException(path + ".weight", "must be positive");
            }
            MetricStatistic s = arm.statistics();
            if (s == null || s.type() != type) {
                throw new InvalidStatisticsException(
                        path, "needs " + type.name().toLowerCase() + " statistics");
            }
            if (s.n() < 0) {
                throw new InvalidStatisticsException(path + ".n", "must not be negative");
            }
            if (s instanceof ProportionStatistic p) {
                proportion(path, p);
            } else if (s instanceof MeanStatistic m) {
                mean(path, m, regressionAdjustment);
            } else {
                ratio(path, (RatioStatistic) s, regressionAdjustment);
            }
        }
    }

    private static void proportion(String path, ProportionStatistic p) {
        finite(path + ".sum", p.sum());
        if (p.sum() < 0 || p.sum() > p.n()) {
            throw new InvalidStatisticsException(path + ".sum", "must lie between 0 and n");
        }
    }

    private static void mean(String path, MeanStatistic m, boolean adjust) {
        squares(path, "sum", m.sum(), "sumSquares", m.sumSquares(), m.n());
        if (!adjust) {
            return;
        }
        Covariate c = m.covariate();
        if (c == null) {
            throw new InvalidStatisticsException(path + ".xSum", "is required when cuped is true");
        }
        squares(path, "xSum", c.xSum(), "xSumSquares", c.xSumSquares(), m.n());
        products(
                path + ".xySumProducts",
                c.xySumProducts(),
                c.xSum(),
                c.xSumSquares(),
                m.sum(),
                m.sumSquares(),
                m.n());
    }

    private static void ratio(String path, RatioStatistic r, boolean adjust) {
        squares(path, "mSum", r.mSum(), "mSumSquares", r.mSumSquares(), r.n());
        squares(path, "dSum", r.dSum(), "dSumSquares", r.dSumSquares(), r.n());
        products(
                path + ".mdSumProducts",
                r.mdSumProducts(),
                r.mSum(),
                r.mSumSquares(),
                r.dSum(),
                r.dSumSquares(),
                r.n());
        if (!adjust) {
            return;
        }
        RatioCovariate c = r.covariate();
        if (c == null) {
            throw new InvalidStatisticsException(path + ".xSum", "is required when cuped is true");
        }
        squares(path, "xSum", c.xSum(), "xSumSquares", c.xSumSquares(), r.n());
        products(
                path + ".xmSumProducts",
                c.xmSumProducts(),
                c.xSum(),
                c.xSumSquares(),
                r.mSum(),
                r.mSumSquares(),
                r.n());
        products(
                path + ".xdSumProducts",
                c.xdSumProducts(),
                c.xSum(),
                c.xSumSquares(),
                r.dSum(),
                r.dSumSquares(),
                r.n());
    }

    private static void squares(
            String path,
            String sumName,
            double sum,
            String squaresName,
            double sumSquares,
            long n) {
        finite(path + "." + sumName, sum);
        finite(path + "." + squaresName, sumSquares);
        if (sumSquares < 0) {
            throw new InvalidStatisticsException(path + "." + squaresName, "must not be negative");
        }
        if (n == 0) {
            if (sum != 0 || sumSquares != 0) {
                throw new InvalidStatisticsException(path + "." + sumName, "must be 0 when n is 0");
            }
            return;
        }
        double bound = sum * sum / n;
        if (sumSquares < bound - TOLERANCE * Math.max(bound, 1.0)) {
            throw new InvalidStatisticsException(
                    path + "." + squaresName, "is smaller than " + sumName + "²/n allows");
        }
    }

    /**
     * |Σab − ΣaΣb/n| ≤ √(centred Σa² · centred Σb²), with slack for rounding: a centred sum of
     * squares is only known to within TOLERANCE·Σa² (a metric with a large mean and a tiny spread
     * loses its spread in Σa² entirely), and the centred product to within TOLERANCE·(|Σab| +
     * |ΣaΣb/n|).
     */
    private static void products(
            String path,
            double sumProducts,
            double sumA,
            double squaresA,
            double sumB,
            double squaresB,
            long n) {
        finite(path, sumProducts);
        if (n == 0) {
            if (sumProducts != 0) {
                throw new InvalidStatisticsException(path, "must be 0 when n is 0");
            }
            return;
        }
        double centredA = Math.max(0.0, squaresA - sumA * sumA / n) + TOLERANCE * squaresA;
        double centredB = Math.max(0.0, squaresB - sumB * sumB / n) + TOLERANCE * squaresB;
        double centredProducts = sumProducts - sumA * sumB / n;
        double slack = TOLERANCE * (Math.abs(sumProducts) + Math.abs(sumA * sumB / n)) + 1e-300;
        if (Math.abs(centredProducts) > Math.sqrt(centredA * centredB) + slack) {
            throw new InvalidStatisticsException(path, "is inconsistent with the sums of squares");
        }
    }

    private static void finite(String path, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidStatisticsException(path, "must be a finite number");
        }
    }
}
