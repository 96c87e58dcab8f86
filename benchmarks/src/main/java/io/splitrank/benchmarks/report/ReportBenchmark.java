package io.splitrank.benchmarks.report;

import io.splitrank.benchmarks.BenchmarkArgs;
import io.splitrank.benchmarks.SyntheticExperimentData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The full report ({@code GET /api/v1/experiments/{key}/report}) for a large experiment phase,
 * against a running app on 127.0.0.1 and its PostgreSQL. Generates {@code --units} exposed units
 * (two arms, exposed over 5 days) and {@code --events} events over 9 days with SQL, as the ingest
 * benchmark's aggregate-query part does, attributes them in one aggregator pass, then times the
 * report: the first call (which also computes the daily cumulative series, then cached for {@code
 * splitrank.reports.timeseries-refresh}) and the median of {@code --runs} further calls, for all
 * scenarios, one scenario, and with capping and CUPED.
 */
public final class ReportBenchmark {

    private final Map<String, String> args;
    private final String api;
    private final String key;
    private final String jdbcUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private ReportBenchmark(Map<String, String> args) {
        this.args = args;
        this.api = args.getOrDefault("api", "http://127.0.0.1:8080");
        this.key = args.getOrDefault("key", "bench-admin-key");
        this.jdbcUrl = args.getOrDefault("jdbc", "jdbc:postgresql://127.0.0.1:5432/postgres");
        if (!api.startsWith("http://127.0.0.1:")
                || !jdbcUrl.startsWith("jdbc:postgresql://127.0.0.1:")) {
            throw new IllegalArgumentException("the benchmark only talks to 127.0.0.1");
        }
    }

    public static void main(String[] argv) throws Exception {
        new ReportBenchmark(BenchmarkArgs.parse(argv)).run();
    }

    private void run() throws Exception {
        int units = Integer.parseInt(args.getOrDefault("units", "1000000"));
        long events = Long.parseLong(args.getOrDefault("events", "10000000"));
        int runs = Integer.parseInt(args.getOrDefault("runs", "10"));
        String experiment = "bench-report-" + runId;
        call(
                "POST",
                "/api/v1/experiments",
                "{\"key\": \""
                        + experiment
                        + "\", \"metrics\": {\"primary\": \"ecpm\","
                        + " \"secondary\": [\"ctr\", \"cvr:purchase\"], \"guardrails\": [\"ctcvr\"]}, \"arms\": ["
                        + "{\"key\": \"control\", \"model\": \"baseline\"}, {\"key\": \"ektm\", \"model\": \"ektm\"}]}");
        call("POST", "/api/v1/experiments/" + experiment + "/start", null);
        long id;
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "select id from experiment where key = '" + experiment + "'")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (Connection c = connect()) {
            SyntheticExperimentData.generate(c, id, "rb-" + runId, -3, units, events, "REPORT");
        }
        long t = System.nanoTime();
        call("POST", "/api/v1/admin/aggregates/process", null);
        System.out.printf(
                Locale.ROOT, "attributed in one pass: %.0f s%n", (System.nanoTime() - t) / 1e9);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("analyze agg_unit");
            s.execute("analyze agg_unit_day");
        }
        // the dashboard's view: the report computed afresh in the request, all scenarios, then one
        for (String query : new String[] {"", "?scenario=home"}) {
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                long q = System.nanoTime();
                call("GET", "/api/v1/experiments/" + experiment + "/report" + query, null);
                ms[i] = (System.nanoTime() - q) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(
                    Locale.ROOT,
                    "REPORT fresh %-16s median %.0f ms, max %.0f ms%n",
                    query,
                    ms[runs / 2],
                    ms[runs - 1]);
        }
        String path = "/api/v1/experiments/" + experiment + "/report";
        for (String query : new String[] {"", "?scenario=home"}) {
            long q = System.nanoTime();
            call("GET", "/api/v1/aggregates/" + experiment + query, null);
            System.out.printf(
                    Locale.ROOT,
                    "aggregate query alone %-16s %.0f ms%n",
                    query,
                    (System.nanoTime() - q) / 1e6);
        }
        time(path, "(all scenarios)", runs);
        time(path + "?scenario=home", "?scenario=home", runs);
        try (Connection c = connect()) {
            System.out.printf(
                    Locale.ROOT,
                    "beside it, a recomputation from the event log (post-exposure totals only):"
                            + " %.0f ms, %.0f ms%n",
                    SyntheticExperimentData.recomputeFromEventLog(c, id),
                    SyntheticExperimentData.recomputeFromEventLog(c, id));
        }
        call(
                "PATCH",
                "/api/v1/experiments/" + experiment,
                "{\"analysis\": {\"cupedDays\": 7, \"capPercentile\": 0.99}}");
        time(path, "cupedDays 7, capPercentile 0.99", runs);
    }

    private void time(String path, String label, int runs) throws Exception {
        long t = System.nanoTime();
        String body = call("GET", path, null);
        double first = (System.nanoTime() - t) / 1e6;
        double[] ms = new double[runs];
        double[] age = new double[runs];
        for (int i = 0; i < runs; i++) {
            Thread.sleep(1000); // a dashboard polling every second; the app refreshes the report
            // meanwhile
            long q = System.nanoTime();
            body = call("GET", path, null);
            ms[i] = (System.nanoTime() - q) / 1e6;
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("\"updatedAt\":\"([^\"]+)\"").matcher(body);
            age[i] =
                    m.find()
                            ? java.time.Duration.between(
                                                    java.time.Instant.parse(m.group(1)),
                                                    java.time.Instant.now())
                                            .toMillis()
                                    / 1000.0
                            : Double.NaN;
        }
        Arrays.sort(ms);
        Arrays.sort(age);
        System.out.printf(
                Locale.ROOT,
                "REPORT %-34s first (computed in the request) %.0f ms; then median %.0f ms,"
                        + " max %.0f ms; data age median %.1f s, max %.1f s (%d bytes)%n",
                label,
                first,
                ms[runs / 2],
                ms[runs - 1],
                age[runs / 2],
                age[runs - 1],
                body.length());
    }

    private String call(String method, String path, String json) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofMinutes(30))
                        .header("Authorization", "Bearer " + key);
        if (json != null) {
            b.header(
                    "Content-Type",
                    method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        b.method(
                method,
                json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }
}
