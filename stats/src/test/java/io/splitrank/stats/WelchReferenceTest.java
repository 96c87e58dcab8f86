package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Welch t test on summary statistics against scipy and statsmodels. */
class WelchReferenceTest {

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/welch.csv", numLinesToSkip = 1)
    void welchTestOnSummaryStatisticsMatchesScipyAndStatsmodels(
            long nA,
            double meanA,
            double varianceA,
            long nB,
            double meanB,
            double varianceB,
            double alpha,
            double estimate,
            double t,
            double pValue,
            double degreesOfFreedom,
            double ciLower,
            double ciUpper) {
        ArmMoments control =
                new ArmMoments(nA, meanA, varianceA, meanA, varianceA, varianceA, null);
        ArmMoments treatment =
                new ArmMoments(nB, meanB, varianceB, meanB, varianceB, varianceB, null);

        Lift lift = Lift.of(control, treatment, DifferenceType.ABSOLUTE);
        FixedHorizon result = FixedHorizonInference.test(lift, alpha);

        assertRelative(lift.estimate(), estimate, 1e-12, "mean difference");
        assertRelative(
                lift.estimate() / lift.standardError(),
                t,
                1e-9,
                "scipy 1.10.1 stats.ttest_ind_from_stats(equal_var=False) statistic");
        assertRelative(
                result.pValue(),
                pValue,
                1e-9,
                "scipy 1.10.1 stats.ttest_ind_from_stats(equal_var=False) pvalue");
        assertRelative(
                result.degreesOfFreedom(),
                degreesOfFreedom,
                1e-9,
                "statsmodels 0.13.5 CompareMeans.ttest_ind(usevar='unequal') df");
        assertRelative(
                result.ci().get(0),
                ciLower,
                1e-9,
                "statsmodels 0.13.5 CompareMeans.tconfint_diff(usevar='unequal') lower");
        assertRelative(
                result.ci().get(1),
                ciUpper,
                1e-9,
                "statsmodels 0.13.5 CompareMeans.tconfint_diff(usevar='unequal') upper");
    }
}
