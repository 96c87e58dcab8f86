package io.splitrank.app.report;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live report and its stream. Package-private like every controller: only Spring MVC calls it,
 * and other features use the report through this package's services.
 */
@RestController
@Tag(
        name = "Reports",
        description = "Live experiment reports, their stream and scheduled snapshots")
class ReportController {

    static final String DECISION_RULE =
            "The decision (every metric higher-is-better): rollback when exposures show a sample ratio"
                    + " mismatch (p < 0.001) or a guardrail shows harm (its always-valid interval lies below 0);"
                    + " ship the arm whose primary metric improves"
                    + " significantly after correction (always-valid test, fixed-horizon from analysis.plannedUnits)"
                    + " and harms no guardrail; inconclusive at the planned sample without either; else continue."
                    + " A guardrail is non-inferior when its always-valid lower bound lies above -margin (default"
                    + " 2%).";

    private final ReportService reports;
    private final ReportStreams streams;

    ReportController(ReportService reports, ReportStreams streams) {
        this.reports = reports;
        this.streams = streams;
    }

    @GetMapping("/api/v1/experiments/{key}/report")
    @Operation(
            summary = "The live report of an experiment phase",
            description =
                    "Per metric and arm: units,"
                            + " numerator, denominator and value; per treatment the comparison with the control as POST"
                            + " /api/v1/analysis answers it (lift, Welch and always-valid intervals and p-values, chance to win,"
                            + " p-values corrected across all treatments × non-guardrail metrics by the experiment's"
                            + " analysis.correction). Applies the experiment's alpha, differenceType, sequentialTuning,"
                            + " capPercentile and cupedDays. Also the sample ratio check of exposures against the arm weights,"
                            + " the daily cumulative lift of the decision metrics with its always-valid interval, and a decision. "
                            + DECISION_RULE)
    ExperimentReport report(
            @PathVariable String key,
            @Parameter(description = "Restrict the metrics to one scenario")
                    @RequestParam(required = false)
                    String scenario,
            @Parameter(description = "Phase (default the current one)")
                    @RequestParam(required = false)
                    Integer phase) {
        return reports.report(key, scenario, phase);
    }

    @GetMapping("/api/v1/reports/summary")
    @Operation(
            summary = "Each started, non-archived experiment's decision and primary lift per arm",
            description =
                    "For the experiments list: per running or stopped experiment (newest first) the current phase's"
                            + " decision outcome and, per treatment, the primary metric's lift, the interval of the test"
                            + " the decision used, and whether it is significant. An experiment whose report fails"
                            + " carries an error instead.")
    List<ReportSummary> summaries() {
        return reports.summaries();
    }

    @GetMapping(
            path = "/api/v1/experiments/{key}/report/stream",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "The live report as server-sent events",
            description =
                    "Sends the current report at once"
                            + " (event 'report', data the report JSON), then again whenever it changes, at most once a second;"
                            + " a comment line every 15 s keeps proxies from closing an idle stream. "
                            + DECISION_RULE)
    SseEmitter stream(
            @PathVariable String key,
            @RequestParam(required = false) String scenario,
            @RequestParam(required = false) Integer phase) {
        return streams.subscribe(
                new ReportStreams.StreamKey(
                        key, scenario == null || scenario.isBlank() ? null : scenario, phase));
    }
}
