package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request of the {@code POST /api/v1/analysis} example in docs/statistics.md gives the answer
 * printed there, to the digits printed (tolerance: half a unit of the last printed digit). Only the
 * numbers that follow from the document's formulas are checked: the example's sequential interval,
 * treatment risk, SRM p-value and degrees of freedom are illustrative (its own formula gives df =
 * 5841.7, as statsmodels' Welch–Satterthwaite does, not 5994.2; the χ² statistic is 0.4246, p =
 * 0.515).
 */
class SpecificationExampleTest {

    @Test
    void theExampleRequestGivesTheExampleAnswer() {
        AnalysisResult result =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(0.05)
                        .withDifferenceType(DifferenceType.RELATIVE)
                        .withSequentialTuning(5000)
                        .withCorrection(Correction.HOLM)
                        .analyze(
                                MetricType.MEAN,
                                List.of(
                                        new ArmInput(
                                                "control",
                                                0.5,
                                                new MeanStatistic(3407, 1396.87, 52377.9767)),
                                        new ArmInput(
                                                "ektm",
                                                0.5,
                                                new MeanStatistic(3461, 2422.7, 134698.29))));

        ArmResult control = result.arms().get(0);
        assertThat(control.mean()).isCloseTo(0.41, within(0.005));
        assertThat(control.variance()).isCloseTo(15.2, within(0.05));
        assertThat(control.comparison()).isNull();
        ArmResult treatment = result.arms().get(1);
        assertThat(treatment.mean()).isCloseTo(0.70, within(0.005));
        assertThat(treatment.variance()).isCloseTo(38.4, within(0.05));
        Comparison c = treatment.comparison();
        assertThat(c.estimate()).isCloseTo(0.70732, within(5e-6));
        assertThat(c.standardError()).isCloseTo(0.37879, within(5e-6));
        assertThat(c.fixedHorizon().ci().get(0)).isCloseTo(-0.03526, within(5e-6));
        assertThat(c.fixedHorizon().ci().get(1)).isCloseTo(1.44989, within(5e-6));
        assertThat(c.fixedHorizon().pValue()).isCloseTo(0.06191, within(5e-6));
        assertThat(c.fixedHorizon().degreesOfFreedom()).isCloseTo(5841.7, within(0.05));
        assertThat(c.bayesian().chanceToWin()).isCloseTo(0.969, within(5e-4));
        // −0.0351: the example prints −0.03, truncated rather than rounded
        assertThat(c.bayesian().ci().get(0)).isCloseTo(-0.03, within(0.01));
        assertThat(c.bayesian().ci().get(1)).isCloseTo(1.45, within(0.005));
        assertThat(c.bayesian().risk().control()).isCloseTo(0.71, within(0.005));
        assertThat(c.adjustedPValue()).isCloseTo(0.06191, within(5e-6));
        assertThat(c.error()).isNull();
        assertThat(result.srm().mismatch()).isFalse();
    }
}
