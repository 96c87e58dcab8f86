package io.splitrank.app.ingest;

import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.splitrank.app.problem.ApiProperties;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The checks of {@code POST /api/v1/events} on a batch, in a web slice: the real validator, a
 * mocked event log, a fixed clock, batches of at most three events. The application's API-key
 * security is not part of the slice; a signed-in writer stands in for a key.
 */
@WebMvcTest(controllers = EventController.class, properties = "splitrank.events.max-batch=3")
@Import(EventValidator.class)
@EnableConfigurationProperties({EventProperties.class, ApiProperties.class})
@WithMockUser(roles = "SDK")
class EventControllerTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @TestConfiguration
    static class FixedClock {
        @Bean
        Clock clock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Autowired MockMvc mvc;
    @MockitoBean EventLog eventLog;

    private ResultActions send(String body) throws Exception {
        return mvc.perform(
                post("/api/v1/events")
                        .with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body));
    }

    private static String event(String id, String type, String extra) {
        return """
                {"eventId": "%s", "type": "%s", "unitId": "u1", "timestamp": "%s"%s}"""
                .formatted(id, type, NOW.minusSeconds(60), extra.isEmpty() ? "" : ", " + extra);
    }

    @Test
    void aValidBatchIsAppendedAndCounted() throws Exception {
        when(eventLog.append(anyList())).thenReturn(new EventLog.AppendResult(1, 1));
        send("{\"events\": ["
                        + event("a", "impression", "")
                        + ", "
                        + event("b", "click", "\"value\": 0.5")
                        + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1))
                .andExpect(jsonPath("$.duplicates").value(1));
        verify(eventLog).append(anyList());
    }

    @Test
    void anEmptyOrMissingBatchIs400NamingEvents() throws Exception {
        send("{\"events\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("events"))
                .andExpect(jsonPath("$.errors[0].message").value("required: 1 to 3 events"));
        send("{}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("events"));
        verifyNoInteractions(eventLog);
    }

    @Test
    void aBatchOverMaxBatchIs400() throws Exception {
        String e = event("x", "impression", "");
        send("{\"events\": [" + String.join(", ", List.of(e, e, e, e)) + "]}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("events"))
                .andExpect(
                        jsonPath("$.errors[0].message").value("at most 3 events per batch, got 4"));
        verifyNoInteractions(eventLog);
    }

    @Test
    void badFieldsAre400NamingEachByIndexAndNothingIsWritten() throws Exception {
        send("{\"events\": ["
                        + event("a", "impression", "")
                        + ", "
                        + event("b", "purchase", "")
                        + ", "
                        + event("c", "conversion", "\"value\": -1")
                        + "]}")
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("events[1].type"))
                .andExpect(jsonPath("$.errors[1].field").value("events[2].conversionType"))
                .andExpect(jsonPath("$.errors[1].message").value("required for a conversion"))
                .andExpect(jsonPath("$.errors[2].field").value("events[2].value"))
                .andExpect(jsonPath("$.errors.length()").value(3));
        verifyNoInteractions(eventLog);
    }

    @Test
    void aTimestampTooFarAheadOfTheClockIs400() throws Exception {
        send("{\"events\": [{\"eventId\": \"f\", \"type\": \"click\", \"unitId\": \"u1\", \"timestamp\": \""
                        + NOW.plusSeconds(600)
                        + "\"}]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("events[0].timestamp"));
        verifyNoInteractions(eventLog);
    }

    @Test
    void anUnavailableEventLogIs503WithRetryAfter() throws Exception {
        when(eventLog.append(anyList())).thenThrow(new EventLogUnavailableException("down", null));
        send("{\"events\": [" + event("a", "impression", "") + "]}")
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(header().exists("Retry-After"));
    }
}
