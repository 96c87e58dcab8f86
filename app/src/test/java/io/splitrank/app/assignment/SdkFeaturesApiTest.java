package io.splitrank.app.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GrowthBook's SDK payload at {@code GET /api/features/{clientKey}}: each running experiment as a
 * feature with one experiment rule, an ETag, the key in the path as the only credential (sdk scope
 * or one that includes it), and the streaming updates at {@code GET /sub/{clientKey}}. That an SDK
 * assigns with it exactly as /assign does is {@link GrowthBookSdkTest}'s part.
 */
@PlatformTest
class SdkFeaturesApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    private String newKey(String scope) throws Exception {
        return newKey("gbf-" + scope + "-" + System.nanoTime(), scope);
    }

    private String newKey(String name, String scope) throws Exception {
        String body =
                api.post(
                                "/api/v1/keys",
                                "{\"name\": \"%s\", \"scope\": \"%s\"}".formatted(name, scope))
                        .andExpect(status().isCreated())
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        return json.readTree(body).get("secret").asString();
    }

    private JsonNode features(String clientKey) throws Exception {
        return json.readTree(
                mvc.perform(get("/api/features/" + clientKey))
                        .andExpect(status().isOk())
                        .andReturn()
                        .getResponse()
                        .getContentAsString());
    }

    @Test
    void eachRunningExperimentIsAFeatureWithOneExperimentRule() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                        {"key": "gbf-full", "name": "Full featured", "seed": "gbf-seed", "hashVersion": 1,
                         "coverage": 0.8, "layer": "gbf-layer", "layerRange": [0.1, 0.6],
                         "condition": {"country": {"$in": ["DE", "FR"]}},
                         "arms": [{"key": "control", "model": "baseline", "weight": 0.2},
                                  {"key": "deep", "name": "Deep model", "model": "ektm", "weight": 0.3},
                                  {"key": "wide", "model": "htlnet", "weight": 0.5}]}""")
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments", ApiClient.experiment("gbf-drafted", ""))
                .andExpect(status().isCreated());
        String key = newKey("sdk");
        // a draft is not a feature yet
        assertThat(features(key).get("features").has("gbf-full")).isFalse();
        api.post("/api/v1/experiments/gbf-full/start").andExpect(status().isOk());

        MvcResult result =
                mvc.perform(get("/api/features/" + key))
                        .andExpect(status().isOk())
                        .andExpect(content().contentTypeCompatibleWith("application/json"))
                        .andExpect(header().exists("ETag"))
                        .andExpect(header().string("Cache-Control", "no-cache, private"))
                        .andExpect(header().string("x-sse-support", "enabled"))
                        .andExpect(header().string("Access-Control-Allow-Origin", "*"))
                        .andReturn();
        JsonNode payload = json.readTree(result.getResponse().getContentAsString());
        assertThat(Instant.parse(payload.get("dateUpdated").asString())).isBefore(Instant.now());
        JsonNode features = payload.get("features");
        assertThat(features.has("gbf-drafted")).isFalse();
        JsonNode feature = features.get("gbf-full");
        assertThat(feature.get("defaultValue").asString()).isEqualTo("control");
        assertThat(feature.get("rules")).hasSize(1);
        assertThat(feature.get("rules").get(0))
                .isEqualTo(
                        json.readTree(
                                """
                                {"key": "gbf-full", "variations": ["control", "deep", "wide"],
                                 "weights": [0.2, 0.3, 0.5], "coverage": 0.8, "hashAttribute": "userId",
                                 "hashVersion": 1, "seed": "gbf-seed", "namespace": ["gbf-layer", 0.1, 0.6],
                                 "condition": {"country": {"$in": ["DE", "FR"]}}, "phase": "1",
                                 "name": "gbf-full",
                                 "meta": [{"key": "control", "name": "control", "model": "baseline"},
                                          {"key": "deep", "name": "Deep model", "model": "ektm"},
                                          {"key": "wide", "name": "wide", "model": "htlnet"}]}"""));

        // polling is cheap: 304 while nothing changed
        String etag = result.getResponse().getHeader("ETag");
        mvc.perform(get("/api/features/" + key).header("If-None-Match", etag))
                .andExpect(status().isNotModified())
                .andExpect(header().string("ETag", etag));

        // a new phase hashes with the phase's seed
        api.patch(
                        "/api/v1/experiments/gbf-full",
                        """
                        {"arms": [{"key": "control", "model": "baseline", "weight": 0.5},
                                  {"key": "deep", "name": "Deep model", "model": "ektm", "weight": 0.25},
                                  {"key": "wide", "model": "htlnet", "weight": 0.25}]}""")
                .andExpect(status().isOk());
        MvcResult changed =
                mvc.perform(get("/api/features/" + key).header("If-None-Match", etag))
                        .andExpect(status().isOk())
                        .andReturn();
        assertThat(changed.getResponse().getHeader("ETag")).isNotEqualTo(etag);
        JsonNode rule =
                json.readTree(changed.getResponse().getContentAsString())
                        .at("/features/gbf-full/rules/0");
        assertThat(rule.get("phase").asString()).isEqualTo("2");
        assertThat(rule.get("seed").asString()).isEqualTo("gbf-seed:2");
        assertThat(rule.get("weights").toString()).isEqualTo("[0.5,0.25,0.25]");

        api.post("/api/v1/experiments/gbf-full/stop").andExpect(status().isOk());
        assertThat(features(key).get("features").has("gbf-full")).isFalse();
    }

    @Test
    void theClientKeyInThePathIsTheOnlyCredentialAndMustHaveTheSdkScope() throws Exception {
        mvc.perform(get("/api/features/" + newKey("writer"))).andExpect(status().isOk());
        mvc.perform(get("/api/features/" + ApiClient.ADMIN_KEY)).andExpect(status().isOk());

        mvc.perform(get("/api/features/sk_nobody"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        // a valid bearer header does not stand in for the key in the path
        mvc.perform(
                        get("/api/features/sk_nobody")
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/features/" + newKey("reader")))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/sub/sk_nobody")).andExpect(status().isUnauthorized());

        String key = newKey("gbf-revoked", "sdk");
        mvc.perform(get("/api/features/" + key)).andExpect(status().isOk());
        long id = -1;
        for (JsonNode k :
                json.readTree(
                        api.get("/api/v1/keys").andReturn().getResponse().getContentAsString())) {
            if (k.get("name").asString().equals("gbf-revoked")) {
                id = k.get("id").asLong();
            }
        }
        mvc.perform(
                        delete("/api/v1/keys/" + id)
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY))
                .andExpect(status().isOk());
        mvc.perform(get("/api/features/" + key))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
    }

    @Test
    void theStreamSendsThePayloadOnConnectAndAgainWhenExperimentsChange() throws Exception {
        String key = newKey("sdk");
        MvcResult result =
                mvc.perform(get("/sub/" + key)).andExpect(request().asyncStarted()).andReturn();
        await("the first payload")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> featureEvents(result).size() >= 1);
        assertThat(featureEvents(result).get(0).get("features").has("gbf-streamed")).isFalse();

        api.post("/api/v1/experiments", ApiClient.experiment("gbf-streamed", ""))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/gbf-streamed/start").andExpect(status().isOk());
        await("a payload with the new experiment")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> {
                            List<JsonNode> events = featureEvents(result);
                            return events.get(events.size() - 1)
                                    .get("features")
                                    .has("gbf-streamed");
                        });
        List<JsonNode> events = featureEvents(result);
        assertThat(
                        events.get(events.size() - 1)
                                .at("/features/gbf-streamed/defaultValue")
                                .asString())
                .isEqualTo("control");
    }

    /** The data of the stream's {@code features} events so far. */
    private List<JsonNode> featureEvents(MvcResult result) {
        String body;
        try {
            body = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (event.startsWith("event:features\n")) {
                data.add(json.readTree(event.substring(event.indexOf("data:") + 5)));
            }
        }
        return data;
    }
}
