package io.splitrank.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.sun.net.httpserver.HttpServer;
import io.splitrank.app.ApiClient;
import io.splitrank.app.PlatformTest;
import io.splitrank.app.aggregate.AttributionAggregator;
import io.splitrank.app.assignment.ExposureRecorder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report stream (server-sent events), scheduled snapshots with their renderings, and the
 * webhook.
 */
@PlatformTest
class ReportStreamAndScheduleTest {

    @Autowired MockMvc mvc;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    @Autowired ReportScheduler scheduler;
    ApiClient api;
    HttpServer receiver;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** The X-Splitrank-Signature of each call to /hook, in the order of {@link #received}. */
    final BlockingQueue<String> signatures = new LinkedBlockingQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(mvc);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(
                "/hook",
                exchange -> {
                    signatures.add(
                            String.valueOf(
                                    exchange.getRequestHeaders()
                                            .getFirst("X-Splitrank-Signature")));
                    received.add(
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        receiver.createContext(
                "/down",
                exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
    }

    private SimulatedTraffic start(String key, String analysis, int units) throws Exception {
        api.post("/api/v1/experiments", ApiClient.experiment(key, "\"analysis\": " + analysis))
                .andExpect(status().isCreated());
        api.post("/api/v1/experiments/" + key + "/start").andExpect(status().isOk());
        SimulatedTraffic traffic = new SimulatedTraffic(api, json, jdbc, recorder, key, 99L);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            ids.add(key + "-u" + i);
        }
        traffic.assign(ids);
        List<SimulatedTraffic.SimEvent> events = new ArrayList<>();
        traffic.exposures.forEach(
                (unit, x) -> events.addAll(traffic.eventsOf(unit, x.exposedAt(), 6, 0)));
        traffic.send(events, false);
        aggregator.processNow();
        return traffic;
    }

    private static List<String> reportEvents(MvcResult result) {
        String body;
        try {
            body = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<String> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            if (event.startsWith("event:report\n")) {
                data.add(event.substring(event.indexOf("data:") + 5));
            }
        }
        return data;
    }

    @Test
    void theStreamSendsTheReportOnConnectAndAgainAfterNewEvents() throws Exception {
        SimulatedTraffic traffic = start("report-stream", "{}", 40);
        MvcResult result =
                mvc.perform(
                                get("/api/v1/experiments/report-stream/report/stream")
                                        .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY))
                        .andExpect(request().asyncStarted())
                        .andReturn();
        await("the first report")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> reportEvents(result).size() >= 1);
        JsonNode first = json.readTree(reportEvents(result).get(0));
        assertThat(first.get("experiment").asString()).isEqualTo("report-stream");
        double impressions =
                first.get("metrics").get(0).get("arms").get(0).get("numerator").asDouble()
                        + first.get("metrics")
                                .get(0)
                                .get("arms")
                                .get(1)
                                .get("numerator")
                                .asDouble();

        List<SimulatedTraffic.SimEvent> more = new ArrayList<>();
        for (String unit : traffic.exposures.keySet()) {
            more.add(
                    new SimulatedTraffic.SimEvent(
                            "more-" + unit,
                            "impression",
                            unit,
                            traffic.exposures.get(unit).exposedAt().plusSeconds(1),
                            "home",
                            null,
                            null));
        }
        traffic.send(more, false);
        aggregator.processNow();
        await("an updated report")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> reportEvents(result).size() >= 2);
        JsonNode second = json.readTree(reportEvents(result).get(reportEvents(result).size() - 1));
        assertThat(second.get("metrics").get(0).get("metric").asString())
                .isEqualTo("impressions_per_unit");
        assertThat(
                        second.get("metrics").get(0).get("arms").get(0).get("numerator").asDouble()
                                + second.get("metrics")
                                        .get(0)
                                        .get("arms")
                                        .get(1)
                                        .get("numerator")
                                        .asDouble())
                .isEqualTo(impressions + traffic.exposures.size());

        mvc.perform(get("/api/v1/experiments/report-stream/report/stream"))
                .andExpect(status().isUnauthorized());
        api.get("/api/v1/experiments/no-such-stream/report/stream")
                .andExpect(status().isNotFound());
    }

