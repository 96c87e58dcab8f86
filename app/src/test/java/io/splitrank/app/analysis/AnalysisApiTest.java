package io.splitrank.app.analysis;

import static org.hamcrest.Matchers.closeTo;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The analysis API in the documented shape. Expected values: scipy 1.10.1, computed by {@code
 * src/test/resources/reference/analysis_api_expected.py}, with numpy and statsmodels for the CUPED
 * cases; relative tolerance 1e-6.
 */
@PlatformTest
class AnalysisApiTest {

    private static final String ARMS =
            """
            "arms": [
              {"key": "control", "weight": 0.5, "n": 3407, "sum": 1396.87, "sumSquares": 52377.9767},
              {"key": "ektm", "weight": 0.5, "n": 3461, "sum": 2422.7, "sumSquares": 134698.29}]""";

    @Autowired MockMvc mvc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    /** Within 1e-6 relative; JSON numbers arrive as Double or BigDecimal. */
    private static Matcher<Object> near(double expected) {
        return new TypeSafeMatcher<>(Object.class) {
            @Override
            protected boolean matchesSafely(Object actual) {
                return actual instanceof Number n
                        && closeTo(expected, Math.abs(expected) * 1e-6).matches(n.doubleValue());
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a number within 1e-6 (relative) of " + expected);
            }
        };
    }

