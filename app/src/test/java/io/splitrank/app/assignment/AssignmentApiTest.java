package io.splitrank.app.assignment;

import static io.splitrank.app.ApiClient.experiment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.experiments.Arm;
import io.splitrank.experiments.Assignment;
import io.splitrank.experiments.AssignmentEngine;
import io.splitrank.experiments.Experiment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@PlatformTest
class AssignmentApiTest {

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired ExposureRecorder exposures;
    @Autowired JsonMapper json;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private void startExperiment(String key, String extra) throws Exception {
        api.post("/api/v1/experiments", experiment(key, extra)).andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
    }

    private JsonNode assign(String userId, String experiment) throws Exception {
        String body =
                api.post(
                                "/api/v1/assign",
                                "{\"attributes\": {\"userId\": \""
                                        + userId
                                        + "\"}, \"experiments\": [\""
                                        + experiment
                                        + "\"]}")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        return json.readTree(body).get("assignments").get(0);
    }

    @Test
    void assignmentsAgreeWithTheEngineConfiguredTheSameWay() throws Exception {
        startExperiment("agree", "\"seed\": \"s-agree\", \"coverage\": 0.8");
        Experiment same =
                Experiment.builder("agree")
                        .seed("s-agree")
                        .coverage(0.8)
                        .arms(
                                List.of(
                                        new Arm("control", "control", "baseline", 0.5),
                                        new Arm("ektm", "ektm", "ektm", 0.5)))
                        .build();
        AssignmentEngine engine = new AssignmentEngine();
        int in = 0;
        for (int i = 0; i < 200; i++) {
            String user = "user-" + i;
            JsonNode got = assign(user, "agree");
            Assignment expected = engine.assign(same, Map.of("userId", user));
            assertThat(got.get("inExperiment").asBoolean()).isEqualTo(expected.inExperiment());
            assertThat(got.get("bucket").asDouble()).isEqualTo(expected.bucket());
            if (expected.inExperiment()) {
                in++;
                assertThat(got.get("arm").asString()).isEqualTo(expected.armKey());
                assertThat(got.get("model").asString()).isEqualTo(expected.model());
            }
        }
        assertThat(in).isBetween(130, 190);
    }

    @Test
    void firstExposureIsRecordedOncePerUnitAndPhase() throws Exception {
        startExperiment("exposed", "");
        for (int repeat = 0; repeat < 3; repeat++) {
            for (int i = 0; i < 50; i++) {
                assign("unit-" + i, "exposed");
            }
        }
        exposures.flush();
        Integer rows =
                jdbc.queryForObject(
                        "select count(*) from exposure x join experiment e on e.id = x.experiment_id"
                                + " where e.key = 'exposed'",
                        Integer.class);
        assertThat(rows).isEqualTo(50);
        List<Map<String, Object>> perArm =
                jdbc.queryForList(
                        "select arm_index, count(*) n from exposure x"
                                + " join experiment e on e.id = x.experiment_id where e.key = 'exposed' group by arm_index");
        assertThat(perArm).hasSize(2);
    }

    @Test
    void rampingCoverageThroughTheApiNeverMovesAUnit() throws Exception {
        startExperiment("ramp", "\"coverage\": 0.05");
        Map<String, String> armOf = new HashMap<>();
        for (double coverage : new double[] {0.05, 0.2, 0.5, 1.0}) {
            api.patch("/api/v1/experiments/ramp", "{\"coverage\": " + coverage + "}")
                    .andExpect(jsonPath("$.phase").value(1));
            for (int i = 0; i < 300; i++) {
                JsonNode a = assign("r-" + i, "ramp");
                if (a.get("inExperiment").asBoolean()) {
                    String before = armOf.putIfAbsent("r-" + i, a.get("arm").asString());
                    assertThat(before == null || before.equals(a.get("arm").asString())).isTrue();
                }
            }
        }
        assertThat(armOf).hasSize(300);
    }

