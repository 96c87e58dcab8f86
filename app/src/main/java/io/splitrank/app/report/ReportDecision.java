package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.MultipleComparisons;
import io.splitrank.stats.SrmResult;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's decision (docs/statistics.md, Guardrails and the decision). Every metric of the
 * catalogue is higher-is-better. Per treatment arm:
 *
 * <ul>
 *   <li><b>rollback</b> when the exposures show a sample ratio mismatch or a guardrail shows harm
 *       (the upper bound of its always-valid interval lies below 0); a primary metric that is
 *       significantly worse is said in the reasons (never ship), and rolls back only when it is
 *       also listed among the guardrails;
 *   <li><b>ship</b> when the primary metric improves significantly after correction (always-valid
 *       test, or fixed-horizon once the planned sample is reached) and no guardrail shows harm; the
 *       reasons say, per guardrail, whether non-inferiority (the lower bound above −margin) is
 *       shown yet;
 *   <li><b>inconclusive</b> when the planned sample is reached without either;
 *   <li><b>continue</b> otherwise.
 * </ul>
 *
 * The experiment's outcome: rollback when any arm's is (safety first), else ship the arm with the
 * largest primary lift among those that ship, else inconclusive when every arm is, else continue.
 * Always-valid intervals can be checked at every aggregation pass without inflating errors, which
 * is what lets the ramp plan watch them continuously.
 *
 * @param outcome ship, rollback, continue or inconclusive
 * @param arm the arm to ship (ship) or the first arm that harms (rollback), else null
 * @param reasons why, each naming a metric and its numbers
 * @param units exposed units of the phase, all arms
 * @param plannedUnits the planned sample, or null
 * @param primary the primary metric's test per treatment
 * @param guardrails every guardrail's judgement per treatment
 * @param arms each treatment's own outcome and reasons
 */
@Schema(
        description =
                "The decision: rollback on harm (a guardrail's always-valid interval below 0, or a sample"
                        + " ratio mismatch); ship the arm whose primary"
                        + " metric improves significantly; inconclusive at the planned sample; else continue")
