package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Behaviour beyond the reference vectors where Splitrank must agree with GrowthBook's JavaScript
 * SDK. Expected values were produced by GrowthBook's {@code hash()} algorithm ({@code hashFnv32a}
 * over {@code charCodeAt}) and by {@code String(number)}, both run under Node.js 20.20.2;
 * comparisons are exact.
 */
final class JavaScriptCompatibilityTest {

    @ParameterizedTest(name = "hash(\"{0}\", \"{1}\", {2}) = {3}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            ranker-ektm:3 | 用户-42     | 2 | 0.5958
            __layerA      | 用户-42     | 1 | 0.131
            ranker-ektm:3 | Zoë        | 2 | 0.4338
            __layerA      | Zoë        | 1 | 0.493
            ranker-ektm:3 | naïve café | 2 | 0.2426
            __layerA      | naïve café | 1 | 0.159
            ranker-ektm:3 | 😀emoji     | 2 | 0.6323
            __layerA      | 😀emoji     | 1 | 0.56
            ranker-ektm:3 | u1         | 2 | 0.2746
            __layerA      | u1         | 1 | 0.153
            ranker-ektm:3 | ÿĀ         | 2 | 0.9245
            __layerA      | ÿĀ         | 1 | 0.196
            """)
    void nonAsciiIdsHashAsUtf16CodeUnitsLikeTheJavaScriptSdk(
            String seed, String value, int version, double expected) {
        assertThat(GrowthBookHash.hash(seed, value, version)).hasValue(expected);
    }

    @ParameterizedTest(name = "String({0}) = {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            1.5                     | 1.5
            0.1                     | 0.1
            1e21                    | 1e+21
            1e-7                    | 1e-7
            123456789.123           | 123456789.123
            -0.000001               | -0.000001
            9007199254740992        | 9007199254740992
            0.3333333333333333      | 0.3333333333333333
            5e-324                  | 5e-324
            1.7976931348623157e308  | 1.7976931348623157e+308
            100                     | 100
            12345678901234567890    | 12345678901234567000
            0.000123                | 0.000123
            -42.25                  | -42.25
            1e20                    | 100000000000000000000
            123e-20                 | 1.23e-18
            """)
    void numbersAreWrittenAsJavaScriptWritesThem(double value, String expected) {
        assertThat(JsValues.doubleToString(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "unitId({0}) = {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            textBlock =
                    """
            42      | 42
            -7      | -7
            0       | null
            """)
    void integerHashAttributesAreStringifiedAndZeroIsSkippedLikeGrowthBook(
            long value, String expected) {
        assertThat(AssignmentEngine.unitId(value)).isEqualTo(expected);
        assertThat(AssignmentEngine.unitId((int) value)).isEqualTo(expected);
    }
}
