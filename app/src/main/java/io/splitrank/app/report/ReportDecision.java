package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.SrmResult;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's recommendation, from always-valid (sequential) results only, because a live report
 * is watched every minute and a fixed-horizon interval peeked at that often lies
 * (docs/statistics.md). Every metric of the catalogue is taken as "higher is better". The rule, in
 * order:
 *
 * <ol>
 *   <li><b>stop</b> when the exposures show a sample ratio mismatch (the assignment is broken, no
 *       lift can be trusted);
 *   <li><b>ship</b> the treatment whose primary metric's sequential interval lies wholly above 0
 *       and none of whose guardrails has a sequential interval wholly below 0 (the largest primary
 *       lift when several qualify);
 *   <li><b>stop</b> when every treatment is harmed: its primary interval lies wholly below 0 or one
 *       of its guardrails' does;
 *   <li>otherwise <b>keep-running</b> (not enough evidence yet, or no data).
 * </ol>
 *
 * @param recommendation ship, keep-running or stop
 * @param arm the treatment to ship (only with ship)
 * @param reason one sentence a person can act on
 * @param primary the primary metric's sequential result per treatment
 * @param guardrails every guardrail's sequential result per treatment
 */
@Schema(
        description =
                "The recommendation: stop on a sample ratio mismatch; ship the treatment whose primary"
                        + " metric's sequential interval lies above 0 and none of whose guardrails' lies below 0; stop when every"
                        + " treatment is harmed; else keep-running")
