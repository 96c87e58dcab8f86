package io.splitrank.stats;

/**
 * Sufficient statistics of one arm for one metric. Never raw rows: the analysis costs the same
 * whatever the traffic.
 */
public sealed interface MetricStatistic permits ProportionStatistic, MeanStatistic, RatioStatistic {

    /** Number of randomisation units in the arm. */
    long n();

    /** The metric type these statistics belong to. */
    MetricType type();
}
