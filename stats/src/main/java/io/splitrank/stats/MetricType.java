package io.splitrank.stats;

/**
 * The kind of metric an analysis compares, which decides the sufficient statistics each arm
 * carries.
 */
public enum MetricType {
    /** Share of units with at least one conversion: {@link ProportionStatistic}. */
    PROPORTION,
    /** Mean of a per-unit value: {@link MeanStatistic}. */
    MEAN,
    /** Ratio of two per-unit sums, analysed by the delta method: {@link RatioStatistic}. */
    RATIO
}