record ReportDecision(
        @Schema(description = "ship, rollback, continue or inconclusive") String outcome,
        @Schema(description = "The arm to ship (ship) or the first harmful arm (rollback)")
                String arm,
        @Schema(description = "Why, each naming a metric and its numbers") List<String> reasons,
        @Schema(description = "Exposed units of the phase, all arms") long units,
        @Schema(description = "The planned sample (analysis.plannedUnits), if set")
                Long plannedUnits,
        @Schema(description = "The primary metric's test per treatment") Primary primary,
        @Schema(description = "Every guardrail's judgement per treatment")
                List<Guardrail> guardrails,
        @Schema(description = "Each treatment's own outcome") List<ArmDecision> arms) {

    static final String SHIP = "ship";
    static final String ROLLBACK = "rollback";
    static final String CONTINUE = "continue";
    static final String INCONCLUSIVE = "inconclusive";

    static final String HARM = "harm";
    static final String NON_INFERIOR = "non-inferior";
    static final String PENDING = "pending";
    static final String NO_DATA = "no-data";

    /**
     * An interleaving experiment's decision: ship the arm every other arm's units prefer
     * significantly (always-valid, on clicks); otherwise continue.
     */
    static ReportDecision interleaving(InterleavingReport report, ExperimentSettings settings) {
        List<String> reasons = new ArrayList<>();
        for (InterleavingReport.Preferences metric : report.preferences()) {
            for (InterleavingReport.Pair p : metric.pairs()) {
                reasons.add(
                        metric.metric()
                                + ": "
                                + p.b()
                                + " over "
                                + p.a()
                                + " "
                                + (p.preference() == null
                                        ? "n/a (" + p.error() + ")"
                                        : String.format(
                                                Locale.ROOT,
                                                "%+.3f (wins %d, losses %d, ties %d; always-valid p = %s)",
                                                p.preference(),
                                                p.winsB(),
                                                p.winsA(),
                                                p.ties(),
                                                format(p.sequentialPValue()))));
            }
        }
        String outcome = report.winner() == null ? CONTINUE : SHIP;
        if (report.winner() != null) {
            reasons.add(
                    0,
                    report.winner()
                            + " is preferred over every other arm on clicks (always-valid p < "
                            + settings.options().alpha()
                            + ")");
        }
        return new ReportDecision(
                outcome,
                report.winner(),
                List.copyOf(reasons),
                report.units(),
                settings.options().plannedUnits(),
                new Primary("clicks", "sequential", List.of()),
                List.of(),
                List.of());
    }

    /** Whether the decision says to roll back. */
    boolean rollsBack() {
        return ROLLBACK.equals(outcome);
    }

    /** The primary metric's results. */
    @Schema(name = "DecisionPrimary", description = "The primary metric's test per treatment")
    record Primary(
            @Schema(description = "Primary metric id") String metric,
            @Schema(
                            description =
                                    "sequential (always valid) before the planned sample, fixed-horizon from it")
                    String test,
            @Schema(description = "One per treatment") List<Verdict> arms) {}

    /**
     * A treatment's result on the primary metric.
     *
     * @param pValue the test's p-value adjusted for the treatments (the experiment's correction)
     * @param verdict better, worse (significant either way), inconclusive, or no-data
     */
    @Schema(name = "DecisionVerdict", description = "A treatment's result on the primary metric")
    record Verdict(
            @Schema(description = "Treatment arm key") String arm,
            @Schema(description = "Lift against the control") Double estimate,
            @Schema(description = "The test's interval of the lift") List<Double> ci,
            @Schema(description = "The test's p-value, adjusted for the treatments") Double pValue,
            @Schema(description = "better, worse, inconclusive or no-data") String verdict) {}

    /**
     * A guardrail's judgement for one treatment, from its always-valid interval [L, U] of the lift:
     * harm when U &lt; 0, non-inferior when L &gt; −margin, pending otherwise.
     */
    @Schema(name = "DecisionGuardrail", description = "A guardrail's judgement for one treatment")
    record Guardrail(
            @Schema(description = "Guardrail metric id") String metric,
            @Schema(description = "Treatment arm key") String arm,
            @Schema(description = "Lift against the control") Double estimate,
            @Schema(description = "Always-valid interval of the lift") List<Double> ci,
            @Schema(description = "Always-valid p-value") Double pValue,
            @Schema(description = "Non-inferiority margin: the relative harm tolerated")
                    double margin,
            @Schema(description = "harm, non-inferior, pending or no-data") String status) {

        boolean harmed() {
            return HARM.equals(status);
        }
    }

    /** One treatment's outcome and why. */
    @Schema(name = "DecisionArm", description = "One treatment's outcome and why")
    record ArmDecision(
            @Schema(description = "Treatment arm key") String arm,
            @Schema(description = "ship, rollback, continue or inconclusive") String outcome,
            @Schema(description = "Why") List<String> reasons) {}

    static ReportDecision decide(
            ExperimentSettings settings, SrmResult srm, List<MetricReport> metrics, long units) {
        double alpha = settings.options().alpha();
        boolean relative = settings.options().differenceType() == DifferenceType.RELATIVE;
        Long planned = settings.options().plannedUnits();
        boolean fixedHorizon = planned != null && units >= planned;
        List<String> treatments =
                settings.arms().stream().skip(1).map(ExperimentSettings.Arm::key).toList();

        MetricReport primaryMetric = find(metrics, settings.primary());
        List<Comparison> primaryComparisons = new ArrayList<>();
        for (String arm : treatments) {
            primaryComparisons.add(comparison(primaryMetric, arm));
        }
        double[] adjusted = adjustedPValues(settings, primaryComparisons, fixedHorizon);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < treatments.size(); i++) {
            verdicts.add(
                    verdict(
                            treatments.get(i),
                            primaryComparisons.get(i),
                            adjusted[i],
                            alpha,
                            fixedHorizon));
        }

        List<Guardrail> guardrails = new ArrayList<>();
        for (String g : settings.guardrails()) {
            MetricReport m = find(metrics, g);
            double margin = settings.margin(g);
            Double control = controlValue(m);
            for (String arm : treatments) {
                guardrails.add(guardrail(g, arm, comparison(m, arm), margin, relative, control));
            }
        }

        List<ArmDecision> arms = new ArrayList<>();
        boolean mismatch = srm != null && srm.mismatch();
        for (Verdict v : verdicts) {
            arms.add(armDecision(settings, v, guardrails, mismatch, srm, fixedHorizon, relative));
        }
        String outcome;
        String arm = null;
        List<String> reasons = new ArrayList<>();
        List<ArmDecision> harmful =
                arms.stream().filter(a -> a.outcome().equals(ROLLBACK)).toList();
        List<ArmDecision> shipping = arms.stream().filter(a -> a.outcome().equals(SHIP)).toList();
        if (mismatch) {
            outcome = ROLLBACK;
            reasons.add(srmReason(srm));
        } else if (!harmful.isEmpty()) {
            outcome = ROLLBACK;
            arm = harmful.get(0).arm();
            harmful.forEach(a -> reasons.addAll(a.reasons()));
            if (!shipping.isEmpty()) {
                reasons.add(
                        "otherwise "
                                + shipping.get(0).arm()
                                + " would ship: roll back, then rerun without the harmful arm");
            }
        } else if (!shipping.isEmpty()) {
            outcome = SHIP;
            Verdict best = null;
            for (Verdict v : verdicts) {
                boolean ships = shipping.stream().anyMatch(a -> a.arm().equals(v.arm()));
                if (ships && (best == null || v.estimate() > best.estimate())) {
                    best = v;
                }
            }
            arm = best.arm();
            String chosen = arm;
            arms.stream()
                    .filter(a -> a.arm().equals(chosen))
                    .forEach(a -> reasons.addAll(a.reasons()));
        } else if (!arms.isEmpty()
                && arms.stream().allMatch(a -> a.outcome().equals(INCONCLUSIVE))) {
            outcome = INCONCLUSIVE;
            arms.forEach(a -> reasons.addAll(a.reasons()));
        } else {
            outcome = CONTINUE;
            arms.forEach(a -> reasons.addAll(a.reasons()));
        }
        return new ReportDecision(
                outcome,
                arm,
                List.copyOf(reasons),
                units,
                planned,
                new Primary(
                        settings.primary(),
                        fixedHorizon ? "fixed-horizon" : "sequential",
                        List.copyOf(verdicts)),
                List.copyOf(guardrails),
                List.copyOf(arms));
    }

    private static ArmDecision armDecision(
            ExperimentSettings settings,
            Verdict primary,
            List<Guardrail> guardrails,
            boolean mismatch,
            SrmResult srm,
            boolean fixedHorizon,
            boolean relative) {
        String arm = primary.arm();
        List<Guardrail> own = guardrails.stream().filter(g -> g.arm().equals(arm)).toList();
        List<Guardrail> harmed = own.stream().filter(Guardrail::harmed).toList();
        List<String> reasons = new ArrayList<>();
        if (mismatch) {
            reasons.add(srmReason(srm));
            return new ArmDecision(arm, ROLLBACK, reasons);
        }
        if (!harmed.isEmpty()) {
            harmed.forEach(g -> reasons.add(guardrailReason(g, relative)));
            return new ArmDecision(arm, ROLLBACK, reasons);
        }
        reasons.add(primaryReason(settings.primary(), primary, fixedHorizon, relative));
        own.forEach(g -> reasons.add(guardrailReason(g, relative)));
        if (primary.verdict().equals("better")) {
            return new ArmDecision(arm, SHIP, reasons);
        }
        if (fixedHorizon) {
            return new ArmDecision(arm, INCONCLUSIVE, reasons);
        }
        return new ArmDecision(arm, CONTINUE, reasons);
    }

    /**
     * The primary metric's p-values adjusted across the treatments with the experiment's
     * correction: the always-valid ones before the planned sample, and after it the fixed-horizon
     * ones the report already adjusted across its whole family of metrics.
     */
    private static double[] adjustedPValues(
            ExperimentSettings settings, List<Comparison> comparisons, boolean fixedHorizon) {
        double[] p = new double[comparisons.size()];
        for (int i = 0; i < p.length; i++) {
            Comparison c = comparisons.get(i);
            if (c == null || !c.computed()) {
                p[i] = 1.0;
            } else if (fixedHorizon) {
                p[i] = c.adjustedPValue() != null ? c.adjustedPValue() : c.fixedHorizon().pValue();
            } else {
                p[i] = c.sequential().pValue();
            }
        }
        return fixedHorizon ? p : MultipleComparisons.adjust(settings.options().correction(), p);
    }

    private static Verdict verdict(
            String arm, Comparison c, double pValue, double alpha, boolean fixedHorizon) {
        if (c == null || !c.computed() || c.sequential() == null) {
            return new Verdict(arm, null, null, null, "no-data");
        }
        List<Double> ci = fixedHorizon ? c.fixedHorizon().ci() : c.sequential().ci();
        String verdict = pValue < alpha ? (c.estimate() > 0 ? "better" : "worse") : "inconclusive";
        return new Verdict(arm, c.estimate(), ci, pValue, verdict);
    }

    private static Guardrail guardrail(
            String metric,
            String arm,
            Comparison c,
            double margin,
            boolean relative,
            Double controlValue) {
        if (c == null || !c.computed() || c.sequential() == null) {
            return new Guardrail(metric, arm, null, null, null, margin, NO_DATA);
        }
        List<Double> ci = c.sequential().ci();
        // an absolute lift is judged against the margin in the metric's own unit
        Double bound = relative ? Double.valueOf(-margin) : null;
        if (!relative && controlValue != null) {
            bound = -margin * Math.abs(controlValue);
        }
        String status =
                ci.get(1) < 0 ? HARM : bound != null && ci.get(0) > bound ? NON_INFERIOR : PENDING;
        return new Guardrail(
                metric, arm, c.estimate(), ci, c.sequential().pValue(), margin, status);
    }

    private static String primaryReason(
            String metric, Verdict v, boolean fixedHorizon, boolean relative) {
        String test = fixedHorizon ? "fixed-horizon" : "always-valid";
        return switch (v.verdict()) {
            case "no-data" -> v.arm() + ": not enough data yet to compare " + metric;
            case "better" ->
                    v.arm()
                            + " raises "
                            + metric
                            + " by "
                            + magnitude(v.estimate(), relative)
                            + " ("
                            + test
                            + " interval "
                            + interval(v.ci(), relative)
                            + ", adjusted p = "
                            + format(v.pValue())
                            + ")";
            case "worse" ->
                    v.arm()
                            + " lowers "
                            + metric
                            + " by "
                            + magnitude(v.estimate(), relative)
                            + " ("
                            + test
                            + " interval "
                            + interval(v.ci(), relative)
                            + ", adjusted p = "
                            + format(v.pValue())
                            + "): do not ship it";
            default ->
                    v.arm()
                            + ": "
                            + metric
                            + " "
                            + lift(v.estimate(), relative)
                            + ", not significant yet ("
                            + test
                            + " interval "
                            + interval(v.ci(), relative)
                            + ")"
                            + (fixedHorizon ? " at the planned sample" : "");
        };
    }

    private static String guardrailReason(Guardrail g, boolean relative) {
        String margin = String.format(Locale.ROOT, "%.3g%%", 100 * g.margin());
        return switch (g.status()) {
            case NO_DATA -> g.arm() + ": guardrail " + g.metric() + " has no data yet";
            case HARM ->
                    g.arm()
                            + " harms guardrail "
                            + g.metric()
                            + ": "
                            + lift(g.estimate(), relative)
                            + ", always-valid interval "
                            + interval(g.ci(), relative)
                            + " lies below 0";
            case NON_INFERIOR ->
                    g.arm()
                            + ": guardrail "
                            + g.metric()
                            + " non-inferior (always-valid interval "
                            + interval(g.ci(), relative)
                            + " above −"
                            + margin
                            + ")";
            default ->
                    g.arm()
                            + ": guardrail "
                            + g.metric()
                            + " shows no harm, non-inferiority (−"
                            + margin
                            + ") not shown yet (always-valid interval "
                            + interval(g.ci(), relative)
                            + ")";
        };
    }

    private static String srmReason(SrmResult srm) {
        return "sample ratio mismatch (p = "
                + format(srm.pValue())
                + "): exposures do not follow the arm weights, so no lift can be trusted; fix the"
                + " assignment";
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

    private static Double controlValue(MetricReport metric) {
        return metric == null || metric.arms().isEmpty() ? null : metric.arms().get(0).value();
    }

    private static String lift(Double x, boolean relative) {
        if (x == null) {
            return "n/a";
        }
        return relative
                ? String.format(Locale.ROOT, "%+.2f%%", 100 * x)
                : String.format(Locale.ROOT, "%+.4g", x);
    }

    private static String magnitude(Double x, boolean relative) {
        return lift(Math.abs(x), relative).substring(1);
    }

    private static String interval(List<Double> ci, boolean relative) {
        return "[" + lift(ci.get(0), relative) + ", " + lift(ci.get(1), relative) + "]";
    }

    static String format(Double x) {
        return x == null ? "n/a" : String.format(Locale.ROOT, "%.4g", x);
    }
}
