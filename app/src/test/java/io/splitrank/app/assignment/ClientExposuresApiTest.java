package io.splitrank.app.assignment;

import static io.splitrank.app.ApiClient.experiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.experiments.Assignment;
import io.splitrank.experiments.AssignmentEngine;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/exposures}: client-side first exposures are checked against the experiment's
 * hashing, recorded once per experiment, phase and unit like the server's own (idempotent on
 * resend, a duplicate of an /assign exposure), counted by the report, and the wrong ones are
 * rejected with their index and reason; a malformed batch is a 400 naming the fields.
 */
@PlatformTest
class ClientExposuresApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired RunningExperiments running;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    ApiClient api;
    String sdkKey;
    private final AssignmentEngine engine = new AssignmentEngine();

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(mvc);
        if (sdkKey == null) {
            String name = "cx-sdk-" + System.nanoTime();
            String body =
                    api.post(
                                    "/api/v1/keys",
                                    "{\"name\": \"%s\", \"scope\": \"sdk\"}".formatted(name))
                            .andExpect(status().isCreated())
                            .andReturn()
                            .getResponse()
                            .getContentAsString();
            sdkKey = json.readTree(body).get("secret").asString();
        }
    }

    private void startExperiment(String key, String extra) throws Exception {
        api.post("/api/v1/experiments", experiment(key, extra)).andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
    }

    /** What /assign would answer for the unit, computed from the running snapshot. */
    private Assignment assignment(String experiment, String unit) {
        RunningExperiments.LiveExperiment live = running.current().byKey().get(experiment);
        return engine.assign(live.hasher(), Map.of("userId", unit), Map.of());
    }

    private static String exposure(String experiment, Object phase, String arm, String unit) {
        return "{\"experiment\": \"%s\", \"phase\": %s, \"arm\": \"%s\", \"unitId\": \"%s\", \"timestamp\": \"%s\"}"
                .formatted(
                        experiment,
                        phase instanceof String s ? "\"" + s + "\"" : phase,
                        arm,
                        unit,
                        Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Posts a batch with the sdk key, as an SDK's tracking callback would. */
    private JsonNode send(List<String> exposures, int expectedStatus) throws Exception {
        String body =
                mvc.perform(
                                post("/api/v1/exposures")
                                        .header("Authorization", "Bearer " + sdkKey)
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content(
                                                "{\"exposures\": ["
                                                        + String.join(",", exposures)
                                                        + "]}"))
                        .andExpect(status().is(expectedStatus))
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        return json.readTree(body);
    }

    private long exposures(String experiment) {
        return jdbc.queryForObject(
                "select count(*) from exposure x join experiment e on e.id = x.experiment_id"
                        + " where e.key = ?",
                Long.class,
                experiment);
    }

    @Test
    void clientExposuresAreRecordedOnceLikeTheServersAndTheReportCountsThem() throws Exception {
        startExperiment("cx-counted", "\"coverage\": 0.7");
        List<String> batch = new ArrayList<>();
        long[] perArm = new long[2];
        for (int i = 0; batch.size() < 150; i++) {
            Assignment a = assignment("cx-counted", "cx-u" + i);
            if (a.inExperiment()) {
                batch.add(exposure("cx-counted", "1", a.armKey(), "cx-u" + i));
                perArm[a.armIndex()]++;
            }
        }
        // the same unit twice in one batch: the first counts, the second is a duplicate
        batch.add(batch.get(0));

        JsonNode first = send(batch, 200);
        assertThat(first.get("accepted").asInt()).isEqualTo(150);
        assertThat(first.get("duplicates").asInt()).isEqualTo(1);
        assertThat(first.get("rejected")).isEmpty();
        assertThat(exposures("cx-counted")).isEqualTo(150);

        // resending is harmless
        JsonNode again = send(batch, 200);
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(151);
        assertThat(exposures("cx-counted")).isEqualTo(150);

        // a unit the server already exposed through /assign counts once
        String served = null;
        for (int i = 1000; served == null; i++) {
            if (assignment("cx-counted", "cx-u" + i).inExperiment()) {
                served = "cx-u" + i;
            }
        }
        api.post(
                        "/api/v1/assign",
                        "{\"attributes\": {\"userId\": \"%s\"}, \"experiments\": [\"cx-counted\"]}"
                                .formatted(served))
                .andExpect(status().isOk());
        recorder.flush();
        Assignment a = assignment("cx-counted", served);
        JsonNode dup = send(List.of(exposure("cx-counted", 1, a.armKey(), served)), 200);
        assertThat(dup.get("accepted").asInt()).isZero();
        assertThat(dup.get("duplicates").asInt()).isEqualTo(1);
        perArm[a.armIndex()]++;

        aggregator.processNow();
        JsonNode report =
                json.readTree(
                        api.get("/api/v1/experiments/cx-counted/report")
                                .andExpect(status().isOk())
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        assertThat(report.get("arms").get(0).get("units").asLong()).isEqualTo(perArm[0]);
        assertThat(report.get("arms").get(1).get("units").asLong()).isEqualTo(perArm[1]);
    }

    @Test
    void theWrongArmAnOldPhaseAndExperimentsNotRunningAreRejectedWithIndexAndReason()
            throws Exception {
        startExperiment("cx-phases", "\"coverage\": 0.5");
        api.post("/api/v1/experiments", experiment("cx-draft", "")).andExpect(status().isCreated());
        String inPhase1 = null;
        for (int i = 0; inPhase1 == null; i++) {
            if (assignment("cx-phases", "p-u" + i).inExperiment()) {
                inPhase1 = "p-u" + i;
            }
        }
        String phase1Arm = assignment("cx-phases", inPhase1).armKey();
        api.patch(
                        "/api/v1/experiments/cx-phases",
                        "{\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.4},"
                                + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.6}]}")
                .andExpect(jsonPath("$.phase").value(2));

        List<String> in = new ArrayList<>();
        String out = null;
        for (int i = 0; in.size() < 2 || out == null; i++) {
            Assignment a = assignment("cx-phases", "q-u" + i);
            if (a.inExperiment()) {
                in.add("q-u" + i);
            } else if (out == null) {
                out = "q-u" + i;
            }
        }
        String arm = assignment("cx-phases", in.get(0)).armKey();
        String other = in.get(1);
        String otherArm = assignment("cx-phases", other).armKey();
        String wrongArm = otherArm.equals("control") ? "ektm" : "control";

        JsonNode answer =
                send(
                        List.of(
                                exposure("cx-phases", "2", arm, in.get(0)),
                                exposure("cx-phases", 1, phase1Arm, inPhase1),
                                exposure("cx-phases", 2, wrongArm, other),
                                exposure("cx-phases", 2, "htlnet", in.get(0)),
                                exposure("cx-phases", 2, "control", out),
                                exposure("cx-nowhere", 1, "control", in.get(0)),
                                exposure("cx-draft", 1, "control", in.get(0)),
                                exposure("cx-phases", 3, arm, in.get(0))),
                        200);
        assertThat(answer.get("accepted").asInt()).isEqualTo(1);
        assertThat(answer.get("duplicates").asInt()).isZero();
        JsonNode rejected = answer.get("rejected");
        assertThat(rejected).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(rejected.get(i).get("index").asInt()).isEqualTo(i + 1);
        }
        assertThat(rejected.get(0).get("reason").asString())
                .isEqualTo("phase 1 is not current: experiment cx-phases is in phase 2");
        assertThat(rejected.get(1).get("reason").asString())
                .isEqualTo(
                        "arm "
                                + wrongArm
                                + " is not unit "
                                + other
                                + "'s: in phase 2 of experiment cx-phases its arm is "
                                + otherArm);
        assertThat(rejected.get(2).get("reason").asString())
                .isEqualTo("experiment cx-phases has no arm htlnet");
        assertThat(rejected.get(3).get("reason").asString())
                .isEqualTo(
                        "unit " + out + " is not in experiment cx-phases in phase 2 (not_covered)");
        assertThat(rejected.get(4).get("reason").asString())
                .isEqualTo("no experiment with key cx-nowhere");
        assertThat(rejected.get(5).get("reason").asString())
                .isEqualTo("experiment cx-draft is draft: it records no exposures");
        assertThat(rejected.get(6).get("reason").asString())
                .isEqualTo("phase 3 is not current: experiment cx-phases is in phase 2");

        // the accepted one again: a duplicate
        JsonNode resent = send(List.of(exposure("cx-phases", 2, arm, in.get(0))), 200);
        assertThat(resent.get("duplicates").asInt()).isEqualTo(1);
        assertThat(exposures("cx-phases")).isEqualTo(1);
    }

    @Test
    void aMalformedBatchIsA400NamingEveryFieldAndRecordsNothing() throws Exception {
        startExperiment("cx-malformed", "");
        String unit = null;
        for (int i = 0; unit == null; i++) {
            if (assignment("cx-malformed", "m-u" + i).inExperiment()) {
                unit = "m-u" + i;
            }
        }
        String arm = assignment("cx-malformed", unit).armKey();
        JsonNode problem =
                send(
                        List.of(
                                exposure("cx-malformed", 1, arm, unit),
                                "{\"experiment\": \"cx-malformed\", \"arm\": \"control\", \"timestamp\": 1}",
                                "{\"experiment\": \"cx-malformed\", \"phase\": \"one\", \"arm\": \"control\","
                                        + " \"unitId\": \"x\", \"timestamp\": \"yesterday\"}",
                                "{\"experiment\": \"cx-malformed\", \"phase\": 0, \"arm\": \"control\","
                                        + " \"unitId\": \"x\", \"timestamp\": \"2999-01-01T00:00:00Z\"}"),
                        400);
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields)
                .containsExactly(
                        "exposures[1].phase",
                        "exposures[1].unitId",
                        "exposures[1].timestamp",
                        "exposures[2].phase",
                        "exposures[2].timestamp",
                        "exposures[3].phase",
                        "exposures[3].timestamp");
        assertThat(exposures("cx-malformed")).isZero();

        // epoch milliseconds, and GrowthBook's string phase, are accepted
        String ok =
                "{\"experiment\": \"cx-malformed\", \"phase\": \"1\", \"arm\": \"%s\", \"unitId\": \"%s\", \"timestamp\": %d}"
                        .formatted(arm, unit, System.currentTimeMillis());
        assertThat(send(List.of(ok), 200).get("accepted").asInt()).isEqualTo(1);

        JsonNode empty = send(List.of(), 400);
        assertThat(empty.at("/errors/0/field").asString()).isEqualTo("exposures");
        // 10,001 exposures, too many whatever they hold
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= ClientExposures.MAX_BATCH; i++) {
            tooMany.add("{}");
        }
        JsonNode big = send(tooMany, 400);
        assertThat(big.at("/errors/0/field").asString()).isEqualTo("exposures");
        assertThat(big.at("/errors/0/message").asString()).contains("at most 10000");

        JsonNode unknown =
                send(
                        List.of(
                                "{\"experiment\": \"cx-malformed\", \"phase\": 1, \"arm\": \"control\","
                                        + " \"unitId\": \"x\", \"timestamp\": 1, \"colour\": \"red\"}"),
                        400);
        assertThat(unknown.toString()).contains("exposures[0].colour");
    }

    @Test
    void aReaderKeyMayNotSendExposures() throws Exception {
        String body =
                api.post("/api/v1/keys", "{\"name\": \"cx-reader\", \"scope\": \"reader\"}")
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        String reader = json.readTree(body).get("secret").asString();
        mvc.perform(
                        post("/api/v1/exposures")
                                .header("Authorization", "Bearer " + reader)
                                .contentType(MediaType.APPLICATION_JSON)
                                .content("{\"exposures\": []}"))
                .andExpect(status().isForbidden());
    }
}
