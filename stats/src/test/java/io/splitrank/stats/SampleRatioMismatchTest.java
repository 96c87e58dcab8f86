package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** χ² goodness of fit of units against weights. */
class SampleRatioMismatchTest {

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/srm.csv", numLinesToSkip = 1)
    void pValueMatchesScipyChisquareAndFlagsBelowOnePerMille(
            String units, String weights, double chiSquare, double pValue) {
        SrmResult result =
                SampleRatioMismatch.test(Reference.longs(units), Reference.doubles(weights));

        assertRelative(result.pValue(), pValue, 1e-9, "scipy 1.10.1 stats.chisquare pvalue");
        assertThat(result.mismatch()).isEqualTo(pValue < 0.001);
    }

    @Test
    void noUnitsAtAllGivesNoPValueAndNoFlag() {
        assertThat(SampleRatioMismatch.test(new long[] {0, 0}, new double[] {1, 1}))
                .isEqualTo(new SrmResult(null, false));
    }

    @Test
    void aNonPositiveWeightIsRejectedWithItsField() {
        assertThatThrownBy(() -> SampleRatioMismatch.test(new long[] {5, 5}, new double[] {1, 0}))
                .isInstanceOfSatisfying(
                        InvalidStatisticsException.class,
                        e -> assertThat(e.field()).isEqualTo("arms[1].weight"));
    }
}
