package io.splitrank.app.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.splitrank.app.ApiClient;
import io.splitrank.app.aggregate.AttributionAggregator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GrowthBook's official SDK, unchanged, pointed at the running application on a real port: its
 * features payload from {@code GET /api/features/{clientKey}}, its streaming updates from {@code
 * GET /sub/{clientKey}}, and its tracking callback posting to {@code POST /api/v1/exposures}. For
 * 1,200 users and seven experiments (hash versions 1 and 2, partial coverage, a custom seed in its
 * second phase, two experiments sharing a layer, a targeting condition, a numeric hash attribute),
 * the SDK's feature value and {@code inExperiment} equal {@code /assign}'s answer; the exposures
 * its tracking callback posted are all accepted, and the report counts exactly those units per arm.
 *
 * <p>The SDK is GrowthBook's JavaScript SDK ({@code @growthbook/growthbook}, pinned with its
 * lockfile in src/test/js/growthbook-sdk and installed with {@code npm ci} into
 * target/growthbook-sdk on first use), run by Node.js: GrowthBook's Java SDK is published to
 * JitPack only, and the JVM artifacts of its Kotlin SDK ({@code io.growthbook.sdk:GrowthBook}) are
 * not on Maven Central, so neither can be had from the registries this build uses. The JavaScript
 * SDK is GrowthBook's reference implementation, which the others follow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class GrowthBookSdkTest {

    private static final Path SOURCES = Path.of("src/test/js/growthbook-sdk");
    private static final Path WORK = Path.of("target/growthbook-sdk");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int USERS = 1200;

    /** The experiments, with the arms in order. */
    private static final Map<String, String> EXPERIMENTS = new LinkedHashMap<>();

    static {
        String twoArms =
                "\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.5},"
                        + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.5}]";
        EXPERIMENTS.put(
                "gbsdk-v1",
                "\"hashVersion\": 1, \"arms\": [{\"key\": \"control\", \"model\": \"baseline\","
                        + " \"weight\": 0.34}, {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\":"
                        + " 0.33}, {\"key\": \"htl\", \"model\": \"htlnet\", \"weight\": 0.33}]");
        EXPERIMENTS.put("gbsdk-coverage", "\"hashVersion\": 2, \"coverage\": 0.6, " + twoArms);
        EXPERIMENTS.put("gbsdk-seed", "\"seed\": \"custom-seed-7\", " + twoArms);
        EXPERIMENTS.put(
                "gbsdk-layer-a",
                "\"layer\": \"gbsdk-layer\", \"layerRange\": [0, 0.4], " + twoArms);
        EXPERIMENTS.put(
                "gbsdk-layer-b",
                "\"layer\": \"gbsdk-layer\", \"layerRange\": [0.4, 1], \"hashVersion\": 1, "
                        + twoArms);
        EXPERIMENTS.put(
                "gbsdk-targeted",
                "\"coverage\": 0.9, \"condition\": {\"country\": {\"$in\": [\"DE\", \"FR\"]},"
                        + " \"age\": {\"$gte\": 18}}, "
                        + twoArms);
        EXPERIMENTS.put("gbsdk-account", "\"hashAttribute\": \"accountId\", " + twoArms);
    }

    @LocalServerPort int port;
    @Autowired JsonMapper json;
    @Autowired JdbcTemplate jdbc;
    @Autowired ExposureRecorder recorder;
    @Autowired AttributionAggregator aggregator;
    @Autowired FeaturesController features;

    /** Installs the pinned SDK once (npm ci), unless target/ already has this lockfile's. */
    @BeforeAll
    static void installSdk() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "check.mjs")) {
            Files.copy(
                    SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path stamp = WORK.resolve("node_modules/.installed-lock.json");
        String lock = Files.readString(WORK.resolve("package-lock.json"));
        if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return;
        }
        Path log = WORK.resolve("npm-ci.log");
        Process npm =
                new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                        .directory(WORK.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            fail("npm ci of GrowthBook's SDK failed:\n" + Files.readString(log));
        }
        Files.writeString(stamp, lock);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private JsonNode call(String method, String path, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder r =
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Authorization", "Bearer " + ApiClient.ADMIN_KEY)
                        .timeout(Duration.ofSeconds(60));
        if (body == null) {
            r.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            r.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        if (method.equals("PATCH")) {
            r.setHeader("Content-Type", "application/merge-patch+json");
        }
        HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("%s %s: %s", method, path, response.body())
                .isEqualTo(expected);
        return response.body().isEmpty() ? null : json.readTree(response.body());
    }

    private void startExperiment(String key, String members) throws Exception {
        call("POST", "/api/v1/experiments", "{\"key\": \"" + key + "\", " + members + "}", 201);
        call("POST", "/api/v1/experiments/" + key + "/start", null, 200);
    }

    /** The users' attributes; every 50th has no userId (the usual hash attribute). */
    private static List<Map<String, Object>> users() {
        String[] countries = {"DE", "FR", "US", "GB", "IT"};
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            if (i % 50 != 49) {
                attributes.put("userId", "gb-user-" + i);
            }
            attributes.put("accountId", 70_000 + i * 7);
            attributes.put("country", countries[i % countries.length]);
            attributes.put("age", 12 + (i * 13) % 60);
            users.add(attributes);
        }
        return users;
    }

    @Test
    void theSdkAssignsAsAssignDoesAndItsTrackedExposuresAreWhatTheReportCounts() throws Exception {
        for (Map.Entry<String, String> e : EXPERIMENTS.entrySet()) {
            startExperiment(e.getKey(), e.getValue());
        }
        // a custom seed in its second phase: hashed with custom-seed-7:2
        call(
                "PATCH",
                "/api/v1/experiments/gbsdk-seed",
                "{\"arms\": [{\"key\": \"control\", \"model\": \"baseline\", \"weight\": 0.3},"
                        + " {\"key\": \"ektm\", \"model\": \"ektm\", \"weight\": 0.7}]}",
                200);
        String clientKey =
                call(
                                "POST",
                                "/api/v1/keys",
                                "{\"name\": \"gbsdk-service\", \"scope\": \"sdk\"}",
                                201)
                        .get("secret")
                        .asString();

        List<Map<String, Object>> users = users();
        Path usersFile = WORK.resolve("users.json");
        Path outFile = WORK.resolve("out.json");
        Files.writeString(usersFile, json.writeValueAsString(users));
        Files.deleteIfExists(outFile);
        Path stderr = WORK.resolve("check.err");
        Process node =
                new ProcessBuilder(
                                "node",
                                "check.mjs",
                                url(""),
                                clientKey,
                                usersFile.getFileName().toString(),
                                String.join(",", EXPERIMENTS.keySet()),
                                outFile.getFileName().toString())
                        .directory(WORK.toFile())
                        .redirectError(stderr.toFile())
                        .start();
        try (BufferedReader out =
                        new BufferedReader(
                                new InputStreamReader(
                                        node.getInputStream(), StandardCharsets.UTF_8));
                Writer commands = node.outputWriter(StandardCharsets.UTF_8)) {
            String line = readLine(out, node, stderr, Duration.ofMinutes(3));
            assertThat(line).as("the SDK run (stderr: %s)", stderr).isEqualTo("EVALUATED");
            JsonNode sdk = json.readTree(Files.readString(outFile));

            // every exposure the tracking callback saw was accepted, once
            JsonNode tracked = sdk.get("tracked");
            assertThat(sdk.get("rejected")).isEmpty();
            assertThat(sdk.get("duplicates").asInt()).isZero();
            assertThat(sdk.get("accepted").asInt()).isEqualTo(tracked.size());
            Map<String, Map<String, Long>> trackedPerArm = new HashMap<>();
            for (JsonNode x : tracked) {
                trackedPerArm
                        .computeIfAbsent(x.get("experiment").asString(), k -> new HashMap<>())
                        .merge(x.get("arm").asString(), 1L, Long::sum);
            }

            // the report counts exactly the tracked units, per arm
            aggregator.processNow();
            for (String key : EXPERIMENTS.keySet()) {
                JsonNode report = call("GET", "/api/v1/experiments/" + key + "/report", null, 200);
                Map<String, Long> expected = trackedPerArm.getOrDefault(key, Map.of());
                assertThat(expected).as("units of %s tracked by the SDK", key).isNotEmpty();
                for (JsonNode arm : report.get("arms")) {
                    assertThat(arm.get("units").asLong())
                            .as("%s arm %s units", key, arm.get("key").asString())
                            .isEqualTo(expected.getOrDefault(arm.get("key").asString(), 0L));
                }
                assertThat(exposureRows(key))
                        .isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
            }

            // the SDK's answer is /assign's, user by user
            Map<String, Integer> inCount = new HashMap<>();
            JsonNode results = sdk.get("results");
            assertThat(results).hasSize(USERS);
            for (int from = 0; from < USERS; from += 400) {
                List<Map<String, Object>> units = new ArrayList<>();
                for (Map<String, Object> attributes : users.subList(from, from + 400)) {
                    units.add(Map.of("attributes", attributes));
                }
                JsonNode answers =
                        call(
                                        "POST",
                                        "/api/v1/assign/batch",
                                        json.writeValueAsString(
                                                Map.of(
                                                        "units",
                                                        units,
                                                        "experiments",
                                                        List.copyOf(EXPERIMENTS.keySet()))),
                                        200)
                                .get("results");
                for (int i = 0; i < 400; i++) {
                    JsonNode mine = results.get(from + i);
                    for (JsonNode a : answers.get(i).get("assignments")) {
                        String key = a.get("experiment").asString();
                        boolean in = a.get("inExperiment").asBoolean();
                        JsonNode got = mine.get(key);
                        assertThat(got.get("inExperiment").asBoolean())
                                .as("user %d in %s (%s)", from + i, key, a)
                                .isEqualTo(in);
                        assertThat(got.get("value").asString())
                                .as("user %d in %s (%s)", from + i, key, a)
                                .isEqualTo(in ? a.get("arm").asString() : "control");
                        if (in) {
                            inCount.merge(key, 1, Integer::sum);
                        }
                    }
                }
            }
            // each experiment put a plausible share of the users in, so each rule was exercised
            assertThat(inCount.get("gbsdk-v1")).isGreaterThan(1100);
            assertThat(inCount.get("gbsdk-coverage")).isBetween(600, 820);
            assertThat(inCount.get("gbsdk-layer-a") + inCount.get("gbsdk-layer-b"))
                    .isEqualTo(inCount.get("gbsdk-v1"));
            assertThat(inCount.get("gbsdk-layer-a")).isBetween(380, 560);
            assertThat(inCount.get("gbsdk-targeted")).isBetween(300, 500);
            assertThat(inCount.get("gbsdk-account")).isEqualTo(USERS);
            // /assign's own first exposures are the ones the SDK sent: nothing new was recorded
            recorder.flush();
            for (String key : EXPERIMENTS.keySet()) {
                assertThat(exposureRows(key)).isEqualTo((long) inCount.get(key));
            }

            // streaming: a new experiment reaches the SDK over /sub/{clientKey}, without a fetch
            assertThat(features.subscribers()).isPositive();
            startExperiment(
                    "gbsdk-streamed",
                    "\"arms\": [{\"key\": \"base\", \"model\":"
                            + " \"baseline\"}, {\"key\": \"deep\", \"model\": \"ektm\"}]");
            commands.write("WAIT gbsdk-streamed\n");
            commands.flush();
            assertThat(readLine(out, node, stderr, Duration.ofSeconds(60)))
                    .isEqualTo("STREAMED gbsdk-streamed base");
            commands.write("EXIT\n");
            commands.flush();
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(node.exitValue()).isZero();
        } finally {
            node.destroyForcibly();
        }
    }

    private long exposureRows(String key) {
        return jdbc.queryForObject(
                "select count(*) from exposure x join experiment e on e.id = x.experiment_id"
                        + " where e.key = ?",
                Long.class,
                key);
    }

    /** The script's next line on stdout; fails with its stderr when it ends or takes too long. */
    private static String readLine(BufferedReader out, Process node, Path stderr, Duration timeout)
            throws Exception {
        CompletableFuture<String> line =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return out.readLine();
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        try {
            String got = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (got == null) {
                node.waitFor(5, TimeUnit.SECONDS);
                fail("the SDK script ended: " + Files.readString(stderr));
            }
            return got;
        } catch (TimeoutException e) {
            fail("no answer from the SDK script in " + timeout + ": " + Files.readString(stderr));
            return null;
        }
    }
}
