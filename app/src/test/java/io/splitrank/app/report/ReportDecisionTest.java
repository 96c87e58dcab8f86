package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.app.experiment.AnalysisOptions;
import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.Correction;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.FixedHorizon;
import io.splitrank.stats.Sequential;
import io.splitrank.stats.SrmResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision rule of {@link ReportDecision} (docs/statistics.md), on hand-made results. */
class ReportDecisionTest {

    private static final SrmResult FINE = new SrmResult(0.5, false);

    private static ExperimentSettings settings(Map<String, Double> margins, Long plannedUnits) {
        AnalysisOptions d = AnalysisOptions.defaults();
        return new ExperimentSettings(
                1,
                "x",
                "running",
                1,
                1,
                List.of(
                        new ExperimentSettings.Arm("control", "baseline", 0.34),
                        new ExperimentSettings.Arm("a", "ektm", 0.33),
                        new ExperimentSettings.Arm("b", "htlnet", 0.33)),
                "ecpm",
                List.of("ctr"),
                List.of("ctcvr"),
                margins,
                new AnalysisOptions(
                        d.alpha(),
                        DifferenceType.RELATIVE,
                        Correction.HOLM,
                        d.sequentialTuning(),
                        null,
                        0,
                        null,
                        null,
                        plannedUnits),
                null,
                null,
                null,
                "ab");
    }

    private static final ExperimentSettings SETTINGS = settings(Map.of(), null);

    /** An always-valid interval and a p-value that agrees with it (small when it excludes 0). */
    private static Comparison sequential(double lo, double hi) {
        return sequential(lo, hi, lo > 0 || hi < 0 ? 0.001 : 0.5);
    }

    private static Comparison sequential(double lo, double hi, double pValue) {
        double estimate = (lo + hi) / 2;
        // the fixed-horizon interval is deliberately narrower: before the planned sample the rule
        // must not look at it
        return new Comparison(
                estimate,
                0.1,
                new FixedHorizon(List.of(estimate - 1e-6, estimate + 1e-6), 1e-9, 100),
                new Sequential(List.of(lo, hi), pValue),
                null,
                1e-9,
                null);
    }

    private static MetricReport metric(String id, Comparison a, Comparison b) {
        return new MetricReport(
                id,
                List.of(
                        new ArmMetric("control", 10, 1, 1, 1.0, null),
                        new ArmMetric("a", 10, 1, 1, 1.0, a),
                        new ArmMetric("b", 10, 1, 1, 1.0, b)));
    }

