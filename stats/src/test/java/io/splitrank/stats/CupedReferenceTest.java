package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CUPED from sums against an OLS fit on the unit-level data (statsmodels 0.13.5 {@code OLS(y,
 * add_constant(x))} over both arms gives θ) and numpy 1.24 on the adjusted units (mean and
 * var(ddof=1) of Y − θX; for the relative lift, the variance of the units' influence functions).
 * Values in {@code cuped.properties}.
 */
class CupedReferenceTest {

    private static final Properties EXPECTED = Reference.properties("cuped.properties");
    private static final double TOLERANCE = 1e-8;

    @ParameterizedTest
    @ValueSource(strings = {"mean0", "mean1", "mean2", "ratio0", "ratio1"})
    void adjustedMomentsMatchOlsOnUnitLevelData(String name) {
        List<MetricStatistic> statistics = statistics(name);

        assertRelative(
                RegressionAdjustment.theta(statistics),
                value(name, "theta"),
                TOLERANCE,
                "statsmodels 0.13.5 OLS slope");
        ArmMoments[] moments = RegressionAdjustment.moments(statistics, true);
        for (int arm = 0; arm < 2; arm++) {
            assertRelative(
                    moments[arm].adjustedMean(),
                    value(name, "adjustedMean" + arm),
                    TOLERANCE,
                    "numpy mean(Y - theta*X)");
            assertRelative(
                    moments[arm].adjustedVariance(),
                    value(name, "adjustedVariance" + arm),
                    TOLERANCE,
                    "numpy var(Y - theta*X, ddof=1)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean0", "mean1", "mean2", "ratio0", "ratio1"})
    void absoluteLiftWithCupedMatchesUnitLevelData(String name) {
        AnalysisResult result = analysis(name, DifferenceType.ABSOLUTE);

        Comparison c = result.arms().get(1).comparison();
        assertRelative(
                c.estimate(),
                value(name, "absoluteEstimate"),
                TOLERANCE,
                "numpy difference of adjusted means");
        assertRelative(
                c.standardError(),
                value(name, "absoluteStandardError"),
                TOLERANCE,
                "numpy sqrt(var_A/n_A + var_B/n_B) of Y - theta*X");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean0", "mean1", "mean2", "ratio0", "ratio1"})
    void relativeLiftWithCupedKeepsTheUnadjustedControlMeanAsDenominator(String name) {
        AnalysisResult result = analysis(name, DifferenceType.RELATIVE);

        Comparison c = result.arms().get(1).comparison();
        assertRelative(
                c.estimate(),
                value(name, "relativeEstimate"),
                TOLERANCE,
                "numpy (mean adj_B - mean adj_A)/|mean Y_A|");
        assertRelative(
                c.standardError(),
                value(name, "relativeStandardError"),
                TOLERANCE,
                "numpy variance of the units' influence functions, derivative at X̄_B ≈ X̄_A (GrowthBook's delta method)");
    }

    private static AnalysisResult analysis(String name, DifferenceType type) {
        List<MetricStatistic> statistics = statistics(name);
        List<ArmInput> arms = new ArrayList<>();
        for (int i = 0; i < statistics.size(); i++) {
            arms.add(new ArmInput("arm" + i, 1.0, statistics.get(i)));
        }
        return ExperimentAnalysis.withDefaults()
                .withDifferenceType(type)
                .withRegressionAdjustment(true)
                .analyze(statistics.get(0).type(), arms);
    }

    private static List<MetricStatistic> statistics(String name) {
        List<MetricStatistic> statistics = new ArrayList<>();
        for (int arm = 0; arm < 2; arm++) {
            String p = "arm" + arm + ".";
            long n = (long) value(name, p + "n");
            if (name.startsWith("mean")) {
                statistics.add(
                        new MeanStatistic(
                                n,
                                value(name, p + "sum"),
                                value(name, p + "sumSquares"),
                                new Covariate(
                                        value(name, p + "xSum"),
                                        value(name, p + "xSumSquares"),
                                        value(name, p + "xySumProducts"))));
            } else {
                statistics.add(
                        new RatioStatistic(
                                n,
                                value(name, p + "mSum"),
                                value(name, p + "mSumSquares"),
                                value(name, p + "dSum"),
                                value(name, p + "dSumSquares"),
                                value(name, p + "mdSumProducts"),
                                new RatioCovariate(
                                        value(name, p + "xSum"),
                                        value(name, p + "xSumSquares"),
                                        value(name, p + "xmSumProducts"),
                                        value(name, p + "xdSumProducts"))));
            }
        }
        return statistics;
    }

    private static double value(String name, String key) {
        return Double.parseDouble(EXPECTED.getProperty(name + "." + key));
    }
}
