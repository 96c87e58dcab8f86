package io.splitrank.app.aggregate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the report needs from the event log for one experiment phase: exposed units per arm
 * and the sufficient statistics of every metric in the catalogue.
 *
 * @param experimentId the experiment's database id
 * @param phase the phase
 * @param scenario the scenario the statistics are restricted to, or null for all
 * @param capPercentile the percentile values were capped at, or null
 * @param valueCap the cap applied to each unit's value (value_per_unit, the ecpm numerator), or
 *     null
 * @param processedAt when the aggregator last attributed events (how fresh these numbers are), or
 *     null
 * @param arms exposed units per arm
 * @param metrics every metric, ordered as the catalogue: impressions_per_unit, ctr, cvr, ctcvr,
 *     ecpm, value_per_unit, conversion_rate, then cvr:&lt;type&gt;, ctcvr:&lt;type&gt;,
 *     conversion_rate:&lt;type&gt; for each conversion type seen, by type name
 */
public record ExperimentAggregates(
        long experimentId,
        int phase,
        String scenario,
        Double capPercentile,
        Double valueCap,
        Instant processedAt,
        List<ArmExposures> arms,
        List<MetricByArm> metrics) {

    /** The metric with this id, if any event produced it. */
    public Optional<MetricByArm> metric(String id) {
        return metrics.stream().filter(m -> m.metric().equals(id)).findFirst();
    }

    /**
     * The metric with this id, or, for a metric of the catalogue no event has produced yet (a
     * conversion type nobody converted on), one without arm statistics.
     *
     * @throws IllegalArgumentException if the catalogue has no such metric
     */
    public MetricByArm metricOrEmpty(String id) {
        return metric(id).orElseGet(() -> MetricByArm.empty(id));
    }
}
