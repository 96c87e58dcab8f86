package io.splitrank.app.aggregate;

import io.splitrank.stats.MetricType;
import java.util.List;

/**
 * One metric of the catalogue with every arm's sufficient statistics.
 *
 * @param metric the metric id (ctr, cvr:purchase, ecpm, …)
 * @param type the stats module's metric type: which statistic every arm carries
 * @param scale the factor between the statistic and the displayed value: 1000 for ecpm (whose sums
 *     are raw revenue and impressions), 1 otherwise
 * @param capped whether per-unit values were winsorised at {@link ExperimentAggregates#valueCap()}
 * @param arms one entry per arm, ordered by arm index; arms without exposures are absent
 */
public record MetricByArm(
        String metric, MetricType type, double scale, boolean capped, List<ArmStatistics> arms) {

    /**
     * The metric with no arm's statistics: a known metric no event has produced yet (a type nobody
     * converted on).
     */
    static MetricByArm empty(String id) {
        MetricCatalogue.Definition d =
                MetricCatalogue.definition(id)
                        .orElseThrow(() -> new IllegalArgumentException("unknown metric " + id));
        return new MetricByArm(id, d.type(), d.scale(), false, List.of());
    }
}
