package io.splitrank.app.aggregate;

/** Which sufficient statistics a metric has, as in STATS.md: the stats module's three input kinds. */
public enum MetricKind {
    /** Share of units with at least one occurrence: {@link ProportionSums}. */
    PROPORTION,
    /** Mean of a per-unit value: {@link MeanSums}. */
    MEAN,
    /** Ratio of per-unit sums M/D, delta method over units: {@link RatioSums}. */
    RATIO
}