    @Test
    void stoppedOrDraftExperimentsDoNotAssignAndUnknownOnesAre404() throws Exception {
        api.post("/api/v1/experiments", experiment("drafted", "")).andExpect(status().isCreated());
        JsonNode a = assign("u1", "drafted");
        assertThat(a.get("inExperiment").asBoolean()).isFalse();
        assertThat(a.get("reason").asString()).isEqualTo("draft");
        assertThat(a.get("status").asString()).isEqualTo("draft");
        assertThat(a.has("phase")).isFalse();
        api.post("/api/v1/experiments/drafted/start").andExpect(status().isOk());
        assertThat(assign("u1", "drafted").get("phase").asInt()).isEqualTo(1);
        api.post("/api/v1/experiments/drafted/stop").andExpect(status().isOk());
        JsonNode stopped = assign("u1", "drafted");
        assertThat(stopped.get("inExperiment").asBoolean()).isFalse();
        assertThat(stopped.get("status").asString()).isEqualTo("stopped");
        assertThat(stopped.get("reason").asString()).isEqualTo("stopped");
        assertThat(stopped.get("message").asString()).contains("drafted is stopped");
        assertThat(stopped.has("phase")).isFalse();
        api.post(
                        "/api/v1/assign",
                        "{\"attributes\": {\"userId\": \"u1\"}, \"experiments\": [\"missing\"]}")
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.errors[0].field").value("experiments[0]"));
    }

    @Test
    void unitsWithoutTheHashAttributeOrFailingTargetingAreNotIn() throws Exception {
        startExperiment("targeted", "\"condition\": {\"country\": {\"$in\": [\"DE\", \"FR\"]}}");
        String body =
                api.post(
                                "/api/v1/assign",
                                """
                {"attributes": {"userId": "u7", "country": "US"}, "experiments": ["targeted"]}""")
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        assertThat(json.readTree(body).at("/assignments/0/reason").asString())
                .isEqualTo("condition_failed");
        body =
                api.post(
                                "/api/v1/assign",
                                """
                {"attributes": {"userId": "u7", "country": "DE"}, "experiments": ["targeted"]}""")
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        assertThat(json.readTree(body).at("/assignments/0/inExperiment").asBoolean()).isTrue();
        body =
                api.post(
                                "/api/v1/assign",
                                """
                {"attributes": {"deviceId": "d1", "country": "DE"}, "experiments": ["targeted"]}""")
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        assertThat(json.readTree(body).at("/assignments/0/reason").asString())
                .isEqualTo("no_hash_attribute");
    }

    @Test
    void batchAssignsUpToAThousandUnits() throws Exception {
        startExperiment("batched", "");
        StringBuilder units = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            units.append(i == 0 ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"b-")
                    .append(i)
                    .append("\"}}");
        }
        String body =
                api.post(
                                "/api/v1/assign/batch",
                                "{\"units\": [" + units + "], \"experiments\": [\"batched\"]}")
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        JsonNode results = json.readTree(body).get("results");
        assertThat(results.size()).isEqualTo(1000);
        assertThat(results.get(17).at("/assignments/0/arm").asString())
                .isEqualTo(assign("b-17", "batched").get("arm").asString());
        api.post("/api/v1/assign/batch", "{\"units\": [" + units + ", {\"attributes\": {}}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("units"));
        api.post("/api/v1/assign/batch", "{\"units\": [{\"attributes\": {}}, {}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("units[1].attributes"));
    }

    @Test
    void missingAttributesAre400() throws Exception {
        api.post("/api/v1/assign", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("attributes"));
        api.post("/api/v1/assign", "{\"attributes\": [1]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("attributes"))
                .andExpect(jsonPath("$.errors[0].message").value("must be an object"));
    }

    @Test
    void sdkConfigCarriesThePhaseSeedAndAnETag() throws Exception {
        startExperiment(
                "sdk",
                "\"layer\": \"sdk-layer\", \"layerRange\": [0.2, 0.7], \"seed\": \"sdk-seed\"");
        var result =
                api.get("/api/v1/sdk-config")
                        .andExpect(status().isOk())
                        .andExpect(header().exists("ETag"))
                        .andReturn();
        JsonNode config = json.readTree(result.getResponse().getContentAsString());
        JsonNode sdk = null;
        for (JsonNode e : config.get("experiments")) {
            if (e.get("key").asString().equals("sdk")) {
                sdk = e;
            }
        }
        assertThat(sdk).isNotNull();
        assertThat(sdk.get("seed").asString()).isEqualTo("sdk-seed");
        assertThat(sdk.get("namespace").toString()).isEqualTo("[\"sdk-layer\",0.2,0.7]");
        String etag = result.getResponse().getHeader("ETag");
        mvc.perform(
                        get("/api/v1/sdk-config")
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                                .header("If-None-Match", etag))
                .andExpect(status().isNotModified());

        api.patch(
                        "/api/v1/experiments/sdk",
                        "{\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.7},"
                                + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.3}]}")
                .andExpect(jsonPath("$.phase").value(2));
        api.get("/api/v1/sdk-config")
                .andExpect(header().string("ETag", org.hamcrest.Matchers.not(etag)))
                .andExpect(jsonPath("$.experiments[?(@.key == 'sdk')].seed").value("sdk-seed:2"));
    }
}
