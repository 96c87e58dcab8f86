package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole analyses through the façade against {@code analysis.properties}: per-arm moments by numpy
 * on unit-level data; Welch p-value and interval by scipy 1.10.1 {@code stats.t.sf}/{@code t.ppf};
 * the confidence sequence and its p-value by the formulas of docs/statistics.md evaluated in numpy;
 * chance to win and credible interval by scipy {@code stats.norm.sf}/{@code ppf}; risks by 40-digit
 * {@code mpmath.quad} of the posterior; Holm by statsmodels 0.13.5 {@code multipletests}. Relative
 * tolerance 1e-9 unless stated.
 */
class AnalysisReferenceTest {

    private static final Properties EXPECTED = Reference.properties("analysis.properties");
    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "meanRelative",
                "meanAbsolutePrior",
                "proportionThreeArms",
                "ratioAbsolute",
                "ratioRelative"
            })
    void analysisAgreesWithIndependentReferences(String name) {
        ExperimentAnalysis analysis =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(value(name, "alpha"))
                        .withSequentialTuning(value(name, "tuning"))
                        .withCorrection(Correction.HOLM)
                        .withDifferenceType(
                                DifferenceType.valueOf(text(name, "difference").toUpperCase()));
        if (EXPECTED.containsKey(name + ".priorMean")) {
            analysis =
                    analysis.withPrior(
                            new NormalPrior(
                                    value(name, "priorMean"), value(name, "priorVariance")));
        }
        MetricType type = MetricType.valueOf(text(name, "type").toUpperCase());
        int armCount = (int) value(name, "arms");
        List<ArmInput> arms = new ArrayList<>();
        for (int i = 0; i < armCount; i++) {
            arms.add(new ArmInput("arm" + i, 1.0, statistic(name, type, "arm" + i + ".")));
        }

        AnalysisResult result = analysis.analyze(type, arms);

        assertThat(result.arms()).hasSize(armCount);
        assertThat(result.arms().get(0).comparison()).isNull();
        for (int i = 0; i < armCount; i++) {
            String p = "arm" + i + ".";
            ArmResult arm = result.arms().get(i);
            assertRelative(arm.mean(), value(name, p + "mean"), TOLERANCE, "numpy mean");
            assertRelative(
                    arm.variance(),
                    value(name, p + "variance"),
                    1e-8,
                    "numpy var(ddof=1) (of the linearisation for a ratio; m(1-m) for a proportion)");
            if (i == 0) {
                continue;
            }
            Comparison c = arm.comparison();
            assertThat(c.error()).isNull();
            assertRelative(c.estimate(), value(name, p + "estimate"), TOLERANCE, "numpy lift");
            assertRelative(
                    c.standardError(),
                    value(name, p + "standardError"),
                    1e-8,
                    "numpy delta-method SE (docs/statistics.md)");
            FixedHorizon fixed = c.fixedHorizon();
            assertRelative(
                    fixed.degreesOfFreedom(),
                    value(name, p + "degreesOfFreedom"),
                    1e-8,
                    "Welch-Satterthwaite df in numpy");
            assertRelative(
                    fixed.pValue(),
                    value(name, p + "pValue"),
                    1e-9,
                    "scipy 1.10.1 2*stats.t.sf(|t|, df)");
            assertRelative(
                    fixed.ci().get(0), value(name, p + "ciLower"), 1e-8, "scipy stats.t.ppf");
            assertRelative(
                    fixed.ci().get(1), value(name, p + "ciUpper"), 1e-8, "scipy stats.t.ppf");
            assertRelative(
                    c.sequential().ci().get(0),
                    value(name, p + "sequentialLower"),
                    1e-8,
                    "numpy, confidence sequence of docs/statistics.md");
            assertRelative(
                    c.sequential().ci().get(1),
                    value(name, p + "sequentialUpper"),
                    1e-8,
                    "numpy, confidence sequence of docs/statistics.md");
            assertRelative(
                    c.sequential().pValue(),
                    value(name, p + "sequentialPValue"),
                    1e-9,
                    "numpy, min(1, 1/E) of docs/statistics.md");
            Bayesian bayes = c.bayesian();
            assertRelative(
                    bayes.chanceToWin(),
                    value(name, p + "chanceToWin"),
                    1e-8,
                    "scipy 1.10.1 stats.norm(mean, sd).sf(0)");
            assertRelative(
                    bayes.ci().get(0),
                    value(name, p + "credibleLower"),
                    1e-8,
                    "scipy stats.norm.ppf(alpha/2)");
            assertRelative(
                    bayes.ci().get(1),
                    value(name, p + "credibleUpper"),
                    1e-8,
                    "scipy stats.norm.ppf(1 - alpha/2)");
            assertRelative(
                    bayes.risk().control(),
                    value(name, p + "riskControl"),
                    1e-9,
                    "mpmath 1.2.1 quad of x*pdf over x > 0, 40 digits");
            assertRelative(
                    bayes.risk().treatment(),
                    value(name, p + "riskTreatment"),
                    1e-9,
                    "mpmath 1.2.1 quad of -x*pdf over x < 0, 40 digits");
            double expectedAdjusted =
                    armCount > 2 ? value(name, p + "holm") : value(name, p + "pValue");
            assertRelative(
                    c.adjustedPValue(),
                    expectedAdjusted,
                    1e-9,
                    "statsmodels 0.13.5 multipletests(method='holm')");
        }
    }

    private static MetricStatistic statistic(String name, MetricType type, String p) {
        long n = (long) value(name, p + "n");
        return switch (type) {
            case PROPORTION -> new ProportionStatistic(n, value(name, p + "sum"));
            case MEAN ->
                    new MeanStatistic(n, value(name, p + "sum"), value(name, p + "sumSquares"));
            case RATIO ->
                    new RatioStatistic(
                            n,
                            value(name, p + "mSum"),
                            value(name, p + "mSumSquares"),
                            value(name, p + "dSum"),
                            value(name, p + "dSumSquares"),
                            value(name, p + "mdSumProducts"));
        };
    }

    private static String text(String name, String key) {
        return EXPECTED.getProperty(name + "." + key);
    }

    private static double value(String name, String key) {
        return Double.parseDouble(text(name, key));
    }
}
