package io.splitrank.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.splitrank.app.ApiClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live marketplace against the whole platform on a real port: the demo mode's experiment ramps
 * and receives traffic through rank, and the simulator's own tally of what it sent equals the
 * report's numerators and denominators arm by arm.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "splitrank.demo.enabled=true",
            "splitrank.models.reference-arms=true",
            "splitrank.demo.ramp-step=1s",
            "splitrank.demo.rate=40"
        })
@ActiveProfiles("test")
class LiveSimulationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort int port;

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void theDemoExperimentRampsToFullCoverageAndEveryArmServesTrafficThroughRank() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> {
                            JsonNode experiment =
                                    get("/api/v1/experiments/" + DemoTraffic.EXPERIMENT);
                            assertThat(experiment.path("status").asString()).isEqualTo("running");
                            assertThat(experiment.path("coverage").asDouble()).isEqualTo(1.0);
                            JsonNode report =
                                    get(
                                            "/api/v1/experiments/"
                                                    + DemoTraffic.EXPERIMENT
                                                    + "/report");
                            assertThat(report.path("arms")).hasSize(4);
                            for (JsonNode arm : metric(report, "ctr")) {
                                assertThat(arm.path("units").asLong())
                                        .as(arm.path("key").asString())
                                        .isPositive();
                                assertThat(arm.path("denominator").asDouble())
                                        .as("impressions of " + arm.path("key"))
                                        .isPositive();
                            }
                        });
    }

    @Test
    void theSimulatorsTallyEqualsTheReportsNumeratorsAndDenominators() throws Exception {
        URI url = URI.create("http://localhost:" + port);
        SimulateCommand.PlatformClient platform =
                new SimulateCommand.PlatformClient(url, ApiClient.ADMIN_KEY);
        platform.ensureRunning("sim-tally", List.of("baseline", "oracle"), 0.8);
        SimulationOptions options =
                new SimulationOptions(
                        url, ApiClient.ADMIN_KEY, "sim-tally", 500, 2, 0, null, 20, 4, 7, 2);
        SimulationTally tally = new TrafficSimulator(options).run(() -> false);

        assertThat(tally.errors()).isZero();
        assertThat(tally.users()).isEqualTo(500);
        assertThat(tally.arms()).containsKeys("control", "oracle", SimulationTally.OUTSIDE);
        long conversions =
                tally.arms().values().stream().mapToLong(SimulationTally.Arm::allConversions).sum();
        assertThat(conversions)
                .as("the run must convert for the revenue check to mean something")
                .isPositive();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            JsonNode report = get("/api/v1/experiments/sim-tally/report");
                            for (Map.Entry<String, SimulationTally.Arm> e :
                                    tally.arms().entrySet()) {
                                if (e.getKey().equals(SimulationTally.OUTSIDE)) {
                                    continue;
                                }
                                SimulationTally.Arm sent = e.getValue();
                                JsonNode ctr = arm(report, "ctr", e.getKey());
                                assertThat(ctr.path("units").asLong()).isEqualTo(sent.units());
                                assertThat(ctr.path("denominator").asDouble())
                                        .isEqualTo(sent.impressions());
                                assertThat(ctr.path("numerator").asDouble())
                                        .isEqualTo(sent.clicks());
                                assertThat(
                                                arm(report, "ecpm", e.getKey())
                                                        .path("numerator")
                                                        .asDouble())
                                        .isCloseTo(
                                                sent.revenue(),
                                                within(1e-9 * (1 + sent.revenue())));
                                assertThat(
                                                arm(report, "cvr", e.getKey())
                                                        .path("numerator")
                                                        .asDouble())
                                        .isEqualTo(sent.allConversions());
                                for (Map.Entry<String, Long> type : sent.conversions().entrySet()) {
                                    assertThat(
                                                    arm(report, "cvr:" + type.getKey(), e.getKey())
                                                            .path("numerator")
                                                            .asDouble())
                                            .as("conversions of " + type.getKey())
                                            .isEqualTo((double) type.getValue());
                                }
                            }
                            assertThat(SimulationMarkdown.matches(report, tally)).isTrue();
                        });
    }

    private static JsonNode metric(JsonNode report, String id) {
        for (JsonNode m : report.path("metrics")) {
            if (m.path("metric").asString().equals(id)) {
                return m.path("arms");
            }
        }
        throw new AssertionError("no metric " + id + " in " + report);
    }

    private static JsonNode arm(JsonNode report, String metric, String arm) {
        for (JsonNode a : metric(report, metric)) {
            if (a.path("key").asString().equals(arm)) {
                return a;
            }
        }
        throw new AssertionError("no arm " + arm + " in metric " + metric);
    }
}
