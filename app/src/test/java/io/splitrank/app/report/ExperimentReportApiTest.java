package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.app.assignment.ExposureRecorder;
import io.splitrank.app.report.PlainStatistics.Unit;
import io.splitrank.app.report.SimulatedTraffic.SimEvent;
import io.splitrank.stats.AnalysisResult;
import io.splitrank.stats.ArmInput;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.Correction;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.MetricType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated experiment goes in over the API (experiment, assignments, raw events); the report's
 * numbers must equal a computation from the same events in plain Java ({@link PlainStatistics}),
 * its comparisons what the stats module answers for those plain statistics, and one p-value what
 * scipy answers (src/test/resources/reference/report_expected.py).
 */
@PlatformTest
class ExperimentReportApiTest {

    /**
     * Relative tolerance between the SQL sums and the plain-Java sums (float sums in another
     * order).
     */
    private static final double SUM_TOLERANCE = 1e-9;

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private JsonNode report(String key, String query) throws Exception {
        String body =
                api.get("/api/v1/experiments/" + key + "/report" + query)
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        assertThat(body).doesNotContain("NaN").doesNotContain("Infinity");
        return json.readTree(body);
    }

    /** The daily series' points of arm ektm's ecpm. */
    private static List<JsonNode> ektmEcpm(JsonNode report) {
        List<JsonNode> points = new ArrayList<>();
        report.get("timeseries")
                .forEach(
                        p -> {
                            if (p.get("metric").asString().equals("ecpm")
                                    && p.get("arm").asString().equals("ektm")) {
                                points.add(p);
                            }
                        });
        return points;
    }

