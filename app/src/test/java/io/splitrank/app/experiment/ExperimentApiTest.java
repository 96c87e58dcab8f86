package io.splitrank.app.experiment;

import static io.splitrank.app.ApiClient.experiment;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@PlatformTest
class ExperimentApiTest {

    @Autowired MockMvc mvc;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
    }

    @Test
    void createdExperimentIsADraftWithDefaultsFilledIn() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        experiment("defaults", "\"hypothesis\": \"EKTM lifts eCPM\""))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/experiments/defaults"))
                .andExpect(jsonPath("$.status").value("draft"))
                .andExpect(jsonPath("$.phase").value(1))
                .andExpect(jsonPath("$.name").value("defaults"))
                .andExpect(jsonPath("$.seed").value("defaults"))
                .andExpect(jsonPath("$.hashAttribute").value("userId"))
                .andExpect(jsonPath("$.hashVersion").value(2))
                .andExpect(jsonPath("$.coverage").value(1.0))
                .andExpect(jsonPath("$.metrics.primary").value("ecpm"))
                .andExpect(jsonPath("$.arms[1].model").value("ektm"));
        api.get("/api/v1/experiments/defaults")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hypothesis").value("EKTM lifts eCPM"));
    }

    @Test
    void armsWithoutWeightsShareTrafficEqually() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "equal-weights", "arms": [{"key": "a", "model": "baseline"}, {"key": "b", "model": "ektm"},
                 {"key": "c", "model": "htlnet"}, {"key": "d", "model": "aem2tl"}]}""")
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.arms[*].weight", contains(0.25, 0.25, 0.25, 0.25)));
    }

    @Test
    void invalidDocumentIsRefusedNamingEveryField() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "Not A Key", "coverage": 1.5, "hashVersion": 3,
                 "arms": [{"key": "control", "model": "baseline", "weight": 0.7},
                          {"key": "control", "model": "Bad Model", "weight": 0.5}],
                 "analysis": {"alpha": 0.9}}""")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(
                        jsonPath(
                                "$.errors[*].field",
                                contains(
                                        "key",
                                        "hashVersion",
                                        "coverage",
                                        "arms[1].key",
                                        "arms[1].model",
                                        "arms",
                                        "analysis.alpha")));
    }

    @Test
    void oneArmOrTwentyOneArmsAreRefused() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        "{\"key\": \"one-arm\", \"arms\": [{\"key\": \"a\", \"model\": \"baseline\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms"));
        StringBuilder arms = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            arms.append(i == 0 ? "" : ",")
                    .append("{\"key\": \"a")
                    .append(i)
                    .append("\", \"model\": \"baseline\"}");
        }
        api.post("/api/v1/experiments", "{\"key\": \"many-arms\", \"arms\": [" + arms + "]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms"));
    }

    @Test
    void weightsMustSumToOneWithinATolerance() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "almost-one", "arms": [{"key": "a", "model": "baseline", "weight": 0.3334},
                 {"key": "b", "model": "ektm", "weight": 0.3333}, {"key": "c", "model": "htlnet", "weight": 0.3333}]}""")
                .andExpect(status().isCreated());
        api.post(
                        "/api/v1/experiments",
                        """
                {"key": "not-one", "arms": [{"key": "a", "model": "baseline", "weight": 0.5},
                 {"key": "b", "model": "ektm", "weight": 0.502}]}""")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms"));
    }

    @Test
    void theDashboardsOwnPathIsAReservedKey() throws Exception {
        api.post("/api/v1/experiments", experiment("new", ""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("key"));
    }

    @Test
    void duplicateKeyIsAConflict() throws Exception {
        api.post("/api/v1/experiments", experiment("dup", "")).andExpect(status().isCreated());
        api.post("/api/v1/experiments", experiment("dup", ""))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("key"));
    }

    @Test
    void overlappingRangesInOneLayerAreRefusedAndArchivingFreesTheRange() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        experiment("layer-a", "\"layer\": \"feed\", \"layerRange\": [0, 0.5]"))
                .andExpect(status().isCreated());
        api.post(
                        "/api/v1/experiments",
                        experiment("layer-b", "\"layer\": \"feed\", \"layerRange\": [0.5, 1]"))
                .andExpect(status().isCreated());
        api.post(
                        "/api/v1/experiments",
                        experiment("layer-c", "\"layer\": \"feed\", \"layerRange\": [0.4, 0.6]"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("layerRange"));
        api.post(
                        "/api/v1/experiments",
                        experiment("layer-d", "\"layer\": \"search\", \"layerRange\": [0.4, 0.6]"))
                .andExpect(status().isCreated());
        api.patch("/api/v1/experiments/layer-b", "{\"layerRange\": [0.3, 1]}")
                .andExpect(status().isConflict());

        api.post("/api/v1/experiments/layer-a/archive").andExpect(status().isOk());
        api.post(
                        "/api/v1/experiments",
                        experiment("layer-c", "\"layer\": \"feed\", \"layerRange\": [0.4, 0.5]"))
                .andExpect(status().isCreated());
    }

    @Test
    void lifecycleMovesDraftToRunningToStoppedToArchived() throws Exception {
        api.post("/api/v1/experiments", experiment("life", "")).andExpect(status().isCreated());
        api.post("/api/v1/experiments/life/stop").andExpect(status().isConflict());
        api.post("/api/v1/experiments/life/start")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("running"))
                .andExpect(jsonPath("$.startedAt").exists());
        api.post("/api/v1/experiments/life/archive").andExpect(status().isConflict());
        api.get("/api/v1/experiments?status=running")
                .andExpect(jsonPath("$[*].key", hasItem("life")));
        api.post("/api/v1/experiments/life/stop")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("stopped"));
        api.get("/api/v1/experiments?status=running")
                .andExpect(jsonPath("$[*].key", not(hasItem("life"))));
        api.post("/api/v1/experiments/life/archive")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("archived"));
        api.patch("/api/v1/experiments/life", "{\"name\": \"x\"}").andExpect(status().isConflict());
        api.get("/api/v1/experiments?status=bogus")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
    }

    @Test
    void changingWeightsOfAStartedExperimentStartsANewPhaseButRampingDoesNot() throws Exception {
        api.post("/api/v1/experiments", experiment("phased", "\"coverage\": 0.05"))
                .andExpect(status().isCreated());
        api.patch(
                        "/api/v1/experiments/phased",
                        "{\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.6},"
                                + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.4}]}")
                .andExpect(jsonPath("$.phase").value(1));
        api.post("/api/v1/experiments/phased/start").andExpect(status().isOk());
        api.patch("/api/v1/experiments/phased", "{\"coverage\": 0.5}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.coverage").value(0.5))
                .andExpect(jsonPath("$.phase").value(1));
        api.patch(
                        "/api/v1/experiments/phased",
                        "{\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.5},"
                                + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.5}]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.phase").value(2))
                .andExpect(jsonPath("$.arms[0].weight").value(0.5));
        api.get("/api/v1/experiments/phased/phases")
                .andExpect(jsonPath("$[*].phase", contains(1, 2)))
                .andExpect(jsonPath("$[0].hashSeed").value("phased"))
                .andExpect(jsonPath("$[0].arms[0].weight").value(0.6))
                .andExpect(jsonPath("$[0].endedAt").exists())
                .andExpect(jsonPath("$[1].hashSeed").value("phased:2"))
                .andExpect(jsonPath("$[1].endedAt").doesNotExist());
    }

    @Test
    void everyChangeIsInTheAuditLogWithActorBeforeAndAfter() throws Exception {
        api.post("/api/v1/experiments", experiment("audited", "")).andExpect(status().isCreated());
        api.patch("/api/v1/experiments/audited", "{\"name\": \"Audited\"}")
                .andExpect(status().isOk());
        api.post("/api/v1/experiments/audited/start").andExpect(status().isOk());
        api.get("/api/v1/experiments/audited/audit")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(3)))
                .andExpect(jsonPath("$[*].action", contains("create", "patch", "start")))
                .andExpect(jsonPath("$[0].actor").value("admin"))
                .andExpect(jsonPath("$[0].before").doesNotExist())
                .andExpect(jsonPath("$[1].before.name").value("audited"))
                .andExpect(jsonPath("$[1].after.name").value("Audited"))
                .andExpect(jsonPath("$[2].after.status").value("running"));
    }

    @Test
    void theKeyCannotChangeAndNullRemovesAnOptionalField() throws Exception {
        api.post("/api/v1/experiments", experiment("immutable", "\"hypothesis\": \"h\""))
                .andExpect(status().isCreated());
        api.patch("/api/v1/experiments/immutable", "{\"key\": \"other\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("key"));
        api.patch("/api/v1/experiments/immutable", "{\"hypothesis\": null}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.hypothesis").doesNotExist());
        api.patch("/api/v1/experiments/immutable", "{\"coverage\": \"half\"}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("coverage"));
    }

    @Test
    void listFiltersByLayer() throws Exception {
        api.post(
                        "/api/v1/experiments",
                        experiment("in-layer", "\"layer\": \"detail\", \"layerRange\": [0, 0.1]"))
                .andExpect(status().isCreated());
        api.get("/api/v1/experiments?layer=detail")
                .andExpect(jsonPath("$[*].key", contains("in-layer")));
    }

    @Test
    void unknownExperimentIs404ProblemJson() throws Exception {
        api.get("/api/v1/experiments/nope")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("no experiment with key nope"));
        api.post("/api/v1/experiments/nope/start").andExpect(status().isNotFound());
    }

    @Test
    void malformedJsonWrongTypesAndUnknownFieldsAre400NamingTheField() throws Exception {
        api.post("/api/v1/experiments", "{\"key\": ")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("body"));
        api.post(
                        "/api/v1/experiments",
                        "{\"key\": \"t\", \"arms\": [{\"key\": \"a\", \"weight\": \"heavy\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("arms[0].weight"))
                .andExpect(jsonPath("$.errors[0].message").value("must be a number"));
        api.post("/api/v1/experiments", "{\"key\": \"t\", \"coverge\": 0.5}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("coverge"));
    }

    @Test
    void everyUnreadableFieldIsNamedTogetherWithTheValueErrorsAndNoJavaName() throws Exception {
        String answer =
                api.post(
                                "/api/v1/experiments",
                                """
                                {"key": "Not A Key", "colour": "red", "coverage": "full",
                                 "arms": [{"key": "control", "model": "baseline", "weight": "heavy"},
                                          {"key": "b", "model": "no-such-model", "weight": 0.5, "size": 3}],
                                 "analysis": {"alpha": [0.05], "correction": "bonferroni"}}""")
                        .andExpect(status().isBadRequest())
                        .andExpect(
                                content()
                                        .contentTypeCompatibleWith(
                                                MediaType.APPLICATION_PROBLEM_JSON))
                        // the parse problems (an object's unknown properties come at its end)
                        .andExpect(jsonPath("$.errors[0].field").value("coverage"))
                        .andExpect(jsonPath("$.errors[0].message").value("must be a number"))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("colour")))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("arms[0].weight")))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("arms[1].size")))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("analysis.alpha")))
                        // then the value problems of the fields that could be read
                        .andExpect(jsonPath("$.errors[*].field", hasItem("key")))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("arms[1].model")))
                        .andExpect(jsonPath("$.errors[*].field", hasItem("analysis.correction")))
                        // "arms" would only repeat what arms[0].weight says
                        .andExpect(jsonPath("$.errors[*].field", not(hasItem("arms"))))
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        org.assertj.core.api.Assertions.assertThat(answer)
                .contains("{\"field\":\"colour\",\"message\":\"unknown property\"}")
                .doesNotContain("io.splitrank", "ExperimentDocument", "java.", "class ", "`");
        api.get("/api/v1/experiments/not-a-key").andExpect(status().isNotFound());
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String padding = "x".repeat(70_000);
        api.post("/api/v1/experiments", experiment("big", "\"hypothesis\": \"" + padding + "\""))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void theApiNeedsAValidKey() throws Exception {
        mvc.perform(get("/api/v1/experiments"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().exists("WWW-Authenticate"))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/experiments").header("Authorization", "Bearer wrong"))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
    }
}
