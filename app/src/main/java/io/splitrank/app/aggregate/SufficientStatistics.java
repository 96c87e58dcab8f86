package io.splitrank.app.aggregate;

/**
 * One arm's sufficient statistics for one metric: what the stats module needs, never raw rows. The
 * report maps these one to one onto {@code io.splitrank.stats} inputs; they live here rather than
 * there so that persistence never leaks into the pure stats module.
 */
public sealed interface SufficientStatistics permits ProportionSums, MeanSums, RatioSums {

    /** Exposed units of the arm (units without events count, with zeros). */
    long n();

    /** CUPED sums when they were asked for, else null. */
    CupedSums cuped();
}
