package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Comparisons that cannot be computed carry an error and no numbers; nothing is ever NaN. */
class DegenerateInputTest {

    private final ExperimentAnalysis analysis = ExperimentAnalysis.withDefaults();

    @Test
    void zeroVarianceInBothArmsIsAnError() {
        AnalysisResult result =
                analysis.analyze(
                        MetricType.MEAN,
                        List.of(
                                new ArmInput("a", 1, new MeanStatistic(100, 300, 900)),
                                new ArmInput("b", 1, new MeanStatistic(100, 400, 1600))));

        assertFailed(result.arms().get(1).comparison(), "zero variance in both arms");
        assertThat(result.arms().get(1).variance()).isEqualTo(0.0);
    }

    @Test
    void aConstantValueThatIsNotRepresentableExactlyStillHasZeroVariance() {
        // a hundred units of 0.1 summed one by one, as a warehouse would: Σy = 9.99999999999998,
        // Σy² = 1.0000000000000007, so (Σy² − (Σy)²/n)/(n − 1) is 4.6e-17 in floating point, not 0
        MeanStatistic constant = new MeanStatistic(100, 9.99999999999998, 1.0000000000000007);
        AnalysisResult result =
                analysis.analyze(
                        MetricType.MEAN,
                        List.of(new ArmInput("a", 1, constant), new ArmInput("b", 1, constant)));

        assertFailed(result.arms().get(1).comparison(), "zero variance in both arms");
    }

    @Test
    void aRatioWhoseNumeratorIsProportionalToItsDenominatorHasZeroVariance() {
        // M = 0.1·D for every unit, D in {1, 2, 3}
        RatioStatistic constantRatio = new RatioStatistic(3, 0.6, 0.14, 6, 14, 1.4);
        AnalysisResult result =
                analysis.analyze(
                        MetricType.RATIO,
                        List.of(
                                new ArmInput("a", 1, constantRatio),
                                new ArmInput("b", 1, constantRatio)));

        assertFailed(result.arms().get(1).comparison(), "zero variance in both arms");
    }

    @Test
    void noConversionsAnywhereIsAZeroVarianceError() {
        AnalysisResult result =
                analysis.analyze(
                        MetricType.PROPORTION,
                        List.of(
                                new ArmInput("a", 1, new ProportionStatistic(1000, 0)),
                                new ArmInput("b", 1, new ProportionStatistic(1000, 0))));

        assertFailed(result.arms().get(1).comparison(), "zero variance in both arms");
    }

    @Test
    void zeroControlMeanIsAnErrorForTheRelativeLiftOnly() {
        List<ArmInput> arms =
                List.of(
                        new ArmInput("a", 1, new MeanStatistic(100, 0, 50)),
                        new ArmInput("b", 1, new MeanStatistic(100, 10, 60)));

        assertFailed(
                analysis.analyze(MetricType.MEAN, arms).arms().get(1).comparison(),
                "zero control mean");
        assertThat(
                        analysis.withDifferenceType(DifferenceType.ABSOLUTE)
                                .analyze(MetricType.MEAN, arms)
                                .arms()
                                .get(1)
                                .comparison()
                                .error())
                .isNull();
    }

    @Test
    void fewerThanTwoUnitsInATreatmentFailsThatComparisonOnly() {
        AnalysisResult result =
                analysis.analyze(
                        MetricType.MEAN,
                        List.of(
                                new ArmInput("a", 1, new MeanStatistic(100, 100, 200)),
                                new ArmInput("b", 1, new MeanStatistic(1, 2, 4)),
                                new ArmInput("c", 1, new MeanStatistic(100, 120, 250))));

        assertFailed(result.arms().get(1).comparison(), "fewer than two units");
        assertThat(result.arms().get(1).mean()).isEqualTo(2.0);
        assertThat(result.arms().get(1).variance()).isNull();
        assertThat(result.arms().get(2).comparison().error()).isNull();
        assertThat(result.arms().get(2).comparison().adjustedPValue())
                .isEqualTo(result.arms().get(2).comparison().fixedHorizon().pValue());
    }

    @Test
    void anEmptyControlFailsEveryComparison() {
        AnalysisResult result =
                analysis.analyze(
                        MetricType.PROPORTION,
                        List.of(
                                new ArmInput("a", 1, new ProportionStatistic(0, 0)),
                                new ArmInput("b", 1, new ProportionStatistic(100, 10)),
                                new ArmInput("c", 1, new ProportionStatistic(100, 12))));

        assertThat(result.arms().get(0).mean()).isNull();
        assertFailed(result.arms().get(1).comparison(), "control: empty arm");
        assertFailed(result.arms().get(2).comparison(), "control: empty arm");
        assertThat(result.srm().pValue()).isNotNull();
    }

    @Test
    void aZeroDenominatorIsAnError() {
        AnalysisResult result =
                analysis.analyze(
                        MetricType.RATIO,
                        List.of(
                                new ArmInput(
                                        "a", 1, new RatioStatistic(100, 10, 10, 500, 3000, 60)),
                                new ArmInput("b", 1, new RatioStatistic(100, 0, 0, 0, 0, 0))));

        assertFailed(result.arms().get(1).comparison(), "zero denominator (dSum = 0)");
        assertThat(result.arms().get(1).mean()).isNull();
    }

