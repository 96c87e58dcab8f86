package io.splitrank.app.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.ExpectedStatistics.SimEvent;
import io.splitrank.app.aggregate.ExpectedStatistics.SimExposure;
import io.splitrank.app.assignment.ExposureRecorder;
import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.stats.MeanStatistic;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated experiment goes in over the API; the aggregates must equal an independent computation
 * from the same events in plain Java ({@link ExpectedStatistics}), incrementally, after resending,
 * and after a rebuild.
 */
@PlatformTest
class AttributionSimulationTest {

    private static final String[] SCENARIOS = {"home", "search", null};
    private static final String[] CONVERSION_TYPES = {"purchase", "signup"};

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired JsonMapper json;
    @Autowired ExposureRecorder exposures;
    @Autowired AttributionAggregator aggregator;
    @Autowired MetricAggregates aggregates;
    @Autowired ExperimentReadModel experiments;
    ApiClient api;
    String key;
    Random random;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
        key = "sim-" + UUID.randomUUID().toString().substring(0, 8);
        random = new Random(20261122);
    }

    private long startExperiment(String analysis) throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "%s", "arms": [
                  {"key": "control", "model": "baseline", "weight": 0.4},
                  {"key": "ektm", "model": "ektm", "weight": 0.3},
                  {"key": "htlnet", "model": "htlnet", "weight": 0.3}],
                 "analysis": %s}"""
                                .formatted(key, analysis))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        return experiments.idOf(key).orElseThrow();
    }

    private SimEvent randomEvent(String unit, Instant ts) {
        String id = key + "-e" + random.nextLong();
        String scenario = SCENARIOS[random.nextInt(SCENARIOS.length)];
        double r = random.nextDouble();
        if (r < 0.65) {
            return new SimEvent(
                    id,
                    "impression",
                    unit,
                    ts,
                    scenario,
                    null,
                    random.nextInt(4) == 0 ? 0.002 : null);
        }
        if (r < 0.88) {
            return new SimEvent(
                    id,
                    "click",
                    unit,
                    ts,
                    scenario,
                    null,
                    Math.round(random.nextDouble() * 100) / 100.0);
        }
        String type = CONVERSION_TYPES[random.nextInt(2)];
        Double value =
                type.equals("purchase")
                        ? Math.round(random.nextDouble() * random.nextDouble() * 50_000) / 100.0
                        : null;
        return new SimEvent(id, "conversion", unit, ts, scenario, type, value);
    }

    private void send(List<SimEvent> events, int expectedAccepted) throws Exception {
        List<Map<String, Object>> list = new ArrayList<>();
        for (SimEvent e : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", e.eventId());
            m.put("type", e.type());
            m.put("unitId", e.unitId());
            m.put("timestamp", e.ts().toString());
            if (e.scenario() != null) {
                m.put("scenario", e.scenario());
            }
            if (e.conversionType() != null) {
                m.put("conversionType", e.conversionType());
            }
            if (e.value() != null) {
                m.put("value", e.value());
            }
            list.add(m);
        }
        api.post("/api/v1/events", json.writeValueAsString(Map.of("events", list)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(expectedAccepted));
    }

    private void sendInBatches(List<SimEvent> events, boolean resent) throws Exception {
        for (int from = 0; from < events.size(); from += 150) {
            List<SimEvent> batch = events.subList(from, Math.min(events.size(), from + 150));
            send(
                    batch,
                    resent ? 0 : (int) batch.stream().map(SimEvent::eventId).distinct().count());
        }
    }

    private Map<String, SimExposure> exposuresOf(long experimentId) {
        Map<String, SimExposure> result = new HashMap<>();
        jdbc.query(
                "select unit_id, arm_index, exposed_at from exposure where experiment_id = ? and phase = 1",
                rs -> {
                    result.put(
                            rs.getString(1),
                            new SimExposure(rs.getInt(2), rs.getTimestamp(3).toInstant()));
                },
                experimentId);
        return result;
    }

    private void assertAggregatesMatch(
            long experimentId,
            List<SimEvent> events,
            Map<String, SimExposure> exposed,
            int cupedDays,
            String because) {
        for (String scenario : new String[] {null, "home"}) {
            for (Double cap : new Double[] {null, 0.9, 0.25}) {
                ExperimentAggregates actual =
                        aggregates.forExperiment(
                                new AggregateQuery(experimentId, 1, scenario, cap, true));
                Map<String, Map<Integer, double[]>> expected =
                        ExpectedStatistics.compute(
                                events, exposed, scenario, cap, cupedDays, true, null);
                assertThat(
                                ExpectedStatistics.difference(
                                        expected, ExpectedStatistics.flatten(actual.metrics())))
                        .as("%s, scenario %s, cap %s", because, scenario, cap)
                        .isNull();
                assertThat(actual.arms())
                        .extracting(ArmExposures::units)
                        .containsExactlyElementsOf(
                                expected.get("ctr").values().stream()
                                        .map(f -> (long) f[0])
                                        .toList());
                if (cap != null) {
                    assertThat(actual.valueCap()).isNotNull();
                    assertThat(actual.metric("ecpm").orElseThrow().capped()).isTrue();
                }
            }
        }
    }

    @Test
    void perArmStatisticsEqualAnIndependentComputationIncrementallyAfterResendingAndAfterARebuild()
            throws Exception {
        long experimentId = startExperiment("{\"cupedDays\": 7}");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<String> units = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            units.add(key + "-u" + i);
        }
        List<String> neverExposed = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            neverExposed.add(key + "-stranger" + i);
        }
        // before any exposure is written: history (some outside the 7-day CUPED window) and events
        // stamped after the exposures to come, which must count once the exposures appear
        List<SimEvent> early = new ArrayList<>();
        for (String unit : units) {
            for (int k = random.nextInt(5); k > 0; k--) {
                early.add(
                        randomEvent(
                                unit,
                                t0.minusMillis(
                                        1000 + (long) (random.nextDouble() * 10 * 86_400_000L))));
            }
            if (random.nextInt(3) == 0) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    early.add(randomEvent(unit, t0.plusMillis(90_000 + random.nextInt(60_000))));
                }
            }
        }
        for (String unit : neverExposed) {
            early.add(randomEvent(unit, t0.plusSeconds(100)));
            early.add(randomEvent(unit, t0.minusSeconds(100)));
        }
        sendInBatches(early, false);
        aggregator.processNow();

        StringBuilder body = new StringBuilder();
        for (String unit : units) {
            body.append(body.isEmpty() ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"")
                    .append(unit)
                    .append("\"}}");
        }
        api.post(
                        "/api/v1/assign/batch",
                        "{\"units\": [" + body + "], \"experiments\": [\"" + key + "\"]}")
                .andExpect(status().isOk());
        exposures.flush();
        Map<String, SimExposure> exposed = exposuresOf(experimentId);
        assertThat(exposed).hasSize(units.size());

        List<SimEvent> late = new ArrayList<>();
        for (String unit : units) {
            Instant at = exposed.get(unit).exposedAt();
            for (int k = random.nextInt(16); k > 0; k--) {
                late.add(
                        randomEvent(
                                unit,
                                at.plusMillis(random.nextInt(60_000))
                                        .truncatedTo(ChronoUnit.MILLIS)));
            }
            if (random.nextInt(10) == 0) {
                late.add(randomEvent(unit, at)); // at the exposure itself: counts
                late.add(
                        randomEvent(
                                unit, at.minus(1, ChronoUnit.MICROS))); // just before: CUPED window
            }
        }
        for (String unit : neverExposed) {
            late.add(randomEvent(unit, t0.plusSeconds(5)));
        }
        Collections.shuffle(late, random);
        List<SimEvent> first = late.subList(0, late.size() / 2);
        List<SimEvent> second = late.subList(late.size() / 2, late.size());
        sendInBatches(first, false);
        aggregator.processNow();
        sendInBatches(second, false);
        aggregator.processNow();
        List<SimEvent> all = new ArrayList<>(early);
        all.addAll(late);
        assertAggregatesMatch(experimentId, all, exposed, 7, "incremental");

        sendInBatches(first, true);
        sendInBatches(early, true);
        aggregator.processNow();
        assertAggregatesMatch(experimentId, all, exposed, 7, "after resending");

        api.post("/api/v1/admin/aggregates/rebuild").andExpect(status().isOk());
        assertAggregatesMatch(experimentId, all, exposed, 7, "after a rebuild");
        // per-arm sums built by an older catalogue (or damaged) are recomputed from the per-unit
        // rows
        jdbc.update("update agg_arm_terms set terms = 'an older catalogue'");
        jdbc.update("update agg_arm_sum set sum = sum + 1");
        aggregator.ensureArmSums();
        assertAggregatesMatch(
                experimentId, all, exposed, 7, "after recomputing stale per-arm sums");
        api.get("/api/v1/aggregates/" + key + "?cuped=true&capPercentile=0.9")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.metrics[0].metric").value("impressions_per_unit"))
                .andExpect(jsonPath("$.metrics[4].metric").value("ecpm"))
                .andExpect(jsonPath("$.metrics[4].scale").value(1000.0))
                .andExpect(
                        jsonPath("$.metrics[4].arms[0].statistics.covariate.xdSumProducts")
                                .isNumber());
        api.get("/api/v1/aggregates/no-such-experiment").andExpect(status().isNotFound());
        assertThat(
                        ExpectedStatistics.compute(all, exposed, null, null, 7, true, null)
                                .get("cvr:purchase")
                                .get(0)[1])
                .as("the simulation produced purchases")
                .isPositive();
    }

    @Test
    void dailyCumulativeStatisticsCountUnitsExposedAndEventsUpToTheEndOfEachDay() throws Exception {
        long experimentId = startExperiment("{}");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Map<String, SimExposure> exposed = new HashMap<>();
        List<SimEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String unit = key + "-d" + i;
            // exposed over the last four days (inserted directly: the API exposes units now)
            Instant at =
                    today.minusDays(i % 4)
                            .atStartOfDay()
                            .toInstant(ZoneOffset.UTC)
                            .plusSeconds(random.nextInt(12 * 3600));
            if (at.isAfter(now)) {
                at = now.minusSeconds(60);
            }
            exposed.put(unit, new SimExposure(i % 3, at));
            jdbc.update(
                    "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at) values (?, 1, ?, ?, ?)",
                    experimentId,
                    unit,
                    i % 3,
                    Timestamp.from(at));
            for (int k = random.nextInt(12); k > 0; k--) {
                long span = Duration.between(at.minus(Duration.ofDays(1)), now).toMillis();
                events.add(
                        randomEvent(
                                unit,
                                at.minus(Duration.ofDays(1))
                                        .plusMillis((long) (random.nextDouble() * span))));
            }
        }
        sendInBatches(events, false);
        aggregator.processNow();

        List<DailyAggregates> days = aggregates.dailyCumulative(AggregateQuery.of(experimentId, 1));
        assertThat(days)
                .extracting(DailyAggregates::day)
                .containsExactly(today.minusDays(3), today.minusDays(2), today.minusDays(1), today);
        for (DailyAggregates day : days) {
            Instant end = day.day().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Map<String, Map<Integer, double[]>> expected =
                    ExpectedStatistics.compute(events, exposed, null, null, 0, false, end);
            assertThat(
                            ExpectedStatistics.difference(
                                    expected, ExpectedStatistics.flatten(day.metrics())))
                    .as("day %s", day.day())
                    .isNull();
        }
        assertThat(
                        ExpectedStatistics.difference(
                                ExpectedStatistics.flatten(days.get(3).metrics()),
                                ExpectedStatistics.flatten(
                                        aggregates
                                                .forExperiment(experimentId, 1, null, null)
                                                .metrics())))
                .as("the last day is today's report")
                .isNull();
    }

    @Test
    void anAcknowledgedEventReachesTheAggregatesWithoutAnExplicitPass() throws Exception {
        long experimentId = startExperiment("{}");
        String unit = key + "-live";
        api.post(
                        "/api/v1/assign",
                        "{\"attributes\": {\"userId\": \""
                                + unit
                                + "\"}, \"experiments\": [\""
                                + key
                                + "\"]}")
                .andExpect(status().isOk());
        send(
                List.of(
                        new SimEvent(
                                key + "-live-1",
                                "impression",
                                unit,
                                Instant.now().plusSeconds(1),
                                null,
                                null,
                                1.5)),
                1);
        double impressions =
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(20))
                        .until(
                                () ->
                                        aggregates
                                                .forExperiment(experimentId, 1, null, null)
                                                .metric("impressions_per_unit")
                                                .orElseThrow()
                                                .arms()
                                                .stream()
                                                .mapToDouble(
                                                        a -> ((MeanStatistic) a.statistics()).sum())
                                                .sum(),
                                sum -> sum != 0);
        assertThat(impressions).as("attributed by the scheduled aggregator").isEqualTo(1);
    }
}
