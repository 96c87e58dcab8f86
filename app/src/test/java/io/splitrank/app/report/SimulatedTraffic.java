package io.splitrank.app.report;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.assignment.ExposureRecorder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated experiment's traffic for the report tests: units assigned over the API, then raw
 * impressions, clicks and conversions sent over the API, kept in memory so that the tests can
 * compute the expected numbers the plain way.
 */
final class SimulatedTraffic {

    record SimEvent(
            String eventId,
            String type,
            String unitId,
            Instant ts,
            String scenario,
            String conversionType,
            Double value) {}

    record Exposure(int arm, Instant exposedAt) {}

    private static final String[] SCENARIOS = {"home", "search"};

    private final ApiClient api;
    private final JsonMapper json;
    private final JdbcTemplate jdbc;
    private final ExposureRecorder recorder;
    final String key;
    final Random random;
    final List<SimEvent> events = new ArrayList<>();
    final Map<String, Exposure> exposures = new LinkedHashMap<>();
    private long nextEventId;

    SimulatedTraffic(
            ApiClient api,
            JsonMapper json,
            JdbcTemplate jdbc,
            ExposureRecorder recorder,
            String key,
            long seed) {
        this.api = api;
        this.json = json;
        this.jdbc = jdbc;
        this.recorder = recorder;
        this.key = key;
        this.random = new Random(seed);
    }

    /** Assigns the units over the API and reads back their first exposures. */
    void assign(List<String> units) throws Exception {
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
        recorder.flush();
        Map<String, Exposure> read = new HashMap<>();
        jdbc.query(
                "select x.unit_id, x.arm_index, x.exposed_at from exposure x join experiment e on e.id ="
                        + " x.experiment_id where e.key = ? and x.phase = 1",
                rs -> {
                    read.put(
                            rs.getString(1),
                            new Exposure(rs.getInt(2), rs.getTimestamp(3).toInstant()));
                },
                key);
        for (String unit : units) {
            if (read.containsKey(unit)) {
                exposures.put(unit, read.get(unit));
            }
        }
    }

    /**
     * Random events of one unit at or after {@code from}: impressions, clicks with a little
     * revenue, purchases (with an amount) and signups; {@code clickBoost} raises the click share.
     */
    List<SimEvent> eventsOf(String unit, Instant from, int count, double clickBoost) {
        List<SimEvent> list = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Instant ts = from.plusMillis(random.nextInt(30_000)).truncatedTo(ChronoUnit.MILLIS);
            String id = key + "-e" + (nextEventId++);
            String scenario = SCENARIOS[random.nextInt(SCENARIOS.length)];
            double r = random.nextDouble();
            SimEvent e;
            if (r < 0.62 - clickBoost) {
                e =
                        new SimEvent(
                                id,
                                "impression",
                                unit,
                                ts,
                                scenario,
                                null,
                                random.nextInt(5) == 0 ? 0.01 : null);
            } else if (r < 0.88) {
                e =
                        new SimEvent(
                                id,
                                "click",
                                unit,
                                ts,
                                scenario,
                                null,
                                Math.round(random.nextDouble() * 80) / 100.0);
            } else if (r < 0.95) {
                e =
                        new SimEvent(
                                id,
                                "conversion",
                                unit,
                                ts,
                                scenario,
                                "purchase",
                                Math.round(random.nextDouble() * random.nextDouble() * 6_000)
                                        / 100.0);
            } else {
                e = new SimEvent(id, "conversion", unit, ts, scenario, "signup", null);
            }
            list.add(e);
        }
        return list;
    }

    /**
     * Sends events over the API in batches and remembers them; expects every one accepted (or none
     * when resent).
     */
    void send(List<SimEvent> batch, boolean resent) throws Exception {
        for (int from = 0; from < batch.size(); from += 400) {
            List<SimEvent> part = batch.subList(from, Math.min(batch.size(), from + 400));
            List<Map<String, Object>> list = new ArrayList<>();
            for (SimEvent e : part) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("eventId", e.eventId());
                m.put("type", e.type());
                m.put("unitId", e.unitId());
                m.put("timestamp", e.ts().toString());
                m.put("scenario", e.scenario());
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
                    .andExpect(jsonPath("$.accepted").value(resent ? 0 : part.size()));
        }
        if (!resent) {
            events.addAll(batch);
        }
    }
}
