package io.splitrank.app.aggregate;

import io.splitrank.stats.MetricStatistic;

/**
 * One arm's statistics for one metric.
 *
 * @param armIndex the arm's position in the phase's arms (0 = control)
 * @param statistics the stats module's sufficient statistics, of the metric's type; raw sums
 *     (ecpm's numerator is revenue: {@link MetricByArm#scale()} turns it into the displayed value)
 */
public record ArmStatistics(int armIndex, MetricStatistic statistics) {}
