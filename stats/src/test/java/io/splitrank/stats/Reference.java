package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Properties;

/**
 * Expected values written by {@code src/test/resources/reference/make_expected.py} (scipy 1.10.1,
 * statsmodels 0.13.5, numpy 1.24.2 from Debian), and a relative-tolerance assertion.
 */
final class Reference {

    private Reference() {}

    static Properties properties(String name) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + name)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(String semicolonSeparated) {
        return Arrays.stream(semicolonSeparated.split(";"))
                .mapToDouble(Double::parseDouble)
                .toArray();
    }

    static long[] longs(String semicolonSeparated) {
        return Arrays.stream(semicolonSeparated.split(";")).mapToLong(Long::parseLong).toArray();
    }

    /** |actual − expected| ≤ relativeTolerance·|expected| (or absolute below 1e-300). */
    static void assertRelative(
            double actual, double expected, double relativeTolerance, String source) {
        assertThat(actual)
                .as("%s, relative tolerance %s", source, relativeTolerance)
                .isCloseTo(
                        expected, within(relativeTolerance * Math.max(Math.abs(expected), 1e-300)));
    }
}
