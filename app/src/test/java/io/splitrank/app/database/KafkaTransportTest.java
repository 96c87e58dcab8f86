package io.splitrank.app.database;

import static io.splitrank.app.database.CrashRecoveryTest.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.app.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Kafka event transport ({@code splitrank.events.transport=kafka}) on a real in-process KRaft
 * broker started by the test, and the application on its real (embedded) PostgreSQL: events posted
 * end up stored once and in the report, a resend is not stored twice, the broker down answers 503
 * with {@code Retry-After}, and under faults (a consumer stopped mid-way, the broker restarted
 * while clients send with retries) the stored events are exactly the acknowledged ones.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "splitrank.events.transport=kafka",
            "splitrank.events.kafka.partitions=4",
            "splitrank.events.kafka.consumers=2",
            "splitrank.events.kafka.ack-timeout=3s",
            "splitrank.events.kafka.max-poll-records=500"
        })
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaTransportTest {

    private static final Logger log = LoggerFactory.getLogger(KafkaTransportTest.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KafkaTestBroker BROKER = KafkaTestBroker.start();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired ConcurrentMessageListenerContainer<String, byte[]> eventWriterContainer;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("splitrank.events.kafka.bootstrap-servers", BROKER::bootstrapServers);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BROKER.close();
    }

    @Test
    @Order(1)
    void postedEventsAreStoredOnceAndReportedAndAResendIsNotStoredTwice() throws Exception {
        String experiment = "kafka-once";
        List<EventClients.Unit> units = createExperimentAndAssign(experiment, "k1-", 6);
        // after the exposures: an event counts for the phases the unit was exposed in before it
        String now = Instant.now().toString();
        StringBuilder body = new StringBuilder("{\"events\": [");
        long impressions = 0;
        long clicks = 0;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            boolean click = i % 3 == 2;
            String id = "k1-e" + i;
            ids.add(id);
            if (click) {
                clicks++;
            } else {
                impressions++;
            }
            body.append(i == 0 ? "" : ",")
                    .append(
                            """
                            {"eventId": "%s", "type": "%s", "unitId": "%s", "timestamp": "%s",\
                             "scenario": "home", "itemId": "a1", "position": 1}"""
                                    .formatted(
                                            id,
                                            click ? "click" : "impression",
                                            units.get(i % units.size()).id(),
                                            now));
        }
        // one event repeated within the batch: a duplicate known at once
        body.append(",{\"eventId\": \"k1-e0\", \"type\": \"impression\", \"unitId\": \"")
                .append(units.get(0).id())
                .append("\", \"timestamp\": \"")
                .append(now)
                .append("\"}]}");

        HttpResponse<String> first = post("/api/v1/events", body.toString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(first.body());
        assertThat(answer.path("accepted").asInt()).isEqualTo(30);
        assertThat(answer.path("duplicates").asInt()).isEqualTo(1);
        awaitCondition(() -> stored(ids) == 30, Duration.ofSeconds(60), "the events stored");

        // a resend (a client that missed the answer) is produced again, and not stored twice
        HttpResponse<String> resend = post("/api/v1/events", body.toString());
        assertThat(resend.statusCode()).as(resend.body()).isEqualTo(200);
        long produced = endOffsets();
        awaitCondition(
                () -> consumedOffsets() >= produced, Duration.ofSeconds(60), "the resend consumed");
        assertThat(
                        jdbc.queryForObject(
                                "select count(*) from event where event_id like 'k1-%'",
                                Long.class))
                .isEqualTo(30);

        long expectedImpressions = impressions;
        long expectedClicks = clicks;
        awaitCondition(
                () -> {
                    long[] totals = reportTotals(experiment);
                    return totals[0] == expectedImpressions && totals[1] == expectedClicks;
                },
                Duration.ofSeconds(60),
                "the report counting each event once");
    }

    @Test
    @Order(2)
    void storedEventsAreExactlyTheAcknowledgedThroughAStoppedConsumerAndABrokerRestart()
            throws Exception {
        String experiment = "kafka-faults";
        List<EventClients.Unit> units = createExperimentAndAssign(experiment, "kf-", 60);
        try (EventClients clients =
                new EventClients(
                        URI.create("http://localhost:" + port), ApiClient.ADMIN_KEY, units, 20)) {
            clients.start(4);
            awaitBatches(clients, 30);

            // one of the two consumers stops mid-way: the other takes its partitions over,
            // from the offsets stored with the rows
            KafkaMessageListenerContainer<String, byte[]> consumer =
                    eventWriterContainer.getContainers().get(0);
            consumer.stop();
            awaitBatches(clients, clients.batches() + 30);

            // the other is killed mid-batch, more than once: its database session dies inside the
            // transaction of rows and offsets, which is rolled back, and the poll is written again
            int killed = killWritersMidBatch(Duration.ofSeconds(30), 3);
            assertThat(killed).as("writer sessions killed inside a transaction").isPositive();
            awaitBatches(clients, clients.batches() + 30);

            // the broker is restarted while the clients send
            BROKER.stopBroker();
            Thread.sleep(2_000);
            BROKER.startBroker();
            awaitBatches(clients, clients.batches() + 30);

            // and the stopped consumer comes back, seeking to the stored offsets
            consumer.start();
            awaitBatches(clients, clients.batches() + 30);

            clients.stop(Duration.ofSeconds(60));
            assertThat(clients.allStopped()).as(clients.summary()).isTrue();
            assertThat(clients.refusals()).isEmpty();
            assertThat(clients.failedAttempts())
                    .as("the faults were felt: %s", clients.summary())
                    .isPositive();

            awaitCondition(
                    () -> storedFromClients() >= clients.acknowledged().size(),
                    Duration.ofSeconds(90),
                    "the acknowledged events written: " + clients.summary());
            // whatever was produced (acknowledged or not) has been consumed
            long produced = endOffsets();
            awaitCondition(
                    () -> consumedOffsets() >= produced,
                    Duration.ofSeconds(90),
                    "the topic consumed to its end");
            List<String> stored =
                    jdbc.queryForList(
                            "select event_id from event where event_id like 'c%-%'", String.class);
            assertThat(stored).as("no event stored twice").doesNotHaveDuplicates();
            assertThat(new HashSet<>(stored))
                    .as("stored events = acknowledged events; " + clients.summary())
                    .isEqualTo(clients.acknowledged());

            Map<String, EventClients.Tally> sent = clients.perArm();
            long impressions =
                    sent.values().stream().mapToLong(EventClients.Tally::impressions).sum();
            long clicks = sent.values().stream().mapToLong(EventClients.Tally::clicks).sum();
            awaitCondition(
                    () -> {
                        long[] totals = reportTotals(experiment);
                        return totals[0] == impressions && totals[1] == clicks;
                    },
                    Duration.ofSeconds(60),
                    "the report counting each acknowledged event once");
            log.info("Kafka fault test: {}", clients.summary());
        }
    }

    @Test
    @Order(3)
    void theBrokerDownAnswers503WithRetryAfter() throws Exception {
        BROKER.stopBroker();
        try {
            String body =
                    """
                    {"events": [{"eventId": "k3-%s", "type": "impression", "unitId": "u",\
                     "timestamp": "%s"}]}"""
                            .formatted(UUID.randomUUID(), Instant.now().minusSeconds(5));
            long started = System.nanoTime();
            HttpResponse<String> response = post("/api/v1/events", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(
                            type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(Duration.ofSeconds(15));
        } finally {
            BROKER.startBroker();
        }
    }

    /**
     * Terminates the database sessions of event writers caught inside their transaction after the
     * rows were copied (before the commit), until {@code wanted} were or the time is up.
     */
    private int killWritersMidBatch(Duration within, int wanted) throws InterruptedException {
        int killed = 0;
        long deadline = System.nanoTime() + within.toNanos();
        while (killed < wanted && System.nanoTime() < deadline) {
            Integer n =
                    jdbc.queryForObject(
                            "select coalesce(sum(case when pg_terminate_backend(pid) then 1 else 0 end), 0)"
                                    + " from pg_stat_activity where pid <> pg_backend_pid()"
                                    + " and state in ('active', 'idle in transaction')"
                                    // statements after the COPY of the rows
                                    + " and (query ilike 'copy event %'"
                                    + " or query ilike 'insert into event_batch_pending%'"
                                    + " or query ilike 'update event_consumer_offset%')",
                            Integer.class);
            killed += n == null ? 0 : n;
            Thread.sleep(2);
        }
        log.info("Killed {} event writer sessions mid-batch", killed);
        return killed;
    }

    private long stored(List<String> ids) {
        return jdbc.queryForObject(
                "select count(*) from event where event_id = any(?::varchar[])",
                Long.class,
                (Object) ids.toArray(String[]::new));
    }

    /** Events stored from the clients ({@code c<client>-<n>}). */
    private long storedFromClients() {
        return jdbc.queryForObject(
                "select count(distinct event_id) from event where event_id like 'c%-%'",
                Long.class);
    }

    /** The sum of the stored next offsets over the partitions. */
    private long consumedOffsets() {
        Long sum =
                jdbc.queryForObject(
                        "select coalesce(sum(next_offset), 0) from event_consumer_offset",
                        Long.class);
        return sum == null ? 0 : sum;
    }

    /** The sum of the topic's end offsets over the partitions. */
    private long endOffsets() {
        Map<String, Object> config =
                Map.of(
                        "bootstrap.servers", BROKER.bootstrapServers(),
                        "key.deserializer",
                                "org.apache.kafka.common.serialization.StringDeserializer",
                        "value.deserializer",
                                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (Consumer<String, byte[]> consumer =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(config)) {
            var partitions =
                    consumer.partitionsFor("splitrank-events").stream()
                            .map(
                                    p ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    p.topic(), p.partition()))
                            .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private void awaitBatches(EventClients clients, long batches) throws InterruptedException {
        awaitCondition(
                () -> clients.batches() >= batches,
                Duration.ofSeconds(90),
                "acknowledged batches: " + clients.summary());
    }

    private HttpResponse<String> post(String path, String body)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Impressions and clicks of the experiment's ctr, over its arms. */
    private long[] reportTotals(String experiment) {
        try {
            JsonNode report = get("/api/v1/experiments/" + experiment + "/report");
            long[] totals = new long[2];
            for (JsonNode metric : report.path("metrics")) {
                if (metric.path("metric").asString().equals("ctr")) {
                    for (JsonNode arm : metric.path("arms")) {
                        totals[0] += (long) arm.path("denominator").asDouble();
                        totals[1] += (long) arm.path("numerator").asDouble();
                    }
                }
            }
            return totals;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<EventClients.Unit> createExperimentAndAssign(
            String experiment, String prefix, int count) throws Exception {
        HttpResponse<String> created =
                post(
                        "/api/v1/experiments",
                        """
                        {"key": "%s", "coverage": 1.0, "arms": [
                          {"key": "control", "model": "baseline", "weight": 0.5},
                          {"key": "ektm", "model": "ektm", "weight": 0.5}]}"""
                                .formatted(experiment));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> started = post("/api/v1/experiments/" + experiment + "/start", "");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        StringBuilder body =
                new StringBuilder("{\"experiments\": [\"" + experiment + "\"], \"units\": [");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"attributes\": {\"userId\": \"")
                    .append(prefix + i)
                    .append("\"}}");
        }
        body.append("]}");
        HttpResponse<String> assigned = post("/api/v1/assign/batch", body.toString());
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(200);
        JsonNode results = JSON.readTree(assigned.body()).path("results");
        List<EventClients.Unit> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode assignment = results.get(i).path("assignments").get(0);
            assertThat(assignment.path("inExperiment").asBoolean())
                    .as(assignment.toString())
                    .isTrue();
            units.add(new EventClients.Unit(prefix + i, assignment.path("arm").asString()));
        }
        // the exposures reach the report before any event
        awaitCondition(
                () -> reportUnits(experiment) == count,
                Duration.ofSeconds(60),
                "exposed units of " + experiment);
        return units;
    }

    private long reportUnits(String experiment) {
        try {
            JsonNode report = get("/api/v1/experiments/" + experiment + "/report");
            long units = 0;
            for (JsonNode metric : report.path("metrics")) {
                if (metric.path("metric").asString().equals("ctr")) {
                    for (JsonNode arm : metric.path("arms")) {
                        units += arm.path("units").asLong();
                    }
                }
            }
            return units;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
