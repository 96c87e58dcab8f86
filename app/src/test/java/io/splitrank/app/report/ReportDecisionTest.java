package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.app.experiment.AnalysisOptions;
import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.app.report.ExperimentReport.ArmMetric;
import io.splitrank.app.report.ExperimentReport.MetricReport;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.FixedHorizon;
import io.splitrank.stats.Sequential;
import io.splitrank.stats.SrmResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision rule of {@link ReportDecision}, on hand-made sequential intervals. */
class ReportDecisionTest {

    private static final ExperimentSettings SETTINGS =
            new ExperimentSettings(
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
                    AnalysisOptions.defaults(),
                    null);
    private static final SrmResult FINE = new SrmResult(0.5, false);

    private static Comparison sequential(double lo, double hi) {
        double estimate = (lo + hi) / 2;
        // the fixed-horizon interval is deliberately narrower: the rule must not look at it
        return new Comparison(
                estimate,
                0.1,
                new FixedHorizon(List.of(estimate - 1e-6, estimate + 1e-6), 1e-9, 100),
                new Sequential(List.of(lo, hi), 0.5),
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
    void shipsTheTreatmentWithTheLargestSignificantPrimaryLiftWhenNoGuardrailIsHarmed() {
        ReportDecision d =
                ReportDecision.decide(
                        SETTINGS,
                        FINE,
                        List.of(
                                metric("ecpm", sequential(0.01, 0.05), sequential(0.02, 0.10)),
                                metric("ctcvr", sequential(-0.1, 0.1), sequential(-0.05, 0.2))));
        assertThat(d.recommendation()).isEqualTo("ship");
        assertThat(d.arm()).isEqualTo("b");
        assertThat(d.primary().arms())
                .extracting(ReportDecision.Verdict::verdict)
                .containsExactly("better", "better");
        assertThat(d.guardrails()).noneMatch(ReportDecision.Guardrail::harmed);
    }

    @Test
    void aHarmedGuardrailBlocksShippingThatTreatment() {
        ReportDecision d =
                ReportDecision.decide(
                        SETTINGS,
                        FINE,
                        List.of(
                                metric("ecpm", sequential(0.01, 0.05), sequential(-0.02, 0.10)),
                                metric("ctcvr", sequential(-0.3, -0.01), sequential(-0.05, 0.2))));
        assertThat(d.recommendation()).isEqualTo("keep-running");
        assertThat(d.reason()).contains("a harms guardrail ctcvr");
    }

    @Test
    void stopsWhenEveryTreatmentIsHarmedOrOnASampleRatioMismatch() {
        List<MetricReport> harmed =
                List.of(
                        metric("ecpm", sequential(-0.2, -0.01), sequential(0.01, 0.2)),
                        metric("ctcvr", sequential(-0.1, 0.1), sequential(-0.5, -0.1)));
        assertThat(ReportDecision.decide(SETTINGS, FINE, harmed).recommendation())
                .isEqualTo("stop");
        List<MetricReport> winning =
                List.of(metric("ecpm", sequential(0.01, 0.05), sequential(0.02, 0.10)));
        ReportDecision srm = ReportDecision.decide(SETTINGS, new SrmResult(1e-6, true), winning);
        assertThat(srm.recommendation()).isEqualTo("stop");
        assertThat(srm.reason()).contains("sample ratio mismatch");
    }

    @Test
    void keepsRunningWhileIntervalsStraddleZeroOrNothingCanBeComputed() {
        assertThat(
                        ReportDecision.decide(
                                        SETTINGS,
                                        FINE,
                                        List.of(
                                                metric(
                                                        "ecpm",
                                                        sequential(-0.01, 0.05),
                                                        sequential(-0.02, 0.10))))
                                .recommendation())
                .isEqualTo("keep-running");
        ReportDecision empty =
                ReportDecision.decide(
                        SETTINGS,
                        new SrmResult(null, false),
                        List.of(
                                metric(
                                        "ecpm",
                                        Comparison.failed("empty arm"),
                                        Comparison.failed("empty arm"))));
        assertThat(empty.recommendation()).isEqualTo("keep-running");
        assertThat(empty.reason()).contains("not enough data");
    }
}