    @Test
    void aConstantCovariateLeavesTheMetricUnadjusted() {
        List<ArmInput> plain =
                List.of(
                        new ArmInput("a", 1, new MeanStatistic(100, 100, 200)),
                        new ArmInput("b", 1, new MeanStatistic(100, 120, 250)));
        List<ArmInput> constantCovariate =
                List.of(
                        new ArmInput(
                                "a",
                                1,
                                new MeanStatistic(100, 100, 200, new Covariate(300, 900, 300))),
                        new ArmInput(
                                "b",
                                1,
                                new MeanStatistic(100, 120, 250, new Covariate(300, 900, 360))));

        Comparison adjusted =
                analysis.withRegressionAdjustment(true)
                        .analyze(MetricType.MEAN, constantCovariate)
                        .arms()
                        .get(1)
                        .comparison();

        assertThat(adjusted)
                .isEqualTo(analysis.analyze(MetricType.MEAN, plain).arms().get(1).comparison());
    }

    @Test
    void aCovariateExplainingEverythingIsAZeroVarianceError() {
        // Y = X for every unit: nothing is left after the adjustment
        AnalysisResult result =
                analysis.withRegressionAdjustment(true)
                        .analyze(
                                MetricType.MEAN,
                                List.of(
                                        new ArmInput(
                                                "a",
                                                1,
                                                new MeanStatistic(
                                                        3, 6, 14, new Covariate(6, 14, 14))),
                                        new ArmInput(
                                                "b",
                                                1,
                                                new MeanStatistic(
                                                        3, 9, 29, new Covariate(9, 29, 29)))));

        assertFailed(result.arms().get(1).comparison(), "zero variance in both arms");
    }

    @Test
    void randomValidInputNeverYieldsNaNOrAnUnexpectedException() {
        SplittableRandom random = new SplittableRandom(7);
        int computed = 0;
        int failed = 0;
        for (int trial = 0; trial < 3000; trial++) {
            MetricType type = MetricType.values()[trial % 3];
            boolean cuped = type != MetricType.PROPORTION && random.nextBoolean();
            List<ArmInput> arms = new ArrayList<>();
            int armCount = 2 + random.nextInt(3);
            for (int i = 0; i < armCount; i++) {
                arms.add(
                        new ArmInput(
                                "arm" + i,
                                1 + random.nextInt(3),
                                randomStatistic(type, cuped, random)));
            }
            ExperimentAnalysis configured =
                    analysis.withRegressionAdjustment(cuped)
                            .withDifferenceType(
                                    random.nextBoolean()
                                            ? DifferenceType.RELATIVE
                                            : DifferenceType.ABSOLUTE)
                            .withAlpha(random.nextDouble(1e-6, 0.5))
                            .withPrior(
                                    random.nextBoolean()
                                            ? null
                                            : new NormalPrior(0, random.nextDouble(1e-4, 1)));

            AnalysisResult result;
            try {
                result = configured.analyze(type, arms);
            } catch (InvalidStatisticsException e) {
                throw new AssertionError("valid input rejected: " + arms, e);
            }

            assertNoNaN(result);
            for (ArmResult arm : result.arms().subList(1, result.arms().size())) {
                if (arm.comparison().computed()) {
                    computed++;
                } else {
                    failed++;
                }
            }
        }
        assertThat(computed).as("computed comparisons").isGreaterThan(1000);
        assertThat(failed).as("failed comparisons").isGreaterThan(1000);
    }

    private static MetricStatistic randomStatistic(
            MetricType type, boolean cuped, SplittableRandom random) {
        long n = random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(1, 1_000_000);
        double mean = random.nextInt(5) == 0 ? 0.0 : Math.pow(10, random.nextDouble(-8, 6));
        double spread = random.nextInt(5) == 0 ? 0.0 : Math.pow(10, random.nextDouble(-6, 4));
        double sum = n * mean;
        double sumSquares = n * (mean * mean + spread);
        // a covariate with mean xMean, variance xSpread and correlation rho with the metric
        double xMean = random.nextInt(5) == 0 ? 0.0 : Math.pow(10, random.nextDouble(-3, 3));
        double xSpread = random.nextInt(5) == 0 ? 0.0 : Math.pow(10, random.nextDouble(-4, 4));
        double rho = random.nextInt(5) == 0 ? 1.0 : random.nextDouble(-0.99, 0.99);
        double xSum = n * xMean;
        double xSumSquares = n * (xMean * xMean + xSpread);
        double xyProducts = n * (xMean * mean + rho * Math.sqrt(xSpread * spread));
        return switch (type) {
            case PROPORTION -> new ProportionStatistic(n, Math.floor(n * random.nextDouble()));
            case MEAN ->
                    new MeanStatistic(
                            n,
                            sum,
                            sumSquares,
                            cuped ? new Covariate(xSum, xSumSquares, xyProducts) : null);
            case RATIO -> {
                double d = random.nextInt(5) == 0 ? 0.0 : n * (1 + random.nextDouble(10));
                double dSquares = d == 0 ? 0.0 : d * d / Math.max(n, 1) * 1.5;
                double dMean = d / Math.max(n, 1);
                double xdProducts = n * (xMean * dMean);
                yield new RatioStatistic(
                        n,
                        sum,
                        sumSquares,
                        d,
                        dSquares,
                        sum * d / Math.max(n, 1),
                        cuped
                                ? new RatioCovariate(xSum, xSumSquares, xyProducts, xdProducts)
                                : null);
            }
        };
    }

    static void assertNoNaN(Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof Double d) {
            assertThat(d).isFinite();
        } else if (value instanceof List<?> list) {
            list.forEach(DegenerateInputTest::assertNoNaN);
        } else if (value.getClass().isRecord()) {
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                try {
                    assertNoNaN(component.getAccessor().invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static void assertFailed(Comparison comparison, String error) {
        assertThat(comparison).isEqualTo(Comparison.failed(error));
    }
}
