package io.splitrank.app.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import io.splitrank.app.PlatformTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@PlatformTest
class AnalysisOpenApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;

    @Test
    void everyFieldOfTheAnalysisRequestAndAnswerIsDocumented() throws Exception {
        JsonNode schemas =
                json.readTree(
                                mvc.perform(get("/v3/api-docs"))
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString())
                        .at("/components/schemas");
        List<String> undocumented = new ArrayList<>();
        for (String name :
                List.of(
                        "AnalysisRequest",
                        "AnalysisMetric",
                        "AnalysisArm",
                        "AnalysisPrior",
                        "AnalysisResult",
                        "ArmResult",
                        "Comparison",
                        "FixedHorizon",
                        "Sequential",
                        "Bayesian",
                        "Risk",
                        "SrmResult")) {
            JsonNode properties = schemas.at("/" + name + "/properties");
            assertThat(properties.isObject()).as(name + " is in the OpenAPI description").isTrue();
            for (var field : properties.properties()) {
                if (!field.getValue().has("description")) {
                    undocumented.add(name + "." + field.getKey());
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }
}
