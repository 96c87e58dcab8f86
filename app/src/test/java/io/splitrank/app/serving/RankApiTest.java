package io.splitrank.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.experiment.RunningExperiments;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@PlatformTest
class RankApiTest {

    private static final Marketplace WORLD = new Marketplace(MarketplaceConfig.defaults());

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired JsonMapper json;
    @Autowired RunningExperiments running;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private void start(String key, String extra) throws Exception {
        api.post("/api/v1/experiments", ApiClient.experiment(key, extra))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
    }

    /**
     * A rank request for marketplace user {@code user} over the first {@code n} ads of the
     * catalogue.
     */
    private static String request(String experiment, String unit, int user, int n) {
        Map<String, Object> attributes = new LinkedHashMap<>(WORLD.userFeatures(user));
        attributes.put("userId", unit);
        attributes.put("scenario", "search");
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int ad = 0; ad < n; ad++) {
            Bid bid = WORLD.bidOf(ad);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("itemId", "a" + ad);
            c.put("bid", bid.amount());
            c.put("bidType", bid.onValue() ? "value" : "cpa");
            c.put("conversionType", WORLD.adFeatures(ad).get("conversion_type"));
            c.put("features", WORLD.adFeatures(ad));
            candidates.add(c);
        }
        return JsonMapper.builder()
                .build()
                .writeValueAsString(
                        Map.of(
                                "experiment",
                                experiment,
                                "attributes",
                                attributes,
                                "candidates",
                                candidates));
    }

    private JsonNode rank(String body) throws Exception {
        return json.readTree(
                api.post("/api/v1/rank", body)
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
    }

    @Test
    void ranksEveryCandidateByTheEcpmItsArmsModelExpects() throws Exception {
        start("rank-order", "");
        JsonNode answer = rank(request("rank-order", "rank-order-u1", 17, 40));
        assertThat(answer.path("inExperiment").asBoolean()).isTrue();
        assertThat(answer.path("model").asString()).isIn("baseline", "ektm");
        assertThat(answer.path("rankingId").asString()).hasSize(36);
        JsonNode items = answer.path("items");
        assertThat(items).hasSize(40);
        Set<String> ids = new HashSet<>();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode item : items) {
            String id = item.path("itemId").asString();
            ids.add(id);
            double pCtr = item.path("pCtr").asDouble();
            double pCvr = item.path("pCvr").asDouble();
            double value = item.path("expectedValue").asDouble();
            assertThat(pCtr).isBetween(0.0, 1.0);
            assertThat(pCvr).isBetween(0.0, 1.0);
            assertThat(value).isGreaterThanOrEqualTo(0.0);
            double score = item.path("score").asDouble();
            assertThat(score).isLessThanOrEqualTo(previous);
            previous = score;
            Bid bid = WORLD.bidOf(Integer.parseInt(id.substring(1)));
            assertThat(score)
                    .isCloseTo(
                            1000 * bid.expectedRevenue(pCtr, pCvr, value),
                            within(1e-6 * (1 + score)));
        }
        assertThat(ids).hasSize(40);
        // a trained model tells ads apart: the scores are not all the same
        assertThat(items.get(0).path("score").asDouble())
                .isGreaterThan(items.get(39).path("score").asDouble());
    }

    @Test
    void rankRecordsTheFirstExposureAsAssignDoes() throws Exception {
        start("rank-exposure", "");
        JsonNode answer = rank(request("rank-exposure", "rank-exposure-u1", 3, 5));
        rank(request("rank-exposure", "rank-exposure-u1", 3, 5));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(
                                                jdbc.queryForList(
                                                        "select x.arm_index from exposure x join experiment e on e.id = x.experiment_id"
                                                                + " where e.key = 'rank-exposure' and x.unit_id = 'rank-exposure-u1'",
                                                        Integer.class))
                                        .containsExactly(
                                                answer.path("arm").asString().equals("control")
                                                        ? 0
                                                        : 1));
    }

    @Test
    void unknownAndMissingFeaturesFallIntoTheUnknownBucket() throws Exception {
        start("rank-unknown", "");
        JsonNode answer =
                rank(
                        """
                {"experiment": "rank-unknown", "attributes": {"userId": "stranger", "user_age": "999", "scenario": "moon",
                  "user_city": "x", "user_activity": -3},
                 "candidates": [{"itemId": "new-ad", "bid": 2, "conversionType": "install",
                                 "features": {"ad_category": 42, "colour": "red", "ad_bid": "lots"}},
                                {"itemId": "a5", "bid": 1, "conversionType": "purchase", "bidType": "value"}]}""");
        assertThat(answer.path("items")).hasSize(2);
        for (JsonNode item : answer.path("items")) {
            assertThat(item.path("pCtr").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void aUnitOutsideTheExperimentIsRankedByTheControlModel() throws Exception {
        start("rank-outside", "\"coverage\": 0");
        JsonNode answer = rank(request("rank-outside", "rank-outside-u1", 1, 3));
        assertThat(answer.path("inExperiment").asBoolean()).isFalse();
        assertThat(answer.path("model").asString()).isEqualTo("baseline");
        assertThat(answer.has("arm")).isFalse();
        assertThat(answer.path("reason").asString()).isEqualTo("not_covered");

        api.post("/api/v1/experiments", ApiClient.experiment("rank-draft", ""))
                .andExpect(status().isCreated());
        JsonNode draft = rank(request("rank-draft", "u1", 1, 3));
        assertThat(draft.path("inExperiment").asBoolean()).isFalse();
        assertThat(draft.path("model").asString()).isEqualTo("baseline");
        assertThat(draft.path("reason").asString()).isEqualTo("not_running");
    }

    @Test
    void eachBadInputIsA400NamingItsField() throws Exception {
        start("rank-bad", "");
        expectField(
                "{\"experiment\": \"rank-bad\", \"attributes\": {}, \"candidates\": []}",
                "candidates");
        expectField(
                "{\"attributes\": {}, \"candidates\": [{\"itemId\": \"a\", \"bid\": 1, \"conversionType\": \"install\"}]}",
                "experiment");
        expectField(
                "{\"experiment\": \"rank-bad\", \"candidates\": [{\"itemId\": \"a\", \"bid\": 1,"
                        + " \"conversionType\": \"install\"}]}",
                "attributes");
        expectField(one("{\"bid\": 1, \"conversionType\": \"install\"}"), "candidates[0].itemId");
        expectField(
                one("{\"itemId\": \"a\", \"bid\": -0.5, \"conversionType\": \"install\"}"),
                "candidates[0].bid");
        expectField(
                one("{\"itemId\": \"a\", \"bid\": 1e999, \"conversionType\": \"install\"}"),
                "candidates[0].bid");
        expectField(
                one("{\"itemId\": \"a\", \"conversionType\": \"install\"}"), "candidates[0].bid");
        expectField(
                one("{\"itemId\": \"a\", \"bid\": \"lots\", \"conversionType\": \"install\"}"),
                "candidates[0].bid");
        expectField(
                one("{\"itemId\": \"a\", \"bid\": 1, \"conversionType\": \"teleport\"}"),
                "candidates[0].conversionType");
        expectField(one("{\"itemId\": \"a\", \"bid\": 1}"), "candidates[0].conversionType");
        expectField(
                one(
                        "{\"itemId\": \"a\", \"bid\": 1, \"conversionType\": \"install\", \"bidType\": \"cpm\"}"),
                "candidates[0].bidType");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("{\"itemId\":\"a\",\"bid\":1,\"conversionType\":\"install\"}");
        }
        expectField(
                "{\"experiment\": \"rank-bad\", \"attributes\": {}, \"candidates\": ["
                        + many
                        + "]}",
                "candidates");
        // nothing was assigned by a refused call
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from exposure x join experiment e on e.id = x.experiment_id"
                                        + " where e.key = 'rank-bad'",
                                Integer.class))
                .isZero();
        api.post(
                        "/api/v1/rank",
                        one("{\"itemId\": \"a\", \"bid\": 1, \"conversionType\": \"install\"}")
                                .replace("rank-bad", "no-such-experiment"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.errors[0].field").value("experiment"));
    }

    private static String one(String candidate) {
        return "{\"experiment\": \"rank-bad\", \"attributes\": {\"userId\": \"u1\"}, \"candidates\": ["
                + candidate
                + "]}";
    }

    private void expectField(String body, String field) throws Exception {
        api.post("/api/v1/rank", body)
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.errors[?(@.field == '" + field + "')]").exists());
    }

    @Test
    void experimentsMayNameOnlyLoadedModels() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "gpt5", "arms": [{"key": "control", "model": "baseline"}, {"key": "t", "model": "gpt5-ranker"}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[1].model"))
                .andExpect(
                        jsonPath("$.errors[0].message")
                                .value(
                                        "unknown model gpt5-ranker; loaded: aem2tl, baseline, ektm, htlnet"));
    }

    @Test
    void anArmWhoseModelIsNoLongerLoadedKeepsAssigningIsFlaggedAndRankAnswers503()
            throws Exception {
        start("rank-gone", "");
        // as if the model had been removed from the registry since the experiment was defined
        jdbc.update(
                "update experiment_arm set model = 'retired-model' where model = 'ektm'"
                        + " and experiment_id = (select id from experiment where key = 'rank-gone')");
        running.reload();
        api.get("/api/v1/experiments/rank-gone")
                .andExpect(status().isOk())
                .andExpect(
                        jsonPath("$.warnings[0]")
                                .value(
                                        org.hamcrest.Matchers.startsWith(
                                                "arms[1].model: model retired-model is not loaded")));
        // assignment goes on
        int treated = 0;
        for (int u = 0; u < 40 && treated == 0; u++) {
            String unit = "gone-" + u;
            JsonNode assigned =
                    json.readTree(
                                    api.post(
                                                    "/api/v1/assign",
                                                    "{\"attributes\": {\"userId\": \""
                                                            + unit
                                                            + "\"}, \"experiments\": [\"rank-gone\"]}")
                                            .andExpect(status().isOk())
                                            .andReturn()
                                            .getResponse()
                                            .getContentAsString())
                            .path("assignments")
                            .get(0);
            if (assigned.path("arm").asString().equals("ektm")) {
                treated++;
                api.post("/api/v1/rank", request("rank-gone", unit, 1, 3))
                        .andExpect(status().isServiceUnavailable())
                        .andExpect(header().exists("Retry-After"))
                        .andExpect(
                                jsonPath("$.detail")
                                        .value(
                                                org.hamcrest.Matchers.containsString(
                                                        "retired-model")));
            }
        }
        assertThat(treated).isEqualTo(1);
    }

    @Test
    void theRegistryListsTheShippedModelsWithTheirMetadata() throws Exception {
        JsonNode models =
                json.readTree(
                        api.get("/api/v1/models")
                                .andExpect(status().isOk())
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        List<String> keys = new ArrayList<>();
        for (JsonNode m : models.path("models")) {
            keys.add(m.path("key").asString());
            assertThat(m.path("architecture").asString()).isEqualTo(m.path("key").asString());
            assertThat(m.path("version").asInt()).isPositive();
            assertThat(m.path("parameters").asLong()).isGreaterThan(100_000);
            assertThat(m.path("dataSeed").asLong()).isEqualTo(MarketplaceConfig.DEFAULT_SEED);
            assertThat(m.path("trainedAt").asString()).isNotBlank();
            assertThat(m.path("offlineMetrics").path("ctr").path("auc").asDouble())
                    .isBetween(0.6, 1.0);
        }
        assertThat(keys).containsExactly("aem2tl", "baseline", "ektm", "htlnet");
        assertThat(models.path("failures")).isEmpty();
    }
}