    @Test
    void meanMetricRelativeLiftMatchesScipy() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean", "cuped": false}, "differenceType": "relative", "alpha": 0.05,
                 "sequentialTuning": 5000, "correction": "holm", %s}"""
                                .formatted(ARMS))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.arms[0].key").value("control"))
                .andExpect(jsonPath("$.arms[0].mean", near(0.41)))
                .andExpect(jsonPath("$.arms[0].variance", near(15.21)))
                .andExpect(jsonPath("$.arms[0].comparison").doesNotExist())
                .andExpect(jsonPath("$.arms[1].mean", near(0.7)))
                .andExpect(jsonPath("$.arms[1].variance", near(38.44)))
                // scipy 1.10.1 (analysis_api_expected.py, "relative")
                .andExpect(jsonPath("$.arms[1].comparison.estimate", near(0.7073170731707317)))
                .andExpect(jsonPath("$.arms[1].comparison.standardError", near(0.3787943616681428)))
                .andExpect(
                        jsonPath(
                                "$.arms[1].comparison.fixedHorizon.degreesOfFreedom",
                                near(5841.742032093565)))
                .andExpect(
                        jsonPath(
                                "$.arms[1].comparison.fixedHorizon.ci[0]",
                                near(-0.03526008906611777)))
                .andExpect(
                        jsonPath(
                                "$.arms[1].comparison.fixedHorizon.ci[1]", near(1.449894235407581)))
                .andExpect(
                        jsonPath(
                                "$.arms[1].comparison.fixedHorizon.pValue",
                                near(0.06191182745618358)))
                // one treatment: Holm leaves the p-value as it is
                .andExpect(
                        jsonPath("$.arms[1].comparison.adjustedPValue", near(0.06191182745618358)))
                .andExpect(jsonPath("$.arms[1].comparison.sequential.pValue").isNumber())
                .andExpect(jsonPath("$.arms[1].comparison.bayesian.chanceToWin").isNumber())
                .andExpect(jsonPath("$.arms[1].comparison.bayesian.risk.control").isNumber())
                // scipy 1.10.1 stats.chisquare (analysis_api_expected.py, "srm")
                .andExpect(jsonPath("$.srm.pValue", near(0.5146616284591244)))
                .andExpect(jsonPath("$.srm.mismatch").value(false));
    }

    /**
     * CUPED with a relative lift: the standard error follows the delta method with the control's
     * unadjusted mean random (docs/statistics.md, CUPED). Unit-level data and expected values from
     * numpy 1.24 and statsmodels 0.13.5 (analysis_api_expected.py, "cupedMean"), covariate means
     * that differ between the arms.
     */
    @Test
    void cupedRelativeLiftOfAMeanMatchesTheUnitLevelDeltaMethod() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean", "cuped": true}, "differenceType": "relative", "arms": [
                  {"key": "control", "weight": 0.5, "n": 1800, "sum": 12395.182605444523,
                   "sumSquares": 115859.87151471247, "xSum": 11054.003453573714,
                   "xSumSquares": 103817.27383591377, "xySumProducts": 104988.69020135167},
                  {"key": "ektm", "weight": 0.5, "n": 1700, "sum": 12677.235259948242,
                   "sumSquares": 122182.6840394801, "xSum": 10974.94635788317,
                   "xSumSquares": 104342.75151427876, "xySumProducts": 108418.30297358954}]}""")
                .andExpect(status().isOk())
                // numpy 1.24 / statsmodels 0.13.5 (analysis_api_expected.py, "cupedMean relative")
                .andExpect(jsonPath("$.arms[1].comparison.estimate", near(0.04635699150227661)))
                .andExpect(
                        jsonPath("$.arms[1].comparison.standardError", near(0.010240609764274539)));
    }

    /** The same for a ratio metric (analysis_api_expected.py, "cupedRatio"). */
    @Test
    void cupedRelativeLiftOfARatioMatchesTheUnitLevelDeltaMethod() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "ratio", "cuped": true}, "differenceType": "relative", "arms": [
                  {"key": "control", "weight": 0.5, "n": 1500, "mSum": 1689.0, "mSumSquares": 4409.0,
                   "dSum": 17127.0, "dSumSquares": 288051.0, "mdSumProducts": 28435.0,
                   "xSum": 1483.0, "xSumSquares": 3737.0, "xmSumProducts": 2436.0,
                   "xdSumProducts": 25116.0},
                  {"key": "ektm", "weight": 0.5, "n": 1600, "mSum": 2059.0, "mSumSquares": 5833.0,
                   "dSum": 18224.0, "dSumSquares": 300210.0, "mdSumProducts": 34547.0,
                   "xSum": 1875.0, "xSumSquares": 4973.0, "xmSumProducts": 3394.0,
                   "xdSumProducts": 29867.0}]}""")
                .andExpect(status().isOk())
                // numpy 1.24 / statsmodels 0.13.5 (analysis_api_expected.py, "cupedRatio relative")
                .andExpect(jsonPath("$.arms[1].comparison.estimate", near(0.14566431072981811)))
                .andExpect(
                        jsonPath("$.arms[1].comparison.standardError", near(0.036241945960061014)));
    }

    @Test
    void absoluteDifferenceMatchesScipysWelchTest() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean"}, "differenceType": "absolute", %s}"""
                                .formatted(ARMS))
                .andExpect(status().isOk())
                // scipy 1.10.1 stats.ttest_ind_from_stats(equal_var=False)
                // (analysis_api_expected.py, "absolute")
                .andExpect(jsonPath("$.arms[1].comparison.estimate", near(0.29)))
                .andExpect(
                        jsonPath("$.arms[1].comparison.standardError", near(0.12478363158758794)))
                .andExpect(
                        jsonPath(
                                "$.arms[1].comparison.fixedHorizon.pValue",
                                near(0.020158402643586957)));
    }

    @Test
    void aComparisonThatCannotBeComputedCarriesAnErrorInsteadOfNumbers() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean"}, "arms": [
                  {"key": "control", "n": 100, "sum": 0, "sumSquares": 0},
                  {"key": "b", "n": 100, "sum": 5, "sumSquares": 7}]}""")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.arms[1].comparison.error").isString())
                .andExpect(jsonPath("$.arms[1].comparison.estimate").doesNotExist());
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        api.post(
                        "/api/v1/analysis",
                        "{\"metric\": {\"type\": \"mean\"}, \"arms\": [{\"n\": 10, \"sum\": 1, \"sumSquares\": 1}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms"));
        api.post("/api/v1/analysis", "{\"metric\": {\"type\": \"median\"}, " + ARMS + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("metric.type"));
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean"}, "arms": [{"n": 10, "sum": 1, "sumSquares": 1}, {"n": 10, "sum": 1}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[1].sumSquares"));
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean"}, "arms": [{"n": -1, "sum": 1, "sumSquares": 1}, {"n": 10, "sum": 1, "sumSquares": 1}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[0].n"));
        api.post(
                        "/api/v1/analysis",
                        """
                {"metric": {"type": "mean"}, "arms": [{"n": 10, "sum": 10, "sumSquares": 1}, {"n": 10, "sum": 1, "sumSquares": 1}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[0].sumSquares"));
        api.post(
                        "/api/v1/analysis",
                        "{\"metric\": {\"type\": \"mean\"}, \"alpha\": 0.7, " + ARMS + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("alpha"));
        api.post("/api/v1/analysis", "{\"metric\": {\"type\": \"ratio\"}, " + ARMS + "}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[0].mSum"));
    }
}
