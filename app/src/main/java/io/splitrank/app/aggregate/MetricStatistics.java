package io.splitrank.app.aggregate;

import java.util.List;

/**
 * One metric of the catalogue with every arm's sufficient statistics.
 *
 * @param metric the metric id (ctr, cvr:purchase, ecpm, …)
 * @param kind which sufficient statistics the arms carry
 * @param scale the factor between the statistic and the displayed value: 1000 for ecpm (whose sums
 *     are raw revenue and impressions), 1 otherwise
 * @param capped whether per-unit values were winsorised at {@link ExperimentAggregates#valueCap()}
 * @param arms one entry per arm, ordered by arm index; arms without exposures are absent
 */
public record MetricStatistics(String metric, MetricKind kind, double scale, boolean capped, List<ArmStatistics> arms) {
}
