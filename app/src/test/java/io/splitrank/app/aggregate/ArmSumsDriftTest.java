package io.splitrank.app.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The per-arm sums the passes move incrementally (old contribution out, new in, in double
 * precision) still equal an exact recomputation after many passes, and the scheduled recomputation
 * puts them back exactly whatever they had become.
 */
@PlatformTest
class ArmSumsDriftTest {

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired AttributionAggregator aggregator;
    @Autowired ArmSumsRecomputation recomputation;

    private Map<String, Double> sums(long experimentId) {
        Map<String, Double> sums = new TreeMap<>();
        jdbc.query(
                "select scenario, conversion_type, arm_index, term, sum from agg_arm_sum where experiment_id = ?",
                rs -> {
                    sums.put(
                            rs.getString(1)
                                    + "|"
                                    + rs.getString(2)
                                    + "|"
                                    + rs.getInt(3)
                                    + "|"
                                    + rs.getString(4),
                            rs.getDouble(5));
                },
                experimentId);
        return sums;
    }

    @Test
    void maintainedSumsEqualAnExactRecomputationAfterManyPassesAndTheScheduleResetsThem()
            throws Exception {
        ApiClient api = new ApiClient(mvc);
        api.post("/api/v1/experiments", ApiClient.experiment("drift", ""))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/drift/start").andExpect(status().isOk());
        for (int u = 0; u < 60; u++) {
            api.post(
                            "/api/v1/assign",
                            "{\"attributes\": {\"userId\": \"drift-"
                                    + u
                                    + "\"}, \"experiments\": [\"drift\"]}")
                    .andExpect(status().isOk());
        }
        long experimentId =
                jdbc.queryForObject("select id from experiment where key = 'drift'", Long.class);
        SplittableRandom random = new SplittableRandom(5);
        Instant start = Instant.now();
        // 120 passes, each changing a few units' rows with values that do not add up exactly in
        // binary
        for (int pass = 0; pass < 120; pass++) {
            List<String> events = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                String unit = "drift-" + random.nextInt(60);
                String ts = start.plusMillis(pass * 10L + k + 1).toString();
                String type =
                        random.nextInt(4) == 0
                                ? "\"conversion\", \"conversionType\": \"purchase\""
                                : "\"impression\"";
                events.add(
                        "{\"eventId\": \"d-"
                                + pass
                                + "-"
                                + k
                                + "\", \"type\": "
                                + type
                                + ", \"unitId\": \""
                                + unit
                                + "\", \"timestamp\": \""
                                + ts
                                + "\", \"scenario\": \"home\", \"value\": "
                                + (0.1 + random.nextDouble() * 3.7)
                                + "}");
            }
            api.post("/api/v1/events", "{\"events\": [" + String.join(",", events) + "]}")
                    .andExpect(status().isOk());
            aggregator.processNow();
        }
        Map<String, Double> maintained = sums(experimentId);
        assertThat(maintained).isNotEmpty();

        aggregator.recomputeArmSums();
        Map<String, Double> exact = sums(experimentId);
        assertThat(exact.keySet()).isEqualTo(maintained.keySet());
        exact.forEach(
                (key, value) ->
                        assertThat(maintained.get(key))
                                .as(key)
                                .isCloseTo(
                                        value,
                                        org.assertj.core.data.Offset.offset(
                                                1e-9 * Math.max(1, Math.abs(value)))));

        jdbc.update("update agg_arm_sum set sum = sum + 0.5 where experiment_id = ?", experimentId);
        recomputation.recompute();
        assertThat(sums(experimentId)).isEqualTo(exact);
    }
}
