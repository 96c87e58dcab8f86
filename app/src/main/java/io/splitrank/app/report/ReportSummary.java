package io.splitrank.app.report;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One experiment's line in the experiments list: its decision and primary lift per treatment.
 *
 * @param experiment experiment key
 * @param phase the current phase
 * @param status running or stopped
 * @param metric the primary metric
 * @param outcome the decision's outcome
 * @param arm the decision's arm, if any
 * @param arms the primary metric per treatment
 * @param error why the report could not be computed, else null
 */
@Schema(description = "An experiment's decision and primary lift per treatment")
record ReportSummary(
        String experiment,
        int phase,
        String status,
        String metric,
        String outcome,
        String arm,
        List<ArmLift> arms,
        String error) {

    /** A treatment's primary lift; significant when the decision's test says so. */
    @Schema(name = "ReportSummaryArm", description = "A treatment's primary lift")
    record ArmLift(
            String arm, Double estimate, List<Double> ci, Double pValue, boolean significant) {}

    static ReportSummary of(ExperimentReport report) {
        ReportDecision d = report.decision();
        return new ReportSummary(
                report.experiment(),
                report.phase(),
                report.status(),
                d.primary().metric(),
                d.outcome(),
                d.arm(),
                d.primary().arms().stream()
                        .map(
                                v ->
                                        new ArmLift(
                                                v.arm(),
                                                v.estimate(),
                                                v.ci(),
                                                v.pValue(),
                                                v.verdict().equals("better")
                                                        || v.verdict().equals("worse")))
                        .toList(),
                null);
    }
}
