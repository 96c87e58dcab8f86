package io.splitrank.app.report;

import io.splitrank.stats.Comparison;
import io.splitrank.stats.SrmResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The live report of an experiment phase, shaped as DESIGN.md's {@code GET .../report}: the same
 * record is answered by the API, pushed on the stream and stored by the scheduled snapshots. Absent
 * values are omitted (the API serialises without nulls), never NaN.
 *
 * @param experiment experiment key
 * @param phase the phase reported on
 * @param status the experiment's status
 * @param scenario the scenario the metrics are restricted to, or null for all
 * @param updatedAt how fresh the numbers are: the aggregator's last pass
 * @param srm sample ratio mismatch of exposed units against the phase's arm weights
 * @param arms exposed units per arm, control first
 * @param metrics every metric with its per-arm values and comparisons with the control
 * @param decision what to do, from the primary metric's and the guardrails' sequential results
 * @param timeseries per UTC day, decision metric and treatment: cumulative lift and its sequential interval
 */
record ExperimentReport(String experiment, int phase, String status, String scenario, Instant updatedAt,
        SrmResult srm, List<ArmUnits> arms, List<MetricReport> metrics, ReportDecision decision,
        List<TimeseriesPoint> timeseries) {

    /** Exposed units of one arm. */
    record ArmUnits(String key, String model, long units) {
    }

    /** One metric, every arm. */
    record MetricReport(String metric, List<ArmMetric> arms) {
    }

    /**
     * One arm's value of a metric. For a ratio metric numerator and denominator are the arm's totals
     * (eCPM: revenue and impressions, value 1000 × revenue/impressions); for a mean or a proportion
     * they are the sum over units and the number of units.
     *
     * @param comparison the analysis API's comparison with the control; null for the control
     */
    record ArmMetric(String key, long units, double numerator, double denominator, Double value,
            Comparison comparison) {
    }

    /** Cumulative lift of a treatment at the end of a UTC day, with its always-valid interval. */
    record TimeseriesPoint(LocalDate date, String metric, String arm, Double cumulativeLift, List<Double> ci) {
    }

    /** The same report stamped with another freshness time (to compare reports by content). */
    ExperimentReport withUpdatedAt(Instant at) {
        return new ExperimentReport(experiment, phase, status, scenario, at, srm, arms, metrics, decision, timeseries);
    }

    /** The metric with this id, or null. */
    MetricReport metric(String id) {
        return metrics.stream().filter(m -> m.metric().equals(id)).findFirst().orElse(null);
    }
}
