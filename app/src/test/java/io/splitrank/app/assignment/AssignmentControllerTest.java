package io.splitrank.app.assignment;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.problem.ApiProblemException;
import io.splitrank.app.problem.ApiProperties;
import io.splitrank.app.problem.FieldProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The checks of {@code POST /api/v1/assign} and {@code /assign/batch} on their bodies, in a web
 * slice with a mocked assignment service. The application's API-key security is not part of the
 * slice; a signed-in writer stands in for a key.
 */
@WebMvcTest(AssignmentController.class)
@EnableConfigurationProperties(ApiProperties.class)
@WithMockUser(roles = "SDK")
class AssignmentControllerTest {

    @Autowired MockMvc mvc;
    @MockitoBean AssignmentService service;

    private ResultActions send(String path, String body) throws Exception {
        return mvc.perform(
                post(path).with(csrf()).contentType(MediaType.APPLICATION_JSON).content(body));
    }

    @Test
    void aUnitIsAssignedByTheService() throws Exception {
        when(service.assign(Map.of("userId", "u1"), List.of("exp")))
                .thenReturn(
                        List.of(
                                new AssignmentView(
                                        "exp",
                                        1,
                                        true,
                                        "treatment",
                                        "ektm",
                                        0.42,
                                        "assigned",
                                        null,
                                        null)));
        send("/api/v1/assign", "{\"attributes\": {\"userId\": \"u1\"}, \"experiments\": [\"exp\"]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.assignments[0].experiment").value("exp"))
                .andExpect(jsonPath("$.assignments[0].arm").value("treatment"))
                .andExpect(jsonPath("$.assignments[0].reason").value("assigned"));
        verify(service).checkKnown(List.of("exp"), "experiments");
    }

    @Test
    void missingOrMistypedAttributesAre400() throws Exception {
        send("/api/v1/assign", "{}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("attributes"));
        send("/api/v1/assign", "{\"attributes\": [1]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("attributes"))
                .andExpect(jsonPath("$.errors[0].message").value("must be an object"));
        verify(service, never()).assign(anyMap(), any());
    }

    @Test
    void anUnknownExperimentIs404NamingIt() throws Exception {
        doThrow(
                        ApiProblemException.notFound(
                                "no experiment with key nope",
                                new FieldProblem("experiments[0]", "unknown experiment")))
                .when(service)
                .checkKnown(eq(List.of("nope")), eq("experiments"));
        send(
                        "/api/v1/assign",
                        "{\"attributes\": {\"userId\": \"u1\"}, \"experiments\": [\"nope\"]}")
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("experiments[0]"));
        verify(service, never()).assign(anyMap(), any());
    }

    @Test
    void aBatchNeedsOneToAThousandUnitsEachWithAttributes() throws Exception {
        send("/api/v1/assign/batch", "{\"units\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("units"))
                .andExpect(jsonPath("$.errors[0].message").value("required: 1 to 1000 units"));
        StringBuilder units = new StringBuilder();
        for (int i = 0; i <= AssignmentController.MAX_BATCH; i++) {
            units.append(i == 0 ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"b-")
                    .append(i)
                    .append("\"}}");
        }
        send("/api/v1/assign/batch", "{\"units\": [" + units + "]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("units"))
                .andExpect(
                        jsonPath("$.errors[0].message")
                                .value("at most 1000 units per call, got 1001"));
        send("/api/v1/assign/batch", "{\"units\": [{\"attributes\": {}}, {}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("units[1].attributes"));
        verify(service, never()).assign(anyMap(), any());
    }
}
