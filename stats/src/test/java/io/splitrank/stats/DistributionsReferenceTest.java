package io.splitrank.stats;

import static io.splitrank.stats.Reference.assertRelative;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

/** Normal and t quantiles and cdfs, far into the tails, against scipy 1.10.1. */
class DistributionsReferenceTest {

    @org.junit.jupiter.api.Test
    void cauchyQuantileIsExact() {
        assertRelative(
                Distributions.tQuantile(0.0005, 1.0),
                -1 / Math.tan(Math.PI * 0.0005),
                1e-12,
                "closed form of the t quantile with one degree of freedom");
    }

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/quantiles.csv", numLinesToSkip = 1)
    void quantilesMatchScipyIntoTheTails(
            String distribution, double p, String df, double expected) {
        double actual =
                distribution.equals("normal")
                        ? Distributions.normalQuantile(p)
                        : Distributions.tQuantile(p, Double.parseDouble(df));

        // 1e-8 because scipy's own t.ppf(0.0005, 1) is 1.04e-9 (relative) off the exact Cauchy
        // quantile −cot(π·0.0005) = −636.6192487687…, which this module returns
        assertRelative(
                actual,
                expected,
                distribution.equals("normal") ? 1e-9 : 1e-8,
                "scipy 1.10.1 stats." + distribution + ".ppf");
    }

    @ParameterizedTest
    @CsvFileSource(resources = "/reference/cdf.csv", numLinesToSkip = 1)
    void cdfsMatchScipyIntoTheTails(String distribution, double x, String df, double expected) {
        double actual =
                distribution.equals("normal")
                        ? Distributions.normalCdf(x)
                        : Distributions.tCdf(x, Double.parseDouble(df));

        assertRelative(actual, expected, 1e-9, "scipy 1.10.1 stats." + distribution + ".cdf");
    }
}