record ReportDecision(
        @Schema(description = "ship, keep-running or stop") String recommendation,
        @Schema(description = "The treatment to ship (only with ship)") String arm,
        @Schema(description = "Why, in one sentence") String reason,
        @Schema(description = "The primary metric's sequential result per treatment")
                Primary primary,
        @Schema(description = "Every guardrail's sequential result per treatment")
                List<Guardrail> guardrails) {

    static final String SHIP = "ship";
    static final String KEEP_RUNNING = "keep-running";
    static final String STOP = "stop";

    /** The primary metric's results. */
    @Schema(name = "DecisionPrimary", description = "The primary metric's sequential results")
    record Primary(
            @Schema(description = "Primary metric id") String metric,
            @Schema(description = "One per treatment") List<Verdict> arms) {}

    /**
     * A treatment's sequential result on one metric.
     *
     * @param verdict better (interval above 0), worse (below 0), inconclusive, or no-data
     */
    @Schema(
            name = "DecisionVerdict",
            description = "A treatment's sequential result on the primary metric")
    record Verdict(
            @Schema(description = "Treatment arm key") String arm,
            @Schema(description = "Lift against the control") Double estimate,
            @Schema(description = "Always-valid interval of the lift") List<Double> ci,
            @Schema(description = "Always-valid p-value") Double pValue,
            @Schema(description = "better, worse, inconclusive or no-data") String verdict) {}

    /** A guardrail's sequential result for one treatment; harmed when its interval lies below 0. */
    @Schema(
            name = "DecisionGuardrail",
            description = "A guardrail's sequential result for one treatment")
    record Guardrail(
            @Schema(description = "Guardrail metric id") String metric,
            @Schema(description = "Treatment arm key") String arm,
            @Schema(description = "Lift against the control") Double estimate,
            @Schema(description = "Always-valid interval of the lift") List<Double> ci,
            @Schema(description = "Always-valid p-value") Double pValue,
            @Schema(description = "Whether the interval lies wholly below 0") boolean harmed) {}

    static ReportDecision decide(
            ExperimentSettings settings, SrmResult srm, List<MetricReport> metrics) {
        MetricReport primaryMetric = find(metrics, settings.primary());
        List<Verdict> primaryArms = new ArrayList<>();
        List<Guardrail> guardrails = new ArrayList<>();
        List<String> treatments =
                settings.arms().stream().skip(1).map(ExperimentSettings.Arm::key).toList();
        for (String arm : treatments) {
            primaryArms.add(verdict(arm, comparison(primaryMetric, arm)));
        }
        for (String g : settings.guardrails()) {
            if (g.equals(settings.primary())) {
                continue;
            }
            MetricReport m = find(metrics, g);
            for (String arm : treatments) {
                Verdict v = verdict(arm, comparison(m, arm));
                guardrails.add(
                        new Guardrail(
                                g,
                                arm,
                                v.estimate(),
                                v.ci(),
                                v.pValue(),
                                v.verdict().equals("worse")));
            }
        }
        Primary primary = new Primary(settings.primary(), primaryArms);
        if (srm != null && srm.mismatch()) {
            return new ReportDecision(
                    STOP,
                    null,
                    "sample ratio mismatch (p = "
                            + format(srm.pValue())
                            + "): exposures do not follow the arm weights, so no lift can be trusted; fix the assignment",
                    primary,
                    guardrails);
        }
        Verdict best = null;
        int harmedArms = 0;
        List<String> harms = new ArrayList<>();
        for (Verdict v : primaryArms) {
            List<String> harmedBy =
                    guardrails.stream()
                            .filter(g -> g.arm().equals(v.arm()) && g.harmed())
                            .map(Guardrail::metric)
                            .toList();
            if (v.verdict().equals("worse") || !harmedBy.isEmpty()) {
                harmedArms++;
                harms.add(
                        v.arm()
                                + (v.verdict().equals("worse")
                                        ? " lowers " + settings.primary()
                                        : "")
                                + (harmedBy.isEmpty()
                                        ? ""
                                        : (v.verdict().equals("worse") ? " and" : "")
                                                + " harms guardrail "
                                                + String.join(", ", harmedBy)));
            } else if (v.verdict().equals("better")
                    && (best == null || v.estimate() > best.estimate())) {
                best = v;
            }
        }
        if (best != null) {
            return new ReportDecision(
                    SHIP,
                    best.arm(),
                    best.arm()
                            + " raises "
                            + settings.primary()
                            + " by "
                            + format(best.estimate())
                            + " (always-valid interval "
                            + interval(best.ci())
                            + " excludes 0) and harms no guardrail",
                    primary,
                    guardrails);
        }
        if (!treatments.isEmpty() && harmedArms == treatments.size()) {
            return new ReportDecision(STOP, null, String.join("; ", harms), primary, guardrails);
        }
        boolean noData = primaryArms.stream().allMatch(v -> v.verdict().equals("no-data"));
        String reason =
                noData
                        ? "not enough data yet to compare "
                                + settings.primary()
                                + " with the control"
                        : "no treatment's always-valid interval of "
                                + settings.primary()
                                + " excludes 0 yet"
                                + (harms.isEmpty() ? "" : " (" + String.join("; ", harms) + ")");
        return new ReportDecision(KEEP_RUNNING, null, reason, primary, guardrails);
    }

    private static Verdict verdict(String arm, Comparison c) {
        if (c == null || !c.computed() || c.sequential() == null) {
            return new Verdict(arm, null, null, null, "no-data");
        }
        List<Double> ci = c.sequential().ci();
        String verdict = ci.get(0) > 0 ? "better" : ci.get(1) < 0 ? "worse" : "inconclusive";
        return new Verdict(arm, c.estimate(), ci, c.sequential().pValue(), verdict);
    }

    private static MetricReport find(List<MetricReport> metrics, String id) {
        return metrics.stream().filter(m -> m.metric().equals(id)).findFirst().orElse(null);
    }

    private static Comparison comparison(MetricReport metric, String arm) {
        if (metric == null) {
            return null;
        }
        return metric.arms().stream()
                .filter(a -> a.key().equals(arm))
                .map(ArmMetric::comparison)
                .findFirst()
                .orElse(null);
    }

    private static String interval(List<Double> ci) {
        return "[" + format(ci.get(0)) + ", " + format(ci.get(1)) + "]";
    }

    static String format(Double x) {
        return x == null ? "n/a" : String.format(java.util.Locale.ROOT, "%.4g", x);
    }
}
