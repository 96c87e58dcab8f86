package io.splitrank.app.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar splitrank.jar --simulate --key=K [--url=…] [--experiment=online-ab] [--users=N]
 * [--requests-per-user=R] [--rate=Q] [--minutes=M] [--candidates=K] [--slots=S] [--seed=X]
 * [--threads=T] [--arms=baseline,ektm,…] [--report-out=FILE]}: runs the traffic simulator against a
 * running platform and prints its progress. With {@code --arms}, the experiment is created with one
 * arm per model (the first is the control, equal weights) and started, unless it exists. With
 * {@code --report-out}, once the platform's report has caught up with every event sent, the
 * report's per-arm results are written there as Markdown beside the simulator's own tally.
 */
public final class SimulateCommand {

    /** The options this command reads beside {@link SimulationOptions}'. */
    static final Set<String> COMMAND_OPTIONS = Set.of("arms", "report-out");

    private SimulateCommand() {}

    public static void main(String[] args) throws Exception {
        // no Spring context here: keep the logging library's default (debug) from flooding the
        // console
        LoggingSystem logging = LoggingSystem.get(SimulateCommand.class.getClassLoader());
        logging.beforeInitialize();
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
        Map<String, String> named = SimulationOptions.named(args);
        SimulationOptions options = SimulationOptions.parse(args);
        PlatformClient platform = new PlatformClient(options.url(), options.apiKey());
        if (named.containsKey("arms")) {
            platform.ensureRunning(
                    options.experiment(), List.of(named.get("arms").split(",")), 1.0);
        }
        TrafficSimulator simulator = new TrafficSimulator(options);
        Instant start = Instant.now();
        ScheduledExecutorService progress =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "simulator-progress");
                            t.setDaemon(true);
                            return t;
                        });
        progress.scheduleAtFixedRate(
                () -> System.out.println(line(simulator.tally(), start)), 10, 10, TimeUnit.SECONDS);
        SimulationTally tally = simulator.run(() -> false);
        progress.shutdownNow();
        System.out.println(line(tally, start));
        tally.arms()
                .forEach(
                        (arm, a) ->
                                System.out.printf(
                                        "  %-10s units %,d requests %,d impressions %,d clicks %,d"
                                                + " conversions %s revenue %.2f%n",
                                        arm,
                                        a.units(),
                                        a.requests(),
                                        a.impressions(),
                                        a.clicks(),
                                        a.conversions(),
                                        a.revenue()));
        String out = named.get("report-out");
        if (out != null) {
            JsonNode report =
                    platform.reportCaughtUp(options.experiment(), tally, Duration.ofMinutes(10));
            String markdown =
                    SimulationMarkdown.write(
                            options,
                            tally,
                            report,
                            Duration.between(start, Instant.now()),
                            String.join(" ", args));
            Files.writeString(Path.of(out), markdown);
            System.out.println("Wrote " + out);
        }
        if (tally.errors() > 0) {
            System.out.println(tally.errors() + " requests or batches failed; see the log");
        }
    }

    private static String line(SimulationTally t, Instant start) {
        long seconds = Math.max(1, Duration.between(start, Instant.now()).toSeconds());
        long requests = t.arms().values().stream().mapToLong(SimulationTally.Arm::requests).sum();
        return String.format(
                "[%4ds] users %,d  requests %,d (%.0f/s)  events %,d  errors %,d",
                seconds, t.users(), requests, requests / (double) seconds, t.events(), t.errors());
    }

    /** The few administrative calls the command makes besides the simulator's. */
    static final class PlatformClient {
        private final URI url;
        private final String key;
        private final HttpClient http = HttpClient.newHttpClient();
        private final JsonMapper json = JsonMapper.builder().build();

        PlatformClient(URI url, String key) {
            this.url = url;
            this.key = key;
        }

        /**
         * Creates the experiment with one arm per model (equal weights) at this coverage and starts
         * it, unless it is running; true if it was created now.
         */
        boolean ensureRunning(String experiment, List<String> models, double coverage)
                throws IOException, InterruptedException {
            return ensureRunning(
                    experiment,
                    models,
                    Map.of(
                            "coverage",
                            coverage,
                            "hypothesis",
                            "the model arms raise eCPM over the baseline"));
        }

        /**
         * Creates the experiment with one arm per model (equal weights, the first the control) and
         * the document's other fields (coverage, metrics, rampPlan, …), and starts it, unless it is
         * running; true if it was created now.
         */
        boolean ensureRunning(String experiment, List<String> models, Map<String, Object> fields)
                throws IOException, InterruptedException {
            boolean created = false;
            HttpResponse<String> existing = call("GET", "/api/v1/experiments/" + experiment, null);
            if (existing.statusCode() == 404) {
                List<Map<String, Object>> arms = new ArrayList<>();
                for (int i = 0; i < models.size(); i++) {
                    arms.add(
                            Map.of(
                                    "key",
                                    i == 0 ? "control" : models.get(i),
                                    "model",
                                    models.get(i)));
                }
                Map<String, Object> document = new LinkedHashMap<>(fields);
                document.put("key", experiment);
                document.put("arms", arms);
                expect(call("POST", "/api/v1/experiments", document), 201);
                created = true;
                existing = call("GET", "/api/v1/experiments/" + experiment, null);
            }
            expect(existing, 200);
            JsonNode current = json.readTree(existing.body());
            // an experiment its ramp plan rolled back stays stopped: its report is the point
            boolean rolledBack =
                    current.path("ramp").path("state").asString().equals("rolled-back");
            if (!current.path("status").asString().equals("running") && !rolledBack) {
                expect(call("POST", "/api/v1/experiments/" + experiment + "/start", null), 200);
            }
            return created;
        }

        /** Sets the experiment's coverage (a ramp: nobody moves between arms). */
        void ramp(String experiment, double coverage) throws IOException, InterruptedException {
            expect(
                    call(
                            "PATCH",
                            "/api/v1/experiments/" + experiment,
                            Map.of("coverage", coverage)),
                    200);
        }

        /**
         * The report once its impressions and conversions of every arm equal what was sent (or at
         * the timeout).
         */
        JsonNode reportCaughtUp(String experiment, SimulationTally tally, Duration timeout)
                throws IOException, InterruptedException {
            Instant end = Instant.now().plus(timeout);
            while (true) {
                HttpResponse<String> response =
                        call("GET", "/api/v1/experiments/" + experiment + "/report", null);
                expect(response, 200);
                JsonNode report = json.readTree(response.body());
                if (SimulationMarkdown.matches(report, tally) || Instant.now().isAfter(end)) {
                    return report;
                }
                Thread.sleep(2_000);
            }
        }

        private HttpResponse<String> call(String method, String path, Object body)
                throws IOException, InterruptedException {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(url + path))
                            .header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(60));
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(
                                method,
                                HttpRequest.BodyPublishers.ofByteArray(
                                        json.writeValueAsBytes(body)));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        private static void expect(HttpResponse<String> response, int status) {
            if (response.statusCode() != status) {
                throw new IllegalStateException(
                        response.request().method()
                                + " "
                                + response.request().uri()
                                + " answered "
                                + response.statusCode()
                                + ": "
                                + response.body());
            }
        }
    }
}