    @Test
    void shipsTheArmWithTheLargestSignificantPrimaryLiftAndSaysWhereEachGuardrailStands() {
        ReportDecision d =
                ReportDecision.decide(
                        SETTINGS,
                        FINE,
                        List.of(
                                metric("ecpm", sequential(0.01, 0.05), sequential(0.02, 0.10)),
                                metric("ctcvr", sequential(-0.1, 0.1), sequential(-0.01, 0.2))),
                        30);
        assertThat(d.outcome()).isEqualTo("ship");
        assertThat(d.arm()).isEqualTo("b");
        assertThat(d.primary().test()).isEqualTo("sequential");
        assertThat(d.primary().arms())
                .extracting(ReportDecision.Verdict::verdict)
                .containsExactly("better", "better");
        // a: lower bound −10% is below −2%: no harm, non-inferiority not shown; b: −1% > −2%
        assertThat(d.guardrails())
                .extracting(ReportDecision.Guardrail::status)
                .containsExactly("pending", "non-inferior");
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("b raises ecpm by 6.00%"));
        assertThat(d.reasons()).anyMatch(r -> r.contains("b: guardrail ctcvr non-inferior"));
        assertThat(d.arms())
                .extracting(ReportDecision.ArmDecision::outcome)
                .containsExactly("ship", "ship");
    }

    @Test
    void aHarmedGuardrailRollsBackEvenWhenAnotherArmWouldShip() {
        ReportDecision d =
                ReportDecision.decide(
                        SETTINGS,
                        FINE,
                        List.of(
                                metric("ecpm", sequential(-0.02, 0.10), sequential(0.01, 0.05)),
                                metric("ctcvr", sequential(-0.3, -0.01), sequential(-0.01, 0.2))),
                        30);
        assertThat(d.outcome()).isEqualTo("rollback");
        assertThat(d.arm()).isEqualTo("a");
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("a harms guardrail ctcvr"));
        assertThat(d.reasons()).anyMatch(r -> r.startsWith("otherwise b would ship"));
        assertThat(d.arms())
                .extracting(ReportDecision.ArmDecision::outcome)
                .containsExactly("rollback", "ship");
    }

    @Test
    void aSignificantlyWorsePrimaryNeverShipsAndRollsBackOnlyAsAGuardrail() {
        List<MetricReport> metrics =
                List.of(metric("ecpm", sequential(-0.2, -0.01), sequential(-0.1, 0.1)));
        ReportDecision worse = ReportDecision.decide(SETTINGS, FINE, metrics, 30);
        assertThat(worse.outcome()).isEqualTo("continue");
        assertThat(worse.reasons())
                .anyMatch(
                        r ->
                                r.startsWith("a lowers ecpm by 10.50%")
                                        && r.endsWith("do not ship it"));

        ExperimentSettings guarded =
                new ExperimentSettings(
                        1,
                        "x",
                        "running",
                        1,
                        1,
                        SETTINGS.arms(),
                        "ecpm",
                        List.of(),
                        List.of("ecpm"),
                        Map.of(),
                        SETTINGS.options(),
                        null,
                        null,
                        null,
                        "ab");
        ReportDecision rolledBack = ReportDecision.decide(guarded, FINE, metrics, 30);
        assertThat(rolledBack.outcome()).isEqualTo("rollback");
        assertThat(rolledBack.arm()).isEqualTo("a");
        assertThat(rolledBack.reasons()).anyMatch(r -> r.startsWith("a harms guardrail ecpm"));
    }

    @Test
    void aSampleRatioMismatchRollsBack() {
        List<MetricReport> winning =
                List.of(metric("ecpm", sequential(0.01, 0.05), sequential(0.02, 0.10)));
        ReportDecision srm =
                ReportDecision.decide(SETTINGS, new SrmResult(1e-6, true), winning, 30);
        assertThat(srm.outcome()).isEqualTo("rollback");
        assertThat(srm.arm()).isNull();
        assertThat(srm.reasons()).singleElement().asString().contains("sample ratio mismatch");
    }

    @Test
    void continuesWhileIntervalsStraddleZeroOrNothingCanBeComputed() {
        assertThat(
                        ReportDecision.decide(
                                        SETTINGS,
                                        FINE,
                                        List.of(
                                                metric(
                                                        "ecpm",
                                                        sequential(-0.01, 0.05),
                                                        sequential(-0.02, 0.10))),
                                        30)
                                .outcome())
                .isEqualTo("continue");
        ReportDecision empty =
                ReportDecision.decide(
                        SETTINGS,
                        new SrmResult(null, false),
                        List.of(
                                metric(
                                        "ecpm",
                                        Comparison.failed("empty arm"),
                                        Comparison.failed("empty arm"))),
                        0);
        assertThat(empty.outcome()).isEqualTo("continue");
        assertThat(empty.reasons()).anyMatch(r -> r.contains("not enough data"));
        assertThat(empty.guardrails())
                .extracting(ReportDecision.Guardrail::status)
                .containsOnly("no-data");
    }

    @Test
    void theTreatmentsPrimaryPValuesAreCorrectedTogether() {
        // both always-valid p-values are below 0.05, but Holm's adjusted ones (0.06) are not
        ReportDecision d =
                ReportDecision.decide(
                        SETTINGS,
                        FINE,
                        List.of(
                                metric(
                                        "ecpm",
                                        sequential(0.001, 0.05, 0.03),
                                        sequential(0.001, 0.06, 0.04))),
                        30);
        assertThat(d.outcome()).isEqualTo("continue");
        assertThat(d.primary().arms())
                .extracting(ReportDecision.Verdict::pValue)
                .containsExactly(0.06, 0.06);
    }

    @Test
    void atThePlannedSampleTheFixedHorizonTestDecidesAndNoResultIsInconclusive() {
        ExperimentSettings planned = settings(Map.of(), 1000L);
        // the sequential intervals straddle 0; the fixed-horizon ones (adjusted p 1e-9) do not
        List<MetricReport> metrics =
                List.of(metric("ecpm", sequential(-0.01, 0.05), sequential(-0.02, 0.10)));
        ReportDecision before = ReportDecision.decide(planned, FINE, metrics, 999);
        assertThat(before.outcome()).isEqualTo("continue");
        assertThat(before.plannedUnits()).isEqualTo(1000L);
        ReportDecision at = ReportDecision.decide(planned, FINE, metrics, 1000);
        assertThat(at.primary().test()).isEqualTo("fixed-horizon");
        assertThat(at.outcome()).isEqualTo("ship");
        assertThat(at.arm()).isEqualTo("b");

        Comparison flat =
                new Comparison(
                        0.0,
                        0.1,
                        new FixedHorizon(List.of(-0.2, 0.2), 0.9, 100),
                        new Sequential(List.of(-0.3, 0.3), 1.0),
                        null,
                        0.9,
                        null);
        ReportDecision nothing =
                ReportDecision.decide(planned, FINE, List.of(metric("ecpm", flat, flat)), 1200);
        assertThat(nothing.outcome()).isEqualTo("inconclusive");
        assertThat(nothing.reasons())
                .anyMatch(r -> r.contains("ecpm +0.00%, not significant yet (fixed-horizon"));
    }

    @Test
    void aGuardrailsOwnMarginDecidesNonInferiority() {
        List<MetricReport> metrics =
                List.of(
                        metric("ecpm", sequential(-0.01, 0.05), sequential(-0.02, 0.10)),
                        metric("ctcvr", sequential(-0.1, 0.1), sequential(-0.15, 0.1)));
        ReportDecision d =
                ReportDecision.decide(settings(Map.of("ctcvr", 0.12), null), FINE, metrics, 30);
        assertThat(d.guardrails())
                .extracting(ReportDecision.Guardrail::status)
                .containsExactly("non-inferior", "pending");
        assertThat(d.guardrails()).extracting(ReportDecision.Guardrail::margin).containsOnly(0.12);
    }
}
