package io.splitrank.app.report;

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

/** The report's OpenAPI description documents every field and states the decision rule. */
@PlatformTest
class ReportOpenApiTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;

    @Test
    void everyReportFieldIsDocumentedAndTheDecisionRuleIsStated() throws Exception {
        JsonNode api =
                json.readTree(
                        mvc.perform(get("/v3/api-docs"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        JsonNode schemas = api.at("/components/schemas");
        List<String> undocumented = new ArrayList<>();
        for (String name :
                List.of(
                        "ExperimentReport",
                        "ReportArm",
                        "ReportMetric",
                        "ReportArmMetric",
                        "ReportTimeseriesPoint",
                        "ReportDecision",
                        "DecisionPrimary",
                        "DecisionVerdict",
                        "DecisionGuardrail",
                        "ReportSnapshotSummary")) {
            JsonNode properties = schemas.at("/" + name + "/properties");
            assertThat(properties.isObject()).as(name + " is in the OpenAPI description").isTrue();
            for (var field : properties.properties()) {
                if (!field.getValue().has("description")) {
                    undocumented.add(name + "." + field.getKey());
                }
            }
        }
        assertThat(undocumented).isEmpty();
        assertThat(
                        api.at("/paths/~1api~1v1~1experiments~1{key}~1report/get/description")
                                .asString())
                .contains(ReportController.DECISION_RULE);
        assertThat(api.at("/paths/~1api~1v1~1experiments~1{key}~1reports~1{id}.csv/get").isObject())
                .isTrue();
    }
}