    @Test
    void aDueCronWritesOneSnapshotWithCsvAndHtmlAndCallsTheWebhook() throws Exception {
        String key = "report-scheduled";
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        start(key, "{\"reportCron\": \"0 0 0 1 1 *\", \"webhookUrl\": \"" + hook + "\"}", 60);

        Instant now = Instant.now();
        scheduler.tick(now);
        Instant next =
                jdbc.queryForObject(
                                "select s.next_run_at from report_schedule s join experiment e on"
                                        + " e.id = s.experiment_id where e.key = ?",
                                java.sql.Timestamp.class,
                                key)
                        .toInstant();
        assertThat(next).as("the next 1 January, 00:00 UTC").isAfter(now);
        assertThat(scheduler.check(key, now)).as("not due yet").isFalse();
        assertThat(scheduler.check(key, next.plusSeconds(1))).as("due").isTrue();
        assertThat(scheduler.check(key, next.plusSeconds(2))).as("written once").isFalse();

        JsonNode list =
                json.readTree(
                                api.get("/api/v1/experiments/" + key + "/reports")
                                        .andExpect(status().isOk())
                                        .andReturn()
                                        .getResponse()
                                        .getContentAsString())
                        .get("reports");
        assertThat(list).hasSize(1);
        long id = list.get(0).get("id").asLong();
        assertThat(list.get(0).get("trigger").asString()).isEqualTo("schedule");
        assertThat(list.get(0).get("phase").asInt()).isEqualTo(1);
        assertThat(list.get(0).get("decision").get("outcome").asString()).isNotBlank();

        String base = "/api/v1/experiments/" + key + "/reports/" + id;
        JsonNode snapshot =
                json.readTree(
                        api.get(base)
                                .andExpect(status().isOk())
                                .andExpect(content().contentTypeCompatibleWith("application/json"))
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        assertThat(snapshot.get("experiment").asString()).isEqualTo(key);
        assertThat(snapshot.get("metrics").size()).isGreaterThan(5);
        String csv =
                api.get(base + ".csv")
                        .andExpect(status().isOk())
                        .andExpect(content().contentTypeCompatibleWith("text/csv"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(StandardCharsets.UTF_8);
        assertThat(csv).startsWith(ReportCsv.HEADER + "\r\n").contains(key + ",1,,ecpm,ektm,");
        assertThat(csv.split("\r\n")).hasSize(1 + 2 * snapshot.get("metrics").size());
        String html =
                api.get(base + ".html")
                        .andExpect(status().isOk())
                        .andExpect(content().contentTypeCompatibleWith("text/html"))
                        .andReturn()
                        .getResponse()
                        .getContentAsString(StandardCharsets.UTF_8);
        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<svg", "<table", "ecpm", "Decision")
                .doesNotContain("<script", "src=", "href=", "NaN");
        api.get(base + "0.csv").andExpect(status().isNotFound());

        String call = received.poll(20, TimeUnit.SECONDS);
        assertThat(call).as("the webhook was called").isNotNull();
        JsonNode summary = json.readTree(call);
        assertThat(summary.get("experiment").asString()).isEqualTo(key);
        assertThat(summary.get("reportId").asLong()).isEqualTo(id);
        assertThat(summary.get("decision").get("outcome").asString()).isNotBlank();
        assertThat(summary.get("primary").get("metric").asString()).isEqualTo("ecpm");
        assertThat(summary.get("links").get("html").asString()).isEqualTo(base + ".html");

        // what a receiver does: HMAC-SHA256 of the body it got, keyed with the experiment's secret
        JsonNode secret =
                json.readTree(
                        api.get("/api/v1/experiments/" + key + "/webhook-secret")
                                .andExpect(status().isOk())
                                .andReturn()
                                .getResponse()
                                .getContentAsString());
        assertThat(secret.get("header").asString()).isEqualTo("X-Splitrank-Signature");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(
                new SecretKeySpec(
                        secret.get("secret").asString().getBytes(StandardCharsets.UTF_8),
                        "HmacSHA256"));
        assertThat(signatures.poll())
                .isEqualTo(
                        "sha256="
                                + HexFormat.of()
                                        .formatHex(
                                                mac.doFinal(
                                                        call.getBytes(StandardCharsets.UTF_8))));

        api.post("/api/v1/experiments/" + key + "/reports").andExpect(status().isCreated());
        assertThat(
                        json.readTree(
                                        api.get("/api/v1/experiments/" + key + "/reports")
                                                .andReturn()
                                                .getResponse()
                                                .getContentAsString())
                                .get("reports"))
                .hasSize(2);
    }

    @Test
    void aFailingWebhookNeverBreaksTheSnapshot() throws Exception {
        String key = "report-hook-down";
        start(
                key,
                "{\"webhookUrl\": \"http://127.0.0.1:"
                        + receiver.getAddress().getPort()
                        + "/down\"}",
                10);
        api.post("/api/v1/experiments/" + key + "/reports").andExpect(status().isCreated());
        assertThat(
                        json.readTree(
                                        api.get("/api/v1/experiments/" + key + "/reports")
                                                .andReturn()
                                                .getResponse()
                                                .getContentAsString())
                                .get("reports"))
                .hasSize(1);
    }
}
