package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed input is rejected with the path of the offending field. */
class InputValidationTest {

    private final ExperimentAnalysis analysis = ExperimentAnalysis.withDefaults();
    private final ArmInput control = new ArmInput("control", 1, new MeanStatistic(100, 50, 80));

    @Test
    void fewerThanTwoArmsIsRejected() {
        assertRejected(() -> analysis.analyze(MetricType.MEAN, List.of(control)), "arms");
    }

    @Test
    void aNegativeNIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.MEAN,
                                List.of(
                                        control,
                                        new ArmInput("b", 1, new MeanStatistic(-1, 0, 0)))),
                "arms[1].n");
    }

    @Test
    void aSumOfSquaresBelowTheSquaredSumIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.MEAN,
                                List.of(
                                        control,
                                        new ArmInput("b", 1, new MeanStatistic(10, 50, 240)))),
                "arms[1].sumSquares");
    }

    @Test
    void aNegativeSumOfSquaresIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.RATIO,
                                List.of(
                                        new ArmInput(
                                                "a", 1, new RatioStatistic(10, 1, 1, 20, 50, 3)),
                                        new ArmInput(
                                                "b", 1, new RatioStatistic(10, 1, 1, 20, -5, 3)))),
                "arms[1].dSumSquares");
    }

    @Test
    void aCrossProductOutsideCauchySchwarzIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.RATIO,
                                List.of(
                                        new ArmInput(
                                                "a", 1, new RatioStatistic(10, 5, 5, 20, 50, 1000)),
                                        new ArmInput(
                                                "b", 1, new RatioStatistic(10, 1, 1, 20, 50, 3)))),
                "arms[0].mdSumProducts");
    }

    @Test
    void aProportionSumAboveNIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.PROPORTION,
                                List.of(
                                        new ArmInput("a", 1, new ProportionStatistic(10, 11)),
                                        new ArmInput("b", 1, new ProportionStatistic(10, 3)))),
                "arms[0].sum");
    }

    @Test
    void statisticsOfTheWrongTypeAreRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.PROPORTION,
                                List.of(
                                        control,
                                        new ArmInput("b", 1, new ProportionStatistic(10, 3)))),
                "arms[0]");
    }

    @Test
    void cupedWithoutCovariateSumsIsRejected() {
        assertRejected(
                () ->
                        analysis.withRegressionAdjustment(true)
                                .analyze(MetricType.MEAN, List.of(control, control)),
                "arms[0].xSum");
    }

    @Test
    void aNonPositiveWeightIsRejected() {
        assertRejected(
                () ->
                        analysis.analyze(
                                MetricType.MEAN,
                                List.of(
                                        control,
                                        new ArmInput("b", 0, new MeanStatistic(10, 5, 8)))),
                "arms[1].weight");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertRejected(
                () -> analysis.analyze(MetricType.MEAN, List.of(control, control)), "arms[1].key");
    }

    @Test
    void alphaOutsideZeroToOneHalfIsRejected() {
        assertRejected(() -> analysis.withAlpha(0.0), "alpha");
        assertRejected(() -> analysis.withAlpha(0.6), "alpha");
        assertRejected(() -> analysis.withAlpha(Double.NaN), "alpha");
    }

    private static void assertRejected(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        InvalidStatisticsException.class,
                        e ->
                                org.assertj.core.api.Assertions.assertThat(e.field())
                                        .isEqualTo(field));
    }
}