    private static JsonNode metric(JsonNode report, String id) {
        for (JsonNode m : report.get("metrics")) {
            if (m.get("metric").asString().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no metric " + id + " in the report");
    }

    private static void assertClose(JsonNode actual, double expected, String what) {
        assertThat(actual.asDouble())
                .as(what)
                .isCloseTo(expected, within(Math.abs(expected) * SUM_TOLERANCE + 1e-12));
    }

    private void assertArmsMatch(
            JsonNode report,
            PlainStatistics plain,
            String id,
            ToDoubleFunction<Unit> numerator,
            ToDoubleFunction<Unit> denominator,
            double scale) {
        Iterator<JsonNode> arms = metric(report, id).get("arms").iterator();
        for (int arm = 0; arm < plain.arms.size(); arm++) {
            JsonNode a = arms.next();
            double num = plain.sum(arm, numerator);
            double den = denominator == null ? plain.units(arm) : plain.sum(arm, denominator);
            assertThat(a.get("units").asLong())
                    .as("%s arm %d units", id, arm)
                    .isEqualTo(plain.units(arm));
            assertClose(a.get("numerator"), num, id + " arm " + arm + " numerator");
            assertClose(a.get("denominator"), den, id + " arm " + arm + " denominator");
            assertClose(a.get("value"), scale * num / den, id + " arm " + arm + " value");
        }
    }

    /** The stats module's answer for plain statistics, as the report is configured. */
    private static AnalysisResult expected(
            MetricType type, List<MetricStatistic> stats, boolean cuped) {
        List<ArmInput> inputs = new ArrayList<>();
        double[] weights = {0.4, 0.3, 0.3};
        String[] keys = {"control", "ektm", "htlnet"};
        for (int i = 0; i < stats.size(); i++) {
            inputs.add(new ArmInput(keys[i], weights[i], stats.get(i)));
        }
        return ExperimentAnalysis.withDefaults()
                .withAlpha(0.1)
                .withDifferenceType(DifferenceType.ABSOLUTE)
                .withSequentialTuning(2000)
                .withCorrection(Correction.NONE)
                .withRegressionAdjustment(cuped)
                .analyze(type, inputs);
    }

    private static void assertComparison(JsonNode actual, Comparison expected, String what) {
        Offset<Double> tight = within(1e-7 * Math.max(1, Math.abs(expected.estimate())));
        assertThat(actual.get("estimate").asDouble())
                .as(what + " estimate")
                .isCloseTo(expected.estimate(), tight);
        assertThat(actual.get("standardError").asDouble())
                .as(what + " SE")
                .isCloseTo(expected.standardError(), within(1e-7 * expected.standardError()));
        for (int i = 0; i < 2; i++) {
            assertThat(actual.get("fixedHorizon").get("ci").get(i).asDouble())
                    .as(what + " CI")
                    .isCloseTo(expected.fixedHorizon().ci().get(i), tight);
            assertThat(actual.get("sequential").get("ci").get(i).asDouble())
                    .as(what + " sequential CI")
                    .isCloseTo(expected.sequential().ci().get(i), tight);
        }
        assertThat(actual.get("fixedHorizon").get("pValue").asDouble())
                .as(what + " p")
                .isCloseTo(expected.fixedHorizon().pValue(), within(1e-7));
        assertThat(actual.get("sequential").get("pValue").asDouble())
                .as(what + " sequential p")
                .isCloseTo(expected.sequential().pValue(), within(1e-7));
        assertThat(actual.get("bayesian").get("chanceToWin").asDouble())
                .as(what + " chance to win")
                .isCloseTo(expected.bayesian().chanceToWin(), within(1e-7));
    }

    @Test
    void theReportEqualsAPlainComputationFromTheSameEventsAndResendingChangesNothing()
            throws Exception {
        String key = "report-sim";
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "%s", "arms": [
                  {"key": "control", "model": "baseline", "weight": 0.4},
                  {"key": "ektm", "model": "ektm", "weight": 0.3},
                  {"key": "htlnet", "model": "htlnet", "weight": 0.3}],
                 "metrics": {"primary": "ecpm", "secondary": ["ctr", "cvr:purchase"], "guardrails": ["conversion_rate"]},
                 "analysis": {"alpha": 0.1, "differenceType": "absolute", "correction": "holm",
                              "sequentialTuning": 2000, "cupedDays": 7}}"""
                                .formatted(key))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        SimulatedTraffic traffic = new SimulatedTraffic(api, json, jdbc, recorder, key, 20261122L);
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            units.add(key + "-u" + i);
        }
        // history a day before exposure (the CUPED covariate), and noise from units never exposed
        Instant before = Instant.now().minus(1, ChronoUnit.DAYS);
        List<SimEvent> history = new ArrayList<>();
        for (String unit : units) {
            history.addAll(traffic.eventsOf(unit, before, traffic.random.nextInt(6), 0));
        }
        traffic.send(history, false);
        traffic.assign(units);
        assertThat(traffic.exposures).hasSize(units.size());
        List<SimEvent> live = new ArrayList<>();
        for (String unit : units) {
            int arm = traffic.exposures.get(unit).arm();
            live.addAll(
                    traffic.eventsOf(
                            unit,
                            traffic.exposures.get(unit).exposedAt(),
                            2 + traffic.random.nextInt(14),
                            arm == 1 ? 0.08 : 0));
        }
        for (int i = 0; i < 30; i++) {
            live.addAll(traffic.eventsOf(key + "-stranger" + i, Instant.now(), 3, 0));
        }
        traffic.send(live, false);
        aggregator.processNow();

        JsonNode report = report(key, "");
        PlainStatistics plain = new PlainStatistics(traffic.events, traffic.exposures, 3, null, 7);
        assertThat(report.get("experiment").asString()).isEqualTo(key);
        assertThat(report.get("phase").asInt()).isEqualTo(1);
        assertThat(report.get("status").asString()).isEqualTo("running");
        assertThat(report.get("updatedAt").asString()).isNotBlank();
        for (int arm = 0; arm < 3; arm++) {
            assertThat(report.get("arms").get(arm).get("units").asLong())
                    .isEqualTo(plain.units(arm));
        }
        assertThat(report.get("arms").get(1).get("model").asString()).isEqualTo("ektm");
        assertArmsMatch(report, plain, "ecpm", u -> u.value, u -> u.impressions, 1000);
        assertArmsMatch(report, plain, "ctr", u -> u.clicks, u -> u.impressions, 1);
        assertArmsMatch(report, plain, "cvr", u -> u.conversions, u -> u.clicks, 1);
        assertArmsMatch(report, plain, "ctcvr", u -> u.conversions, u -> u.impressions, 1);
        assertArmsMatch(report, plain, "cvr:purchase", u -> u.purchases, u -> u.clicks, 1);
        assertArmsMatch(report, plain, "ctcvr:purchase", u -> u.purchases, u -> u.impressions, 1);
        assertArmsMatch(report, plain, "value_per_unit", u -> u.value, null, 1);
        assertArmsMatch(report, plain, "impressions_per_unit", u -> u.impressions, null, 1);
        assertArmsMatch(report, plain, "conversion_rate", u -> u.conversions > 0 ? 1 : 0, null, 1);
        assertThat(metric(report, "ecpm").get("arms").get(0).has("comparison"))
                .as("the control has none")
                .isFalse();

        // eCPM with CUPED: the stats module fed with the plain statistics (numerator scaled to
        // eCPM)
        AnalysisResult ecpm =
                expected(
                        MetricType.RATIO,
                        List.of(
                                plain.ratio(0, u -> u.value, u -> u.impressions, true)
                                        .scaledNumerator(1000),
                                plain.ratio(1, u -> u.value, u -> u.impressions, true)
                                        .scaledNumerator(1000),
                                plain.ratio(2, u -> u.value, u -> u.impressions, true)
                                        .scaledNumerator(1000)),
                        true);
        for (int arm = 1; arm < 3; arm++) {
            assertComparison(
                    metric(report, "ecpm").get("arms").get(arm).get("comparison"),
                    ecpm.arms().get(arm).comparison(),
                    "ecpm arm " + arm);
        }
        AnalysisResult valuePerUnit =
                expected(
                        MetricType.MEAN,
                        List.of(
                                plain.mean(0, u -> u.value, u -> u.preValue),
                                plain.mean(1, u -> u.value, u -> u.preValue),
                                plain.mean(2, u -> u.value, u -> u.preValue)),
                        true);
        assertComparison(
                metric(report, "value_per_unit").get("arms").get(1).get("comparison"),
                valuePerUnit.arms().get(1).comparison(),
                "value_per_unit ektm (CUPED)");

        // a proportion is not adjusted: its fixed-horizon p-value is Welch's test, here checked
        // against scipy
        ToDoubleFunction<Unit> converted = u -> u.conversions > 0 ? 1 : 0;
        assertThat(plain.units(0))
                .as("scipy inputs (report_expected.py)")
                .isEqualTo(ScipyReference.CONTROL_N);
        assertThat(plain.proportion(0, converted).sum())
                .isEqualTo(ScipyReference.CONTROL_CONVERTED);
        assertThat(plain.units(1)).isEqualTo(ScipyReference.TREATMENT_N);
        assertThat(plain.proportion(1, converted).sum())
                .isEqualTo(ScipyReference.TREATMENT_CONVERTED);
        JsonNode conversion =
                metric(report, "conversion_rate").get("arms").get(1).get("comparison");
        // scipy 1.10.1 ttest_ind_from_stats(..., equal_var=False), tolerance 1e-9
        assertThat(conversion.get("fixedHorizon").get("pValue").asDouble())
                .isCloseTo(ScipyReference.P_VALUE, within(1e-9));
        assertThat(conversion.get("adjustedPValue").asDouble())
                .as("a guardrail is not corrected")
                .isEqualTo(conversion.get("fixedHorizon").get("pValue").asDouble());

        // Holm across the 2 treatments × every non-guardrail metric of the report
        List<Double> raw = new ArrayList<>();
        List<Double> adjusted = new ArrayList<>();
        for (JsonNode m : report.get("metrics")) {
            if (m.get("metric").asString().equals("conversion_rate")) {
                continue;
            }
            for (int arm = 1; arm < 3; arm++) {
                JsonNode c = m.get("arms").get(arm).get("comparison");
                if (c.has("fixedHorizon")) {
                    raw.add(c.get("fixedHorizon").get("pValue").asDouble());
                    adjusted.add(c.get("adjustedPValue").asDouble());
                }
            }
        }
        assertThat(raw).hasSizeGreaterThan(20);
        double[] holm =
                io.splitrank.stats.MultipleComparisons.holm(
                        raw.stream().mapToDouble(Double::doubleValue).toArray());
        for (int i = 0; i < holm.length; i++) {
            assertThat(adjusted.get(i)).isCloseTo(holm[i], within(1e-12));
        }

        // SRM against 0.4/0.3/0.3, decision from the sequential results, today's cumulative point
        assertThat(report.get("srm").get("pValue").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.get("decision").get("outcome").asString())
                .isIn("ship", "continue", "rollback");
        assertThat(report.get("decision").get("primary").get("metric").asString())
                .isEqualTo("ecpm");
        assertThat(report.get("decision").get("guardrails")).hasSize(2);
        JsonNode point = report.get("timeseries").get(0);
        assertThat(point.get("metric").asString()).isEqualTo("ecpm");
        assertThat(point.get("arm").asString()).isEqualTo("ektm");
        AnalysisResult unadjusted =
                expected(
                        MetricType.RATIO,
                        List.of(
                                plain.ratio(0, u -> u.value, u -> u.impressions, false)
                                        .scaledNumerator(1000),
                                plain.ratio(1, u -> u.value, u -> u.impressions, false)
                                        .scaledNumerator(1000),
                                plain.ratio(2, u -> u.value, u -> u.impressions, false)
                                        .scaledNumerator(1000)),
                        false);
        assertThat(point.get("cumulativeLift").asDouble())
                .as("the series is without CUPED")
                .isCloseTo(unadjusted.arms().get(1).comparison().estimate(), within(1e-6));
        assertThat(point.get("ci").get(0).asDouble())
                .isCloseTo(
                        unadjusted.arms().get(1).comparison().sequential().ci().get(0),
                        within(1e-6));

        // a scenario's breakdown
        JsonNode home = report(key, "?scenario=home");
        assertThat(home.get("scenario").asString()).isEqualTo("home");
        PlainStatistics homePlain =
                new PlainStatistics(traffic.events, traffic.exposures, 3, "home", 7);
        assertArmsMatch(home, homePlain, "ctr", u -> u.clicks, u -> u.impressions, 1);
        assertArmsMatch(home, homePlain, "ecpm", u -> u.value, u -> u.impressions, 1000);

        // resending every event changes nothing
        traffic.send(history, true);
        traffic.send(live, true);
        aggregator.processNow();
        JsonNode again = report(key, "");
        assertThat(again.get("metrics")).isEqualTo(report.get("metrics"));
        assertThat(again.get("srm")).isEqualTo(report.get("srm"));
        assertThat(again.get("decision")).isEqualTo(report.get("decision"));

        // capping at the 90th percentile of unit values
        api.patch("/api/v1/experiments/" + key, "{\"analysis\": {\"capPercentile\": 0.9}}")
                .andExpect(status().isOk());
        JsonNode capped = report(key, "");
        assertThat(capped.get("phase").asInt()).isEqualTo(1);
        PlainStatistics cappedPlain =
                new PlainStatistics(traffic.events, traffic.exposures, 3, null, 7).capped(0.9);
        assertArmsMatch(capped, cappedPlain, "ecpm", u -> u.value, u -> u.impressions, 1000);
        assertArmsMatch(capped, cappedPlain, "value_per_unit", u -> u.value, null, 1);
    }

    @Test
    void theTimeseriesHasOneCumulativePointPerDayAndItsLastPointIsTheLiveComparison()
            throws Exception {
        String key = "report-days";
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "%s", "arms": [
                  {"key": "control", "model": "baseline", "weight": 0.4},
                  {"key": "ektm", "model": "ektm", "weight": 0.3},
                  {"key": "htlnet", "model": "htlnet", "weight": 0.3}],
                 "metrics": {"primary": "ecpm", "secondary": ["ctr"]},
                 "analysis": {"alpha": 0.1, "differenceType": "absolute", "sequentialTuning": 2000}}"""
                                .formatted(key))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        long experimentId =
                jdbc.queryForObject("select id from experiment where key = ?", Long.class, key);
        SimulatedTraffic traffic = new SimulatedTraffic(api, json, jdbc, recorder, key, 11L);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<SimEvent> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String unit = key + "-u" + i;
            // exposed over the last three days (written directly: the API exposes units now)
            Instant at =
                    today.minusDays(i / 3 % 3)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .plusSeconds(i * 37 % 20_000);
            if (!at.isBefore(now)) {
                at = now.minusSeconds(120);
            }
            traffic.exposures.put(unit, new SimulatedTraffic.Exposure(i % 3, at));
            jdbc.update(
                    "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at) values (?, 1, ?, ?, ?)",
                    experimentId,
                    unit,
                    i % 3,
                    java.sql.Timestamp.from(at));
            events.addAll(traffic.eventsOf(unit, at, 3 + i % 7, 0));
        }
        traffic.send(events, false);
        aggregator.processNow();

