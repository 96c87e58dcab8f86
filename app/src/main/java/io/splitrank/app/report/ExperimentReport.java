package io.splitrank.app.report;

import io.splitrank.stats.Comparison;
import io.splitrank.stats.SrmResult;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The live report of an experiment phase, {@code GET .../report} as docs/architecture.md shows it:
 * the same record is answered by the API, pushed on the stream and stored by the scheduled
 * snapshots. Absent values are omitted (the API serialises without nulls), never NaN.
 *
 * @param experiment experiment key
 * @param phase the phase reported on
 * @param status the experiment's status
 * @param scenario the scenario the metrics are restricted to, or null for all
 * @param scenarios the scenarios of the phase's events (each may be asked for)
 * @param updatedAt how fresh the numbers are: the aggregator's last pass
 * @param srm sample ratio mismatch of exposed units against the phase's arm weights
 * @param arms exposed units per arm, control first
 * @param metrics every metric with its per-arm values and comparisons with the control
 * @param decision what to do, from the primary metric's and the guardrails' sequential results
 * @param timeseries per UTC day, decision metric and treatment: cumulative lift and its sequential
 *     interval
 * @param interleaving an interleaving experiment's credits and preferences, else null
 */
@Schema(description = "The live report of an experiment phase")
record ExperimentReport(
        @Schema(description = "Experiment key") String experiment,
        @Schema(description = "The phase reported on (default the current one)") int phase,
        @Schema(description = "draft, running, stopped or archived") String status,
        @Schema(description = "The scenario the metrics are restricted to; absent for all")
                String scenario,
        @Schema(description = "The scenarios of the phase's events; ?scenario= takes one of them")
                List<String> scenarios,
        @Schema(description = "How fresh the numbers are: the aggregator's last pass")
                Instant updatedAt,
        @Schema(description = "Sample ratio mismatch of exposed units against the arm weights")
                SrmResult srm,
        @Schema(description = "Exposed units per arm, control first") List<ArmUnits> arms,
        @Schema(
                        description =
                                "Every metric of the catalogue the events produced, and every decision metric")
                List<MetricReport> metrics,
        @Schema(
                        description =
                                "What to do: ship, rollback, continue or inconclusive, with the reasons")
                ReportDecision decision,
        @Schema(
                        description =
                                "Per UTC day, decision metric and treatment: cumulative lift and its always-valid"
                                        + " interval")
                List<TimeseriesPoint> timeseries,
        @Schema(
                        description =
                                "An interleaving experiment's credits per arm and preferences per pair; absent for A/B")
                InterleavingReport interleaving) {

    /** Exposed units of one arm. */
    @Schema(name = "ReportArm", description = "An arm and its exposed units")
    record ArmUnits(
            @Schema(description = "Arm key") String key,
            @Schema(description = "Ranking model") String model,
            @Schema(description = "Units exposed to the arm in this phase") long units) {}

    /** One metric, every arm. */
    @Schema(name = "ReportMetric", description = "One metric, every arm")
    record MetricReport(
            @Schema(
                            description =
                                    "Metric id: ctr, cvr, ctcvr, ecpm, value_per_unit,"
                                            + " impressions_per_unit, conversion_rate, cvr:<type>, ctcvr:<type>, conversion_rate:<type>")
                    String metric,
            @Schema(description = "Control first") List<ArmMetric> arms) {}

    /**
     * One arm's value of a metric. For a ratio metric numerator and denominator are the arm's
     * totals (eCPM: revenue and impressions, value 1000 × revenue/impressions); for a mean or a
     * proportion they are the sum over units and the number of units.
     *
     * @param comparison the analysis API's comparison with the control; null for the control
     */
    @Schema(name = "ReportArmMetric", description = "One arm's value of a metric")
    record ArmMetric(
            @Schema(description = "Arm key") String key,
            @Schema(description = "Exposed units") long units,
            @Schema(
                            description =
                                    "Ratio: the arm's total numerator (eCPM: revenue); mean, proportion: the sum over"
                                            + " units")
                    double numerator,
            @Schema(
                            description =
                                    "Ratio: the arm's total denominator (e.g. impressions); mean, proportion: units")
                    double denominator,
            @Schema(
                            description =
                                    "numerator / denominator (eCPM: × 1000); absent when the denominator is 0")
                    Double value,
            @Schema(
                            description =
                                    "Comparison with the control, the same object as POST /api/v1/analysis answers;"
                                            + " absent for the control")
                    Comparison comparison) {}

    /** Cumulative lift of a treatment at the end of a UTC day, with its always-valid interval. */
    @Schema(
            name = "ReportTimeseriesPoint",
            description = "Cumulative lift of a treatment at the end of a UTC day")
    record TimeseriesPoint(
            @Schema(description = "UTC day") LocalDate date,
            @Schema(description = "Metric id") String metric,
            @Schema(description = "Treatment arm key") String arm,
            @Schema(
                            description =
                                    "Lift against the control of the units exposed and events up to the end of the day"
                                            + " (without CUPED)")
                    Double cumulativeLift,
            @Schema(description = "Always-valid (sequential) interval of the lift, [lower, upper]")
                    List<Double> ci) {}

    /** The same report stamped with another freshness time (to compare reports by content). */
    ExperimentReport withUpdatedAt(Instant at) {
        return new ExperimentReport(
                experiment,
                phase,
                status,
                scenario,
                scenarios,
                at,
                srm,
                arms,
                metrics,
                decision,
                timeseries,
                interleaving);
    }

    /** The metric with this id, or null. */
    MetricReport metric(String id) {
        return metrics.stream().filter(m -> m.metric().equals(id)).findFirst().orElse(null);
    }
}
