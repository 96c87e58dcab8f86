package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Interleaving preference statistics against scipy and statsmodels ({@code
 * src/test/resources/reference/make_interleaving_expected.py}): 22 cases of k wins of b among m
 * units with a preference, from m = 1 to m = 100,000, with k = 0 and k = m.
 */
class InterleavingReferenceTest {

    @ParameterizedTest(name = "k = {0}, m = {1}, alpha = {2}")
    @CsvFileSource(resources = "/reference/interleaving.csv", numLinesToSkip = 1)
    void preferenceSignTestAndIntervalsMatchScipyAndStatsmodels(
            long winsB,
            long unitsWithPreference,
            double alpha,
            long ties,
            double pValue,
            double cpLower,
            double cpUpper,
            double betaLower,
            double betaUpper,
            Double sequentialLower,
            Double sequentialUpper,
            Double sequentialPValue) {
        long winsA = unitsWithPreference - winsB;
        PairPreference result =
                InterleavingAnalysis.withDefaults()
                        .withAlpha(alpha)
                        .analyze(new PreferenceCounts("a", "b", winsA, winsB, ties));

        assertThat(result.units()).isEqualTo(unitsWithPreference + ties);
        assertThat(result.unitsWithPreference()).isEqualTo(unitsWithPreference);
        assertThat(result.winsA()).isEqualTo(winsA);
        assertThat(result.winsB()).isEqualTo(winsB);
        assertThat(result.ties()).isEqualTo(ties);
        assertThat(result.preference())
                .as("(2k − m)/m")
                .isCloseTo(
                        (2.0 * winsB - unitsWithPreference) / unitsWithPreference, within(1e-15));

        SignTest fixed = result.fixedHorizon();
        assertRelative(
                fixed.pValue(), pValue, 1e-9, "scipy 1.10.1 stats.binomtest(k, m, 0.5).pvalue");
        // binomtest finds each Clopper–Pearson bound with brentq at xtol 2e-12: absolute 1e-11
        assertThat(fixed.winProbabilityCi().get(0))
                .as(
                        "scipy 1.10.1 binomtest(k, m).proportion_ci(1 − α, 'exact') low, absolute 1e-11")
                .isCloseTo(cpLower, within(1e-11));
        assertThat(fixed.winProbabilityCi().get(1))
                .as(
                        "scipy 1.10.1 binomtest(k, m).proportion_ci(1 − α, 'exact') high, absolute 1e-11")
                .isCloseTo(cpUpper, within(1e-11));
        assertRelative(
                fixed.winProbabilityCi().get(0),
                betaLower,
                1e-9,
                "statsmodels 0.13.5 proportion_confint(k, m, α, method='beta') lower");
        assertRelative(
                fixed.winProbabilityCi().get(1),
                betaUpper,
                1e-9,
                "statsmodels 0.13.5 proportion_confint(k, m, α, method='beta') upper");
        assertThat(fixed.ci().get(0))
                .as("2·(statsmodels beta lower) − 1, absolute 1e-12")
                .isCloseTo(2 * betaLower - 1, within(1e-12));
        assertThat(fixed.ci().get(1))
                .as("2·(statsmodels beta upper) − 1, absolute 1e-12")
                .isCloseTo(2 * betaUpper - 1, within(1e-12));

        if (sequentialPValue == null) {
            assertThat(result.sequential()).isNull();
            assertThat(result.error()).startsWith("sequential: ");
            return;
        }
        assertThat(result.error()).isNull();
        Sequential sequential = result.sequential();
        assertRelative(
                sequential.ci().get(0),
                sequentialLower,
                1e-9,
                "numpy: confidence sequence on the ±1 scores, var(ddof=1), clipped to [−1, 1]");
        assertRelative(
                sequential.ci().get(1),
                sequentialUpper,
                1e-9,
                "numpy: confidence sequence on the ±1 scores, var(ddof=1), clipped to [−1, 1]");
        assertRelative(
                sequential.pValue(),
                sequentialPValue,
                1e-9,
                "numpy: always-valid p-value min(1, 1/E) on the ±1 scores");
    }
}
