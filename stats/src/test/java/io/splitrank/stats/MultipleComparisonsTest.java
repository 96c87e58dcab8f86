package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Holm and Benjamini–Hochberg against statsmodels. */
class MultipleComparisonsTest {

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/multipletests.csv", numLinesToSkip = 1)
    void adjustedPValuesMatchStatsmodelsMultipletests(String raw, String holm, String bh) {
        double[] pValues = Reference.doubles(raw);
        double[] expectedHolm = Reference.doubles(holm);
        double[] expectedBh = Reference.doubles(bh);

        double[] actualHolm = MultipleComparisons.holm(pValues);
        double[] actualBh = MultipleComparisons.benjaminiHochberg(pValues);

        for (int i = 0; i < pValues.length; i++) {
            assertRelative(
                    actualHolm[i],
                    expectedHolm[i],
                    1e-12,
                    "statsmodels 0.13.5 multipletests(method='holm')");
            assertRelative(
                    actualBh[i],
                    expectedBh[i],
                    1e-12,
                    "statsmodels 0.13.5 multipletests(method='fdr_bh')");
        }
    }

    @Test
    void correctionAcrossAnalysesTreatsAllTreatmentsOfAllMetricsAsOneFamily() {
        List<ArmInput> first =
                List.of(
                        new ArmInput("control", 1, new ProportionStatistic(10_000, 1_000)),
                        new ArmInput("b", 1, new ProportionStatistic(10_000, 1_080)));
        List<ArmInput> second =
                List.of(
                        new ArmInput("control", 1, new MeanStatistic(5_000, 10_000, 60_000)),
                        new ArmInput("b", 1, new MeanStatistic(5_000, 10_300, 62_000)),
                        new ArmInput("c", 1, new MeanStatistic(1, 1, 1)));
        ExperimentAnalysis analysis =
                ExperimentAnalysis.withDefaults().withCorrection(Correction.NONE);
        AnalysisResult a = analysis.analyze(MetricType.PROPORTION, first);
        AnalysisResult b = analysis.analyze(MetricType.MEAN, second);
        double p1 = a.arms().get(1).comparison().fixedHorizon().pValue();
        double p2 = b.arms().get(1).comparison().fixedHorizon().pValue();

        List<AnalysisResult> adjusted =
                MultipleComparisons.adjustAcross(Correction.HOLM, List.of(a, b));

        double[] expected = MultipleComparisons.holm(new double[] {p1, p2});
        assertThat(adjusted.get(0).arms().get(1).comparison().adjustedPValue())
                .isEqualTo(expected[0]);
        assertThat(adjusted.get(1).arms().get(1).comparison().adjustedPValue())
                .isEqualTo(expected[1]);
        assertThat(adjusted.get(1).arms().get(2).comparison().error())
                .isEqualTo("fewer than two units");
        assertThat(adjusted.get(1).arms().get(2).comparison().adjustedPValue()).isNull();
    }
}
