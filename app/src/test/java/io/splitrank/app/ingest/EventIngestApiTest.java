package io.splitrank.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@PlatformTest
class EventIngestApiTest {

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired JsonMapper json;
    ApiClient api;
    String prefix;

    @BeforeEach
    void setUp() {
        api = new ApiClient(mvc);
        prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    private String event(String id, String type, String extra) {
        return """
                {"eventId": "%s", "type": "%s", "unitId": "u-%s", "timestamp": "%s"%s}"""
                .formatted(
                        prefix + id,
                        type,
                        prefix,
                        Instant.now().minusSeconds(10),
                        extra.isEmpty() ? "" : ", " + extra);
    }

    private long stored(String id) {
        return jdbc.queryForObject(
                "select count(*) from event where event_id = ?", Long.class, prefix + id);
    }

    @Test
    void acceptedEventsAreCommittedBeforeTheAnswerAndCountedOnce() throws Exception {
        String batch =
                "{\"events\": ["
                        + event("a", "impression", "\"scenario\": \"home\", \"itemId\": \"ad1\"")
                        + ", "
                        + event("b", "click", "\"value\": 0.25")
                        + ", "
                        + event(
                                "c",
                                "conversion",
                                "\"conversionType\": \"purchase\", \"value\": 19.9")
                        + "]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(3))
                .andExpect(jsonPath("$.duplicates").value(0));
        assertThat(stored("a") + stored("b") + stored("c")).isEqualTo(3);
        api.post("/api/v1/events", batch)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(0))
                .andExpect(jsonPath("$.duplicates").value(3));
        assertThat(stored("a") + stored("b") + stored("c")).isEqualTo(3);
        assertThat(
                        jdbc.queryForObject(
                                "select value from event where event_id = ?",
                                Double.class,
                                prefix + "c"))
                .isEqualTo(19.9);
    }

