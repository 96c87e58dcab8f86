package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.app.assignment.ExposureRecorder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Final results after a stop, unknown scenarios, and ramp plans that advance on healthy traffic and
 * roll back on a harmful arm by themselves, over the API with real aggregation: the decision
 * watcher's checks are run by the test ({@link DecisionWatcher#tick()}) as well as in the
 * background.
 */
@PlatformTest
class DecisionsAndRampApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    @Autowired DecisionWatcher watcher;

    ApiClient api;
    HttpServer hooks;
    final List<String> hookBodies = new CopyOnWriteArrayList<>();

    /** Each call's body with its X-Splitrank-Signature header. */
    final List<String[]> signedHookBodies = new CopyOnWriteArrayList<>();

    final Random random = new Random(11);

    /** Event ids unique across the test methods (each has its own instance). */
    final String eventPrefix = "dr-" + java.util.UUID.randomUUID() + "-";

    long nextEvent;

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(mvc);
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext(
                "/hook",
                exchange -> {
                    String body =
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8);
                    signedHookBodies.add(
                            new String[] {
                                body, exchange.getRequestHeaders().getFirst("X-Splitrank-Signature")
                            });
                    hookBodies.add(body);
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        hooks.start();
    }

    @AfterEach
    void tearDown() {
        hooks.stop(0);
    }

    private String hookUrl() {
        return "http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook";
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(
                api.get(path)
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
    }

    /**
     * Assigns the units and sends each exposed one ten impressions and a click on each with the
     * probability of its arm (a click earns 0.5); returns unit → arm of the units in the
     * experiment.
     */
    private Map<String, String> traffic(String key, List<String> units, Map<String, Double> ctr)
            throws Exception {
        StringBuilder body = new StringBuilder();
        for (String unit : units) {
            body.append(body.isEmpty() ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"")
                    .append(unit)
                    .append("\"}}");
        }
        JsonNode results =
                json.readTree(
                                api.post(
                                                "/api/v1/assign/batch",
                                                "{\"units\": ["
                                                        + body
                                                        + "], \"experiments\": [\""
                                                        + key
                                                        + "\"]}")
                                        .andExpect(status().isOk())
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString())
                        .get("results");
        recorder.flush();
        Map<String, String> arms = new LinkedHashMap<>();
        List<Map<String, Object>> events = new ArrayList<>();
        // after the exposure, to the millisecond
        Instant ts = Instant.now().plusMillis(5).truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < units.size(); i++) {
            JsonNode a = results.get(i).get("assignments").get(0);
            if (!a.get("inExperiment").asBoolean()) {
                continue;
            }
            String arm = a.get("arm").asString();
            arms.put(units.get(i), arm);
            for (int k = 0; k < 10; k++) {
                events.add(event("impression", units.get(i), ts, null));
                if (random.nextDouble() < ctr.get(arm)) {
                    events.add(event("click", units.get(i), ts, 0.5));
                }
            }
        }
        for (int from = 0; from < events.size(); from += 400) {
            api.post(
                            "/api/v1/events",
                            json.writeValueAsString(
                                    Map.of(
                                            "events",
                                            events.subList(
                                                    from, Math.min(events.size(), from + 400)))))
                    .andExpect(status().isOk());
        }
        aggregator.processNow();
        return arms;
    }

    private Map<String, Object> event(String type, String unit, Instant ts, Double value) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", eventPrefix + (nextEvent++));
        e.put("type", type);
        e.put("unitId", unit);
        e.put("timestamp", ts.toString());
        e.put("scenario", nextEvent % 2 == 0 ? "feed" : "search");
        if (value != null) {
            e.put("value", value);
        }
        return e;
    }

    private static List<String> units(String prefix, int from, int to) {
        List<String> list = new ArrayList<>();
        for (int i = from; i < to; i++) {
            list.add(prefix + i);
        }
        return list;
    }

    @Test
    void aStoppedPhasesReportIsFinalAndARestartOpensTheNextPhase() throws Exception {
        api.post("/api/v1/experiments", ApiClient.experiment("final-results", "\"coverage\": 1.0"))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/final-results/start").andExpect(status().isOk());
        Map<String, Double> ctr = Map.of("control", 0.2, "ektm", 0.3);
        List<String> units = units("fr-", 0, 200);
        traffic("final-results", units, ctr);
        api.post("/api/v1/experiments/final-results/stop").andExpect(status().isOk());
        JsonNode before = get("/api/v1/experiments/final-results/report?phase=1");
        assertThat(before.get("status").asString()).isEqualTo("stopped");
        assertThat(before.get("metrics").toString()).contains("\"ecpm\"");

        // conversions and clicks timestamped after the stop, for units of the stopped phase
        List<Map<String, Object>> late = new ArrayList<>();
        Instant after = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        for (String unit : units.subList(0, 100)) {
            late.add(event("click", unit, after, 5.0));
            Map<String, Object> conversion = event("conversion", unit, after, 40.0);
            conversion.put("conversionType", "purchase");
            late.add(conversion);
        }
        api.post("/api/v1/events", json.writeValueAsString(Map.of("events", late)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(late.size()));
        aggregator.processNow();
        JsonNode afterLate = get("/api/v1/experiments/final-results/report?phase=1");
        assertThat(afterLate.get("metrics")).isEqualTo(before.get("metrics"));
        assertThat(afterLate.get("arms")).isEqualTo(before.get("arms"));
        assertThat(afterLate.get("decision")).isEqualTo(before.get("decision"));

        // assign says the experiment is stopped, with no phase
        JsonNode stopped =
                json.readTree(
                                api.post(
                                                "/api/v1/assign",
                                                "{\"attributes\": {\"userId\": \"fr-1\"},"
                                                        + " \"experiments\": [\"final-results\"]}")
                                        .andExpect(status().isOk())
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString())
                        .get("assignments")
                        .get(0);
        assertThat(stopped.get("status").asString()).isEqualTo("stopped");
        assertThat(stopped.has("phase")).isFalse();

        // a restart opens phase 2; phase 1 keeps its end and its coverage history
        api.post("/api/v1/experiments/final-results/start")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value(2));
        JsonNode phases = get("/api/v1/experiments/final-results/phases");
        assertThat(phases).hasSize(2);
        assertThat(phases.get(0).get("endedAt").asString()).isNotBlank();
        assertThat(phases.get(0).get("coverageHistory").get(0).get("reason").asString())
                .isEqualTo("start");
        assertThat(phases.get(1).has("endedAt")).isFalse();
        assertThat(get("/api/v1/experiments/final-results/report?phase=1").get("metrics"))
                .isEqualTo(before.get("metrics"));
    }

    @Test
    void anUnknownScenarioIsA404NamingItAndTheReportListsTheKnownOnes() throws Exception {
        api.post("/api/v1/experiments", ApiClient.experiment("scenarios", ""))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/scenarios/start").andExpect(status().isOk());
        traffic("scenarios", units("sc-", 0, 40), Map.of("control", 0.2, "ektm", 0.2));
        JsonNode report = get("/api/v1/experiments/scenarios/report");
        assertThat(report.get("scenarios").toString()).isEqualTo("[\"feed\",\"search\"]");
        assertThat(
                        get("/api/v1/experiments/scenarios/report?scenario=feed")
                                .get("scenario")
                                .asString())
                .isEqualTo("feed");
        api.get("/api/v1/experiments/scenarios/report?scenario=checkout")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.errors[0].field").value("scenario"))
                .andExpect(
                        jsonPath("$.detail")
                                .value(
                                        org.hamcrest.Matchers.containsString(
                                                "no events of scenario checkout (its scenarios:"
                                                        + " feed, search)")));
    }

    @Test
    void aRampPlanTakesAHealthyArmFrom5To100PercentByItselfWithoutMovingAUnit() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                "ramp-healthy",
                                """
                                "metrics": {"primary": "ecpm", "guardrails": ["ctr"]},
                                "analysis": {"webhookUrl": "%s"},
                                "rampPlan": {"steps": [
                                  {"coverage": 0.05, "minDuration": "1s", "minUnits": 10},
                                  {"coverage": 0.2, "minDuration": "1s", "minUnits": 10},
                                  {"coverage": 0.5, "minDuration": "PT1S", "minUnits": 10},
                                  {"coverage": 1.0}]}"""
                                        .formatted(hookUrl())))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/ramp-healthy/start")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.coverage").value(0.05))
                .andExpect(jsonPath("$.ramp.step").value(0))
                .andExpect(jsonPath("$.ramp.state").value("ramping"));

        Map<String, Double> same = Map.of("control", 0.3, "ektm", 0.3);
        Map<String, String> armOf = new HashMap<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        int next = 0;
        JsonNode experiment = get("/api/v1/experiments/ramp-healthy");
        while (!experiment.get("ramp").get("state").asString().equals("complete")
                && Instant.now().isBefore(deadline)) {
            // new users, and the first 200 again: an entered unit keeps its arm at every step
            List<String> batch = units("rh-", next, next + 300);
            next += 300;
            batch.addAll(units("rh-", 0, Math.min(200, next - 300)));
            Map<String, String> arms = traffic("ramp-healthy", batch, same);
            arms.forEach(
                    (unit, arm) -> {
                        String earlier = armOf.putIfAbsent(unit, arm);
                        assertThat(earlier == null || earlier.equals(arm))
                                .as("unit %s stays in arm %s", unit, earlier)
                                .isTrue();
                    });
            watcher.tick();
            Thread.sleep(300);
            experiment = get("/api/v1/experiments/ramp-healthy");
        }
        assertThat(experiment.get("ramp").get("state").asString()).isEqualTo("complete");
        assertThat(experiment.get("coverage").asDouble()).isEqualTo(1.0);
        assertThat(experiment.get("status").asString()).isEqualTo("running");
        assertThat(experiment.get("phase").asInt()).isEqualTo(1);

        JsonNode history =
                get("/api/v1/experiments/ramp-healthy/phases").get(0).get("coverageHistory");
        assertThat(history)
                .extracting(h -> h.get("coverage").asDouble())
                .containsExactly(0.05, 0.2, 0.5, 1.0);
        assertThat(history.get(1).get("actor").asString()).isEqualTo("splitrank-ramp");

        JsonNode audit = get("/api/v1/experiments/ramp-healthy/audit");
        List<JsonNode> automatic = new ArrayList<>();
        audit.forEach(
                a -> {
                    if (a.get("actor").asString().equals("splitrank-ramp")) {
                        automatic.add(a);
                    }
                });
        assertThat(automatic)
                .extracting(a -> a.get("action").asString())
                .containsExactly("ramp-advance", "ramp-advance", "ramp-complete");
        JsonNode first = automatic.get(0);
        assertThat(first.get("reason").asString())
                .contains("step 1 of 4 (5.000%)")
                .contains("no harm shown")
                .contains("advanced to 20.00%");
        assertThat(first.get("evidence").toString())
                .contains("\"metric\":\"ctr\"")
                .contains("\"metric\":\"srm\"")
                .contains("\"margin\":0.02");
        assertThat(first.get("after").get("coverage").asDouble()).isEqualTo(0.2);

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                hookBodies.stream()
                                                .filter(b -> b.contains("\"event\":\"ramp\""))
                                                .count()
                                        == 3);
        assertThat(hookBodies)
                .anyMatch(
                        b ->
                                b.contains("\"action\":\"complete\"")
                                        && b.contains("\"toCoverage\":1.0"));

        // every call is signed: HMAC-SHA256 of its body with the experiment's secret, as a
        // receiver holding the secret from the webhook-secret endpoint checks it
        String secret =
                get("/api/v1/experiments/ramp-healthy/webhook-secret").get("secret").asString();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        List<String[]> rampCalls =
                signedHookBodies.stream()
                        .filter(c -> c[0].contains("\"experiment\":\"ramp-healthy\""))
                        .toList();
        assertThat(rampCalls).hasSizeGreaterThanOrEqualTo(3);
        for (String[] c : rampCalls) {
            assertThat(c[1])
                    .as("signature of %s", c[0])
                    .isEqualTo(
                            "sha256="
                                    + HexFormat.of()
                                            .formatHex(
                                                    mac.doFinal(
                                                            c[0].getBytes(
                                                                    StandardCharsets.UTF_8))));
        }
    }

    @Test
    void aRampPlanRollsAHarmfulArmBackTo0PercentWithTheEvidence() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                "ramp-harmful",
                                """
                                "metrics": {"primary": "ecpm", "guardrails": ["ctr"],
                                              "guardrailMargins": {"ctr": 0.05}},
                                "analysis": {"webhookUrl": "%s"},
                                "rampPlan": {"steps": [
                                  {"coverage": 0.5, "minDuration": "1h"},
                                  {"coverage": 1.0}]}"""
                                        .formatted(hookUrl())))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/ramp-harmful/start").andExpect(status().isOk());

        // the treatment's ranking gets a third of the control's clicks
        Map<String, Double> harmful = Map.of("control", 0.3, "ektm", 0.1);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        int next = 0;
        JsonNode experiment = get("/api/v1/experiments/ramp-harmful");
        while (experiment.get("status").asString().equals("running")
                && Instant.now().isBefore(deadline)) {
            traffic("ramp-harmful", units("rb-", next, next + 200), harmful);
            next += 200;
            watcher.tick();
            experiment = get("/api/v1/experiments/ramp-harmful");
        }
        assertThat(experiment.get("status").asString()).isEqualTo("stopped");
        assertThat(experiment.get("coverage").asDouble()).isZero();
        assertThat(experiment.get("ramp").get("state").asString()).isEqualTo("rolled-back");
        assertThat(experiment.get("stopReason").asString()).contains("ektm harms guardrail ctr");

        JsonNode rollback = null;
        for (JsonNode a : get("/api/v1/experiments/ramp-harmful/audit")) {
            if (a.get("action").asString().equals("rollback")) {
                rollback = a;
            }
        }
        assertThat(rollback).isNotNull();
        assertThat(rollback.get("actor").asString()).isEqualTo("splitrank-ramp");
        JsonNode ctrEvidence = null;
        for (JsonNode e : rollback.get("evidence")) {
            if (e.get("metric").asString().equals("ctr")) {
                ctrEvidence = e;
            }
        }
        assertThat(ctrEvidence.get("status").asString()).isEqualTo("harm");
        assertThat(ctrEvidence.get("arm").asString()).isEqualTo("ektm");
        assertThat(ctrEvidence.get("estimate").asDouble()).isLessThan(0);
        assertThat(ctrEvidence.get("ci").get(1).asDouble()).isLessThan(0);
        assertThat(ctrEvidence.get("margin").asDouble()).isEqualTo(0.05);

        // the stopped phase's report says so too, and the phase ended with coverage 0
        JsonNode report = get("/api/v1/experiments/ramp-harmful/report");
        assertThat(report.get("decision").get("outcome").asString()).isEqualTo("rollback");
        JsonNode phase = get("/api/v1/experiments/ramp-harmful/phases").get(0);
        assertThat(phase.get("endedAt").asString()).isNotBlank();
        assertThat(phase.get("coverage").asDouble()).isZero();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(
                        () ->
                                hookBodies.stream()
                                                .anyMatch(
                                                        b ->
                                                                b.contains("\"event\":\"ramp\"")
                                                                        && b.contains(
                                                                                "\"action\":\"rollback\""))
                                        && hookBodies.stream()
                                                .anyMatch(
                                                        b ->
                                                                b.contains("\"event\":\"decision\"")
                                                                        && b.contains(
                                                                                "\"outcome\":\"rollback\"")));
    }

    @Test
    void aRampPlanIsValidatedFieldByField() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        ApiClient.experiment(
                                "ramp-invalid",
                                """
                                "metrics": {"guardrails": ["ctr"], "guardrailMargins": {"cvr": 0.1}},
                                "analysis": {"plannedUnits": 2},
                                "rampPlan": {"steps": [
                                  {"coverage": 0.5, "minDuration": "soon"},
                                  {"coverage": 0.2, "minUnits": -1}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(
                        jsonPath("$.errors[*].field")
                                .value(
                                        org.hamcrest.Matchers.containsInAnyOrder(
                                                "metrics.guardrailMargins.cvr",
                                                "analysis.plannedUnits",
                                                "rampPlan.steps[0].minDuration",
                                                "rampPlan.steps[1].coverage",
                                                "rampPlan.steps[1].minUnits")));
    }
}
