package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/**
 * The delta-method variance of a ratio from six sums against a direct computation on the unit-level
 * data: numpy 1.24 var(ddof=1) of the linearisation (M − r·D)/mean(D).
 */
class RatioVarianceReferenceTest {

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/ratio.csv", numLinesToSkip = 1)
    void deltaMethodVarianceFromSumsMatchesUnitLevelLinearisation(
            long n,
            double mSum,
            double mSumSquares,
            double dSum,
            double dSumSquares,
            double mdSumProducts,
            double ratio,
            double variance) {
        RatioStatistic statistic =
                new RatioStatistic(n, mSum, mSumSquares, dSum, dSumSquares, mdSumProducts);

        ArmMoments moments = RegressionAdjustment.moments(List.of(statistic), false)[0];

        assertRelative(moments.mean(), ratio, 1e-12, "numpy sum(M)/sum(D)");
        assertRelative(
                moments.variance(),
                variance,
                1e-8,
                "numpy 1.24 var((M - r*D)/mean(D), ddof=1) on unit-level data");
    }
}
