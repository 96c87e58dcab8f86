package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * Sample size and minimum detectable effect against statsmodels 0.13.5 {@code
 * NormalIndPower.solve_power(alpha=α/2, alternative="larger", ratio=1)}: the one-sided test at α/2
 * is exactly the two-sided normal test without its negligible wrong-direction term.
 */
class PowerAnalysisTest {

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/power.csv", numLinesToSkip = 1)
    void sampleSizeAndDetectableEffectMatchStatsmodels(
            double mean,
            double variance,
            double alpha,
            double power,
            double relativeEffect,
            long unitsPerArm,
            double requiredUnitsPerArm,
            double relativeMinimumDetectableEffect) {
        PowerAnalysis analysis = PowerAnalysis.withDefaults().withAlpha(alpha).withPower(power);

        assertThat(analysis.sampleSizePerArm(mean, variance, relativeEffect))
                .as("ceil of statsmodels NormalIndPower.solve_power(nobs1=None)")
                .isEqualTo((long) Math.ceil(requiredUnitsPerArm));
        assertRelative(
                analysis.minimumDetectableEffect(mean, variance, unitsPerArm),
                relativeMinimumDetectableEffect,
                1e-7,
                "statsmodels 0.13.5 NormalIndPower.solve_power(effect_size=None) * sd / |mean|");
    }

    @org.junit.jupiter.api.Test
    void anAbsoluteEffectIsTheRelativeOneTimesTheBaseline() {
        PowerAnalysis relative = PowerAnalysis.withDefaults();
        PowerAnalysis absolute = relative.withDifferenceType(DifferenceType.ABSOLUTE);

        assertThat(absolute.sampleSizePerArm(3.2, 40.0, 0.16))
                .isEqualTo(relative.sampleSizePerArm(3.2, 40.0, 0.05));
        assertRelative(
                absolute.minimumDetectableEffect(3.2, 40.0, 12_000),
                3.2 * relative.minimumDetectableEffect(3.2, 40.0, 12_000),
                1e-12,
                "identity");
    }
}