    @Test
    void aBatchOverlappingStoredEventsWritesOnlyTheNewOnes() throws Exception {
        api.post(
                        "/api/v1/events",
                        "{\"events\": ["
                                + event("p", "impression", "")
                                + ", "
                                + event("q", "click", "")
                                + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2));
        // the stored ids make the optimistic COPY fail; the retry leaves them out
        api.post(
                        "/api/v1/events",
                        "{\"events\": ["
                                + event("o", "impression", "")
                                + ", "
                                + event("p", "impression", "")
                                + ", "
                                + event("q", "click", "")
                                + ", "
                                + event("r", "conversion", "\"conversionType\": \"signup\"")
                                + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2))
                .andExpect(jsonPath("$.duplicates").value(2));
        assertThat(stored("o") + stored("p") + stored("q") + stored("r")).isEqualTo(4);
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from event_batch_pending b join event e on e.batch_id = b.batch_id"
                                        + " where e.event_id = ?",
                                Long.class,
                                prefix + "r"))
                .as("the retried batch is pending once")
                .isEqualTo(1);
    }

    @Test
    void theSameBatchSentConcurrentlyIsWrittenOnce() throws Exception {
        StringBuilder batch = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 500; i++) {
            batch.append(i == 0 ? "" : ", ")
                    .append(event("c" + i, i % 3 == 0 ? "click" : "impression", ""));
        }
        String body = batch.append("]}").toString();
        int senders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<String>> answers = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < senders; i++) {
                answers.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return api.post("/api/v1/events", body)
                                            .andExpect(status().isOk())
                                            .andReturn()
                                            .getResponse()
                                            .getContentAsString();
                                }));
            }
            go.countDown();
            int accepted = 0;
            int duplicates = 0;
            for (Future<String> answer : answers) {
                String json = answer.get(60, TimeUnit.SECONDS);
                accepted += JsonPath.<Integer>read(json, "$.accepted");
                duplicates += JsonPath.<Integer>read(json, "$.duplicates");
            }
            assertThat(accepted).as("every event accepted by exactly one sender").isEqualTo(500);
            assertThat(duplicates).isEqualTo(500 * (senders - 1));
        } finally {
            pool.shutdownNow();
        }
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from event where event_id like ?",
                                Long.class,
                                prefix + "c%"))
                .isEqualTo(500);
    }

    @Test
    void duplicatesWithinOneBatchAreCountedOnce() throws Exception {
        String batch =
                "{\"events\": ["
                        + event("x", "impression", "")
                        + ", "
                        + event("x", "impression", "")
                        + ", "
                        + event("y", "click", "")
                        + ", "
                        + event("x", "click", "")
                        + "]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(2))
                .andExpect(jsonPath("$.duplicates").value(2));
        assertThat(stored("x")).isEqualTo(1);
        assertThat(
                        jdbc.queryForObject(
                                "select type from event where event_id = ?",
                                Integer.class,
                                prefix + "x"))
                .as("the first occurrence wins")
                .isEqualTo(EventType.IMPRESSION.code());
    }

    @Test
    void invalidEventsAreRefusedByIndexAndNothingOfTheBatchIsWritten() throws Exception {
        String batch =
                "{\"events\": ["
                        + event("ok", "impression", "")
                        + ", "
                        + event("bad-type", "view", "")
                        + ", "
                        + "{\"eventId\": \""
                        + prefix
                        + "no-unit\", \"type\": \"click\", \"timestamp\": \""
                        + Instant.now()
                        + "\"}, "
                        + event("no-conv-type", "conversion", "")
                        + ", "
                        + event("negative", "click", "\"value\": -1")
                        + ", "
                        + event("huge", "click", "\"value\": 1e400")
                        + ", "
                        + "{\"eventId\": \""
                        + prefix
                        + "future\", \"type\": \"click\", \"unitId\": \"u\", \"timestamp\": \""
                        + Instant.now().plus(Duration.ofMinutes(10))
                        + "\"}, "
                        + "{\"eventId\": \""
                        + prefix
                        + "old\", \"type\": \"click\", \"unitId\": \"u\", \"timestamp\": \""
                        + Instant.now().minus(Duration.ofDays(91))
                        + "\"}, "
                        + "{\"eventId\": \""
                        + prefix
                        + "garbled\", \"type\": \"click\", \"unitId\": \"u\", \"timestamp\": \"yesterday\"}, "
                        + "null]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].field").value("events[1].type"))
                .andExpect(jsonPath("$.errors[1].field").value("events[2].unitId"))
                .andExpect(jsonPath("$.errors[2].field").value("events[3].conversionType"))
                .andExpect(jsonPath("$.errors[2].message").value("required for a conversion"))
                .andExpect(jsonPath("$.errors[3].field").value("events[4].value"))
                .andExpect(jsonPath("$.errors[4].field").value("events[5].value"))
                .andExpect(jsonPath("$.errors[5].field").value("events[6].timestamp"))
                .andExpect(jsonPath("$.errors[6].field").value("events[7].timestamp"))
                .andExpect(jsonPath("$.errors[7].field").value("events[8].timestamp"))
                .andExpect(jsonPath("$.errors[8].field").value("events[9]"))
                .andExpect(jsonPath("$.errors.length()").value(9));
        assertThat(stored("ok")).as("all or nothing").isZero();
    }

    @Test
    void theRankingIdAndPositionAreStored() throws Exception {
        String rankingId = UUID.randomUUID().toString();
        String batch =
                "{\"events\": ["
                        + event(
                                "ranked",
                                "click",
                                "\"itemId\": \"ad7\", \"rankingId\": \""
                                        + rankingId
                                        + "\", \"position\": 3")
                        + ", "
                        + event(
                                "top",
                                "impression",
                                "\"rankingId\": \"" + "r".repeat(64) + "\", \"position\": 1000")
                        + ", "
                        + event("unranked", "impression", "")
                        + ", "
                        + event("nulls", "impression", "\"rankingId\": null, \"position\": null")
                        + "]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(4));
        String read = "select ranking_id, position from event where event_id = ?";
        Map<String, Object> ranked = jdbc.queryForMap(read, prefix + "ranked");
        assertThat(ranked.get("ranking_id")).isEqualTo(rankingId);
        assertThat(((Number) ranked.get("position")).intValue()).isEqualTo(3);
        Map<String, Object> top = jdbc.queryForMap(read, prefix + "top");
        assertThat(top.get("ranking_id")).isEqualTo("r".repeat(64));
        assertThat(((Number) top.get("position")).intValue()).isEqualTo(1000);
        for (String absent : List.of("unranked", "nulls")) {
            Map<String, Object> row = jdbc.queryForMap(read, prefix + absent);
            assertThat(row.get("ranking_id")).as(absent).isNull();
            assertThat(row.get("position")).as(absent).isNull();
        }
    }

    static Stream<Arguments> badRankingFields() {
        return Stream.of(
                Arguments.of("\"position\": 0", "position", "must be an integer from 1 to 1000"),
                Arguments.of("\"position\": 1001", "position", "must be an integer from 1 to 1000"),
                Arguments.of("\"position\": -3", "position", "must be an integer from 1 to 1000"),
                Arguments.of("\"position\": 1.5", "position", "must be an integer from 1 to 1000"),
                Arguments.of(
                        "\"position\": \"x\"", "position", "must be an integer from 1 to 1000"),
                Arguments.of(
                        "\"position\": \"3\"", "position", "must be an integer from 1 to 1000"),
                Arguments.of(
                        "\"position\": 4294967299",
                        "position",
                        "must be an integer from 1 to 1000"),
                Arguments.of(
                        "\"rankingId\": \"" + "r".repeat(65) + "\"",
                        "rankingId",
                        "at most 64 characters"),
                Arguments.of("\"rankingId\": \"\"", "rankingId", "must not be blank"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRankingFields")
    void aBadRankingIdOrPositionIsRefusedByNameAndNothingIsWritten(
            String field, String name, String message) throws Exception {
        String batch =
                "{\"events\": ["
                        + event("fine", "impression", "\"rankingId\": \"r-1\", \"position\": 1")
                        + ", "
                        + event("bad", "click", "\"itemId\": \"ad7\", " + field)
                        + "]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors.length()").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("events[1]." + name))
                .andExpect(jsonPath("$.errors[0].message").value(message));
        assertThat(stored("fine") + stored("bad")).as("all or nothing").isZero();
    }

    @Test
    void aPositionWithAZeroFractionIsThatInteger() throws Exception {
        api.post(
                        "/api/v1/events",
                        "{\"events\": [" + event("three", "impression", "\"position\": 3.0") + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1));
        assertThat(
                        jdbc.queryForObject(
                                "select position from event where event_id = ?",
                                Integer.class,
                                prefix + "three"))
                .isEqualTo(3);
    }

    @Test
    void theOpenApiDescriptionDocumentsTheRankingFields() throws Exception {
        JsonNode api =
                json.readTree(
                        mvc.perform(get("/v3/api-docs"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        JsonNode properties = api.at("/components/schemas/EventJson/properties");
        assertThat(properties.at("/rankingId/type").asString()).isEqualTo("string");
        assertThat(properties.at("/rankingId/description").asString())
                .contains("1 to 64 characters");
        assertThat(properties.at("/position/type").asString())
                .as("a JSON node, documented as an integer")
                .isEqualTo("integer");
        assertThat(properties.at("/position/minimum").asInt()).isEqualTo(1);
        assertThat(properties.at("/position/maximum").asInt()).isEqualTo(1000);
        assertThat(properties.at("/position/description").asString()).contains("1-based slot");
    }

    @Test
    void moreThanTenThousandEventsAreRefused() throws Exception {
        StringBuilder batch = new StringBuilder("{\"events\": [");
        for (int i = 0; i < 10_001; i++) {
            batch.append(i == 0 ? "{}" : ",{}");
        }
        api.post("/api/v1/events", batch.append("]}").toString())
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("events"))
                .andExpect(
                        jsonPath("$.errors[0].message")
                                .value("at most 10000 events per batch, got 10001"));
        api.post("/api/v1/events", "{\"events\": []}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("events"));
        api.post("/api/v1/events", "{\"events\": [{\"eventId\": \"e\", \"colour\": \"red\"}]}")
                .andExpect(status().isBadRequest());
    }

    @Test
    void unknownPropertiesAndWrongTypesAreNamedByPathTogetherWithTheOtherFieldErrors()
            throws Exception {
        String batch =
                "{\"events\": ["
                        + event("j0", "impression", "")
                        + ", "
                        + event("j1", "click", "\"colour\": \"red\"")
                        + ", "
                        + event(
                                "j2",
                                "conversion",
                                "\"conversionType\": \"x\", \"value\": \"lots\"")
                        + ", "
                        + event("j3", "purchase", "\"itemId\": {\"id\": 7}")
                        + "], \"dryRun\": true}";
        String answer =
                api.post("/api/v1/events", batch)
                        .andExpect(status().isBadRequest())
                        .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        JsonNode errors = json.readTree(answer).get("errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(
                e -> fields.add(e.get("field").asString() + ": " + e.get("message").asString()));
        assertThat(fields)
                .contains(
                        "events[1].colour: unknown property",
                        "events[2].value: must be a number",
                        "events[3].itemId: must be a string",
                        "dryRun: unknown property")
                // a value problem of the same batch, found by the event checks, in the same answer
                .anyMatch(f -> f.startsWith("events[3].type: unknown type 'purchase'"))
                .noneMatch(f -> f.startsWith("events[0]"));
        assertThat(answer)
                .doesNotContain("io.splitrank", "EventJson", "EventsRequest", "java.", "class ");
        assertThat(stored("j0") + stored("j1") + stored("j2") + stored("j3")).isZero();
    }

    @Test
    void aMisspelledTopLevelFieldIsNamedWithTheMissingOne() throws Exception {
        api.post("/api/v1/events", "{\"evnts\": [" + event("k0", "impression", "") + "]}")
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("evnts"))
                .andExpect(jsonPath("$.errors[0].message").value("unknown property"))
                .andExpect(jsonPath("$.errors[1].field").value("events"))
                .andExpect(jsonPath("$.errors[1].message").value("required: 1 to 10000 events"));
        assertThat(stored("k0")).isZero();
    }

    @Test
    void malformedJsonAfterAnUnknownPropertyNamesBoth() throws Exception {
        // an object's unknown properties are known once the object has ended: here, before the
        // JSON breaks off
        String answer =
                api.post(
                                "/api/v1/events",
                                "{\"events\": [{\"eventId\": \"e\", \"colour\": \"red\"},"
                                        + " {\"type\": ")
                        .andExpect(status().isBadRequest())
                        .andExpect(jsonPath("$.errors[0].field").value("events[0].colour"))
                        .andExpect(jsonPath("$.errors[0].message").value("unknown property"))
                        .andExpect(jsonPath("$.errors[1].field").value("body"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString();
        assertThat(answer).contains("malformed JSON").doesNotContain("`", "Source", "java.");
    }

    @Test
    void aFailingDatabaseIsA503AndNothingIsAcknowledged() throws Exception {
        jdbc.execute("alter table event_batch_pending rename to event_batch_pending_away");
        try {
            api.post("/api/v1/events", "{\"events\": [" + event("down", "impression", "") + "]}")
                    .andExpect(status().isServiceUnavailable())
                    .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        } finally {
            jdbc.execute("alter table event_batch_pending_away rename to event_batch_pending");
        }
        assertThat(stored("down")).isZero();
        api.post("/api/v1/events", "{\"events\": [" + event("down", "impression", "") + "]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1));
    }

    @Test
    void copyTextEscapesSeparatorsAndBackslashes() {
        StringBuilder sb = new StringBuilder();
        PostgresEventLog.text(sb, "a\tb\\c\nd\re");
        PostgresEventLog.text(sb.append('|'), null);
        assertThat(sb.toString()).isEqualTo("a\\tb\\\\c\\nd\\re|\\N");
    }

    @Test
    void unusualCharactersSurviveTheCopy() throws Exception {
        String batch =
                "{\"events\": [{\"eventId\": \""
                        + prefix
                        + "tab\\tnewline\\nback\\\\slash ü\", \"type\": \"impression\","
                        + " \"unitId\": \"u\", \"timestamp\": \""
                        + Instant.now()
                        + "\"}]}";
        api.post("/api/v1/events", batch)
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.accepted").value(1));
        assertThat(stored("tab\tnewline\nback\\slash ü")).isEqualTo(1);
    }
}