        // the past days are computed in the background: a request waits for them only briefly
        JsonNode report =
                await().atMost(Duration.ofSeconds(30))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> report(key, ""), r -> ektmEcpm(r).size() >= 3);
        List<JsonNode> ecpm = ektmEcpm(report);
        assertThat(ecpm)
                .extracting(p -> p.get("date").asString())
                .containsExactly(
                        today.minusDays(2).toString(),
                        today.minusDays(1).toString(),
                        today.toString());
        for (JsonNode point : ecpm) {
            LocalDate day = LocalDate.parse(point.get("date").asString());
            PlainStatistics plain =
                    new PlainStatistics(
                            traffic.events,
                            traffic.exposures,
                            3,
                            null,
                            0,
                            day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            AnalysisResult expected =
                    expected(
                            MetricType.RATIO,
                            List.of(
                                    plain.ratio(0, u -> u.value, u -> u.impressions, false)
                                            .scaledNumerator(1000),
                                    plain.ratio(1, u -> u.value, u -> u.impressions, false)
                                            .scaledNumerator(1000),
                                    plain.ratio(2, u -> u.value, u -> u.impressions, false)
                                            .scaledNumerator(1000)),
                            false);
            Comparison c = expected.arms().get(1).comparison();
            assertThat(point.get("cumulativeLift").asDouble())
                    .as("day %s", day)
                    .isCloseTo(c.estimate(), within(1e-7 * Math.max(1, Math.abs(c.estimate()))));
            assertThat(point.get("ci").get(1).asDouble())
                    .as("day %s sequential upper", day)
                    .isCloseTo(
                            c.sequential().ci().get(1),
                            within(1e-7 * Math.max(1, Math.abs(c.estimate()))));
        }
        JsonNode live = metric(report, "ecpm").get("arms").get(1).get("comparison");
        assertThat(ecpm.get(2).get("cumulativeLift").asDouble())
                .isCloseTo(live.get("estimate").asDouble(), within(1e-9));
        assertThat(ecpm.get(2).get("ci")).isEqualTo(live.get("sequential").get("ci"));
    }

    @Test
    void anUnknownExperimentOrPhaseIsA404Problem() throws Exception {
        api.get("/api/v1/experiments/no-such-experiment/report")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        api.post("/api/v1/experiments", ApiClient.experiment("report-phases", ""))
                .andExpect(status().isCreated());
        api.get("/api/v1/experiments/report-phases/report?phase=2")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        api.get("/api/v1/experiments/no-such-experiment/reports").andExpect(status().isNotFound());
    }

    @Test
    void aReportWithoutEventsHasUnitsAndComparisonsThatSayWhyInsteadOfNumbers() throws Exception {
        String key = "report-empty";
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                key,
                                "\"metrics\": {\"primary\": \"cvr:purchase\", \"guardrails\": [\"ctr\"]}"))
                .andExpect(status().isCreated());
        JsonNode draft = report(key, "");
        assertThat(draft.get("status").asString()).isEqualTo("draft");
        assertThat(draft.get("arms").get(0).get("units").asLong()).isZero();
        assertThat(draft.get("decision").get("outcome").asString()).isEqualTo("continue");

        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        SimulatedTraffic traffic = new SimulatedTraffic(api, json, jdbc, recorder, key, 7L);
        traffic.assign(List.of(key + "-a", key + "-b", key + "-c", key + "-d", key + "-e"));
        aggregator.processNow();
        JsonNode report = report(key, "");
        long total = 0;
        for (JsonNode arm : report.get("arms")) {
            total += arm.get("units").asLong();
        }
        assertThat(total).isEqualTo(5);
        JsonNode primary = metric(report, "cvr:purchase");
        JsonNode treatment = primary.get("arms").get(1);
        assertThat(treatment.get("denominator").asDouble()).isZero();
        assertThat(treatment.has("value")).as("0/0 is absent, not NaN").isFalse();
        assertThat(treatment.get("comparison").get("error").asString()).isNotBlank();
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("continue");
        assertThat(
                        report.get("decision")
                                .get("primary")
                                .get("arms")
                                .get(0)
                                .get("verdict")
                                .asString())
                .isEqualTo("no-data");
        assertThat(report.get("timeseries")).isEmpty();
        api.get("/api/v1/experiments/" + key + "/report")
                .andExpect(jsonPath("$.srm.mismatch").value(false));
    }
}
