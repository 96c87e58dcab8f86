package io.splitrank.benchmarks.rank;

import io.splitrank.benchmarks.BenchmarkArgs;
import io.splitrank.benchmarks.CpuShare;
import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.artifact.ShippedArtifacts;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The ranking benchmark, against a running app on 127.0.0.1 (run by {@code scripts/bench-rank.sh};
 * docs/performance.md, "Ranking"). Per shipped model: an experiment whose two arms both serve it,
 * then {@code POST /api/v1/rank} with {@code --candidates} candidates at 1 and at 8 concurrent
 * clients (closed loop, a distinct unit per call so that every call records a real first exposure,
 * bodies prepared before the clock), and in the same run, in this process, DJL's raw forward pass
 * ({@link RankingModel#predict}) of the same shipped artifact on the same candidates, encoded
 * before the clock, at one thread: half of its passes before the rank calls and half after, pooled.
 * Before the models, {@code GET /api/v1/whoami} from one client with the same HTTP client gives the
 * floor of any call (HTTP over loopback, the security filters, a tiny JSON answer). Every rank
 * answer is checked (200, the model, in the experiment), and one per model is compared with the
 * forward pass item by item, so both sides provably score the same model on the same features.
 *
 * <p>Arguments ({@code --name=value}): {@code api}, {@code key} (admin key), {@code requests}
 * measured calls per model and concurrency (2000), {@code candidates} (100), {@code clients} (1,8),
 * {@code warmup} calls per model and concurrency before anything is measured (1000), {@code
 * forward} raw passes per model ({@code requests}), {@code models} (every shipped one), {@code
 * scenario} (home), and {@code jdbc} to count the exposures written, {@code app-pid} and {@code
 * data-dir} (the app's process and its data directory) to tell the CPU they and this process used
 * from what other processes took meanwhile ({@link CpuShare}), printed beside every phase.
 */
public final class RankBenchmark {

    /** Goal: p99 of a rank call at one client. */
    static final double P99_GOAL_MS = 10;

    /** Goal: median rank call over median raw forward pass. */
    static final double OVERHEAD_GOAL = 1.5;

    private final Map<String, String> args;
    private final String api;
    private final String key;
    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final CpuShare cpu;

    private RankBenchmark(Map<String, String> args) {
        this.args = args;
        this.api = args.getOrDefault("api", "http://127.0.0.1:8080");
        this.key = args.getOrDefault("key", "bench-admin-key");
        if (!api.startsWith("http://127.0.0.1:") && !api.startsWith("http://localhost:")) {
            throw new IllegalArgumentException("the benchmark only talks to 127.0.0.1: " + api);
        }
        this.cpu =
                new CpuShare(
                        Long.parseLong(args.getOrDefault("app-pid", "0")), args.get("data-dir"));
    }

    public static void main(String[] argv) throws Exception {
        // as the app's ModelRegistry does, before DJL loads: no network, one PyTorch thread per
        // call
        for (String[] p :
                new String[][] {
                    {"ai.djl.offline", "true"},
                    {"ai.djl.pytorch.num_threads", "1"},
                    {"ai.djl.pytorch.num_interop_threads", "1"}
                }) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
        }
        new RankBenchmark(BenchmarkArgs.parse(argv)).run();
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    /** One model's figures. */
    private record Result(String model, Latencies forward, Map<Integer, Latencies> rank) {}

    private void run() throws Exception {
        int requests = intArg("requests", 2000);
        int candidates = intArg("candidates", 100);
        int warmup = intArg("warmup", 1000);
        int forwardPasses = intArg("forward", requests);
        if (requests < 1 || warmup < 0 || forwardPasses < 2) {
            throw new IllegalArgumentException("--requests >= 1, --warmup >= 0 and --forward >= 2");
        }
        int[] clients =
                Arrays.stream(args.getOrDefault("clients", "1,8").split(","))
                        .mapToInt(Integer::parseInt)
                        .toArray();
        List<String> models =
                args.containsKey("models")
                        ? List.of(args.get("models").split(","))
                        : ShippedArtifacts.keys();
        RankWorkload workload =
                new RankWorkload(
                        new Marketplace(MarketplaceConfig.defaults()),
                        candidates,
                        args.getOrDefault("scenario", "home"),
                        20261201L);
        System.out.printf(
                Locale.ROOT,
                "rank benchmark: models %s, %d candidates, scenario %s, %d measured calls per"
                        + " model and concurrency %s, %d warm-up calls each, %d raw forward passes per model; JVM %s,"
                        + " ai.djl.pytorch.num_threads=%s, num_interop_threads=%s%n",
                models,
                candidates,
                workload.scenario(),
                requests,
                Arrays.toString(clients),
                warmup,
                forwardPasses,
                Runtime.version(),
                System.getProperty("ai.djl.pytorch.num_threads"),
                System.getProperty("ai.djl.pytorch.num_interop_threads"));

        Map<String, String> experiments = new LinkedHashMap<>();
        for (String model : models) {
            String experiment = "bench-rank-" + model + "-" + runId;
            post(
                    "/api/v1/experiments",
                    ("{\"key\": \""
                                    + experiment
                                    + "\", \"arms\": [{\"key\": \"control\","
                                    + " \"model\": \""
                                    + model
                                    + "\"}, {\"key\": \"t\", \"model\": \""
                                    + model
                                    + "\"}]}")
                            .getBytes(StandardCharsets.UTF_8));
            post("/api/v1/experiments/" + experiment + "/start", null);
            experiments.put(model, experiment);
        }

        // the app and this JVM both start cold, and the app's code is the same whichever model
        // ranks: every
        // model and concurrency is warmed up before anything is measured
        System.out.printf(Locale.ROOT, "%nwarm-up (load average %s)%n", loadAverage());
        for (String model : models) {
            for (int c : clients) {
                rank(model, experiments.get(model), workload, "w" + c, warmup, c);
            }
        }
        Latencies floor = trivialEndpoint(requests);
        System.out.printf(
                Locale.ROOT,
                "%n| `GET /api/v1/whoami` (trivial endpoint), 1 client | p50 | p90 | p99 | max | calls/s |"
                        + " other processes (cores) |%n|---|---|---|---|---|---|---|%n| %d calls | %s |%n",
                floor.count(),
                floor.cells());

        Path tmp = Files.createTempDirectory("bench-rank");
        List<Result> results = new ArrayList<>();
        Map<String, Long> expectedExposures = new LinkedHashMap<>();
        try {
            for (String model : models) {
                results.add(
                        measure(
                                model,
                                experiments.get(model),
                                workload,
                                tmp,
                                requests,
                                warmup,
                                forwardPasses,
                                clients));
                expectedExposures.put(model, 1 + (long) (warmup + requests) * clients.length);
            }
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        System.out.printf(
                Locale.ROOT,
                "%n## Summary (%d candidates; goals: p99 <= %.0f ms at 1 client, median rank"
                        + " <= %.1f x median forward pass)%n%n",
                candidates,
                P99_GOAL_MS,
                OVERHEAD_GOAL);
        StringBuilder header = new StringBuilder("| model | forward p50 | forward p99 |");
        StringBuilder rule = new StringBuilder("|---|---|---|");
        for (int c : clients) {
            header.append(" rank p50 @")
                    .append(c)
                    .append(" | rank p99 @")
                    .append(c)
                    .append(" | ratio @")
                    .append(c)
                    .append(" |");
            rule.append("---|---|---|");
        }
        System.out.println(
                header.append(" other processes, cores (forward")
                        .append(
                                Arrays.stream(clients)
                                        .mapToObj(c -> " / @" + c)
                                        .reduce("", String::concat))
                        .append(") | p99 goal | ratio goal |"));
        System.out.println(rule.append("---|---|---|"));
        for (Result r : results) {
            StringBuilder row =
                    new StringBuilder(
                            "| "
                                    + r.model
                                    + " | "
                                    + Latencies.ms(r.forward.p50())
                                    + " | "
                                    + Latencies.ms(r.forward.p99())
                                    + " |");
            for (int c : clients) {
                Latencies l = r.rank.get(c);
                row.append(' ')
                        .append(Latencies.ms(l.p50()))
                        .append(" | ")
                        .append(Latencies.ms(l.p99()))
                        .append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", l.p50() / r.forward.p50()))
                        .append(" |");
            }
            row.append(' ').append(others(r.forward));
            for (int c : clients) {
                row.append(" / ").append(others(r.rank.get(c)));
            }
            row.append(" |");
            Latencies one = r.rank.get(1);
            row.append(
                    one == null
                            ? " — | — |"
                            : " "
                                    + (one.p99() <= P99_GOAL_MS ? "met" : "NOT met")
                                    + " | "
                                    + (one.p50() / r.forward.p50() <= OVERHEAD_GOAL
                                            ? "met"
                                            : "NOT met")
                                    + " |");
            System.out.println(row);
        }
        System.out.printf(
                Locale.ROOT,
                "%ntrivial endpoint (GET /api/v1/whoami, 1 client): p50 %s, p99 %s%n",
                Latencies.ms(floor.p50()),
                Latencies.ms(floor.p99()));
        if (args.containsKey("jdbc")) {
            countExposures(experiments, expectedExposures);
        }
    }

    private Result measure(
            String model,
            String experiment,
            RankWorkload workload,
            Path tmp,
            int requests,
            int warmup,
            int forwardPasses,
            int[] clients)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%n## %s (experiment %s; load average %s)%n",
                model,
                experiment,
                loadAverage());
        try (RankingModel ranking = RankingModel.load(ShippedArtifacts.extract(model, tmp))) {
            // the raw forward pass on the batches of the first calls' users, encoded before the
            // clock
            int distinct = Math.min(64, Math.max(1, forwardPasses));
            List<RankWorkload.Batch> batches = new ArrayList<>();
            for (int i = 0; i < distinct; i++) {
                batches.add(workload.batch(ranking, unit(model, "m1", i), workload.user(i)));
            }
            verify(model, experiment, workload, ranking);
            forward(ranking, batches, Math.max(warmup, 500));
            Latencies before = forward(ranking, batches, forwardPasses / 2);

            Map<Integer, Latencies> rank = new LinkedHashMap<>();
            for (int c : clients) {
                rank.put(c, rank(model, experiment, workload, "m" + c, requests, c));
            }
            Latencies after = forward(ranking, batches, forwardPasses - forwardPasses / 2);
            Latencies pooled = Latencies.pooled(before, after);

            System.out.printf(
                    Locale.ROOT,
                    "%n| %s, %d candidates | p50 | p90 | p99 | max | calls/s | other processes"
                            + " (cores) | median / forward median |%n|---|---|---|---|---|---|---|---|%n",
                    model,
                    workload.candidates());
            System.out.printf(
                    Locale.ROOT,
                    "| raw forward pass (DJL `predict`, in process, 1 thread, %d passes) | %s |"
                            + " 1.00 |%n",
                    pooled.count(),
                    pooled.cells());
            for (Map.Entry<Integer, Latencies> e : rank.entrySet()) {
                Latencies l = e.getValue();
                System.out.printf(
                        Locale.ROOT,
                        "| `POST /api/v1/rank`, %d client%s (%d calls) | %s | %.2f |%n",
                        e.getKey(),
                        e.getKey() == 1 ? "" : "s",
                        l.count(),
                        l.cells(),
                        l.p50() / pooled.p50());
            }
            System.out.printf(
                    Locale.ROOT,
                    "forward pass median before the rank calls %s, after %s%n",
                    Latencies.ms(before.p50()),
                    Latencies.ms(after.p50()));
            Latencies one = rank.get(1);
            if (one != null) {
                System.out.printf(
                        Locale.ROOT,
                        "GOAL %s p99 <= %.0f ms at 1 client: %s (%s)%n",
                        model,
                        P99_GOAL_MS,
                        one.p99() <= P99_GOAL_MS ? "met" : "NOT met",
                        Latencies.ms(one.p99()));
                double ratio = one.p50() / pooled.p50();
                System.out.printf(
                        Locale.ROOT,
                        "GOAL %s median rank <= %.1f x median forward pass (1 client): %s"
                                + " (%.2f x: %s against %s)%n",
                        model,
                        OVERHEAD_GOAL,
                        ratio <= OVERHEAD_GOAL ? "met" : "NOT met",
                        ratio,
                        Latencies.ms(one.p50()),
                        Latencies.ms(pooled.p50()));
            }
            return new Result(model, pooled, rank);
        }
    }

    private static String others(Latencies l) {
        return l.cpu() == null ? "?" : String.format(Locale.ROOT, "%.2f", l.cpu().others());
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    private String unit(String model, String phase, long n) {
        return "bench-rank-" + runId + "-" + model + "-" + phase + "-" + n;
    }

    /**
     * Times {@code passes} raw forward passes at one thread, cycling through the prepared batches.
     */
    private Latencies forward(RankingModel model, List<RankWorkload.Batch> batches, int passes) {
        long[] nanos = new long[passes];
        CpuShare.Sample before = cpu.sample();
        long start = System.nanoTime();
        for (int i = 0; i < passes; i++) {
            RankWorkload.Batch b = batches.get(i % batches.size());
            long t = System.nanoTime();
            RankingModel.Scores s =
                    model.predict(b.categorical(), b.dense(), b.scenario(), b.conversionType());
            nanos[i] = System.nanoTime() - t;
            if (s.size() != b.scenario().length) {
                throw new IllegalStateException("forward pass returned " + s.size() + " scores");
            }
        }
        long wall = System.nanoTime() - start;
        return Latencies.of(nanos, wall, CpuShare.between(before, cpu.sample()));
    }

    /**
     * {@code count} rank calls from {@code clients} closed-loop clients, each call a new unit. The
     * requests are built before the clock; every answer must be a 200 from the model, in the
     * experiment.
     */
    private Latencies rank(
            String model,
            String experiment,
            RankWorkload workload,
            String phase,
            int count,
            int clients)
            throws Exception {
        HttpRequest[] requests = new HttpRequest[count];
        for (int i = 0; i < count; i++) {
            requests[i] =
                    request(
                            "/api/v1/rank",
                            workload.body(experiment, unit(model, phase, i), workload.user(i)));
        }
        Latencies l =
                calls(requests, clients, "\"model\":\"" + model + "\"", "\"inExperiment\":true");
        System.out.printf(
                Locale.ROOT,
                "%s rank %s, %d client%s: %d calls in %.1f s, p50 %s, p99 %s%n",
                model,
                phase.startsWith("w") ? "warm-up" : "measured",
                clients,
                clients == 1 ? "" : "s",
                count,
                l.seconds(),
                Latencies.ms(l.p50()),
                Latencies.ms(l.p99()));
        return l;
    }

    /**
     * {@code GET /api/v1/whoami}, the cheapest authenticated call (the same filters and key check,
     * a tiny JSON answer), from one client with the same HTTP client: the floor under any call
     * here.
     */
    private Latencies trivialEndpoint(int count) throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(api + "/api/v1/whoami"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + key)
                        .GET()
                        .build();
        HttpRequest[] warm = new HttpRequest[2000];
        Arrays.fill(warm, request);
        calls(warm, 1);
        HttpRequest[] requests = new HttpRequest[count];
        Arrays.fill(requests, request);
        return calls(requests, 1);
    }

    /**
     * Sends the prepared requests from {@code clients} closed-loop clients; each answer must be a
     * 200 containing {@code expect}.
     */
    private Latencies calls(HttpRequest[] requests, int clients, String... expect)
            throws Exception {
        int count = requests.length;
        long[] nanos = new long[count];
        AtomicInteger next = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long wall;
        CpuShare.Sample before;
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    int i;
                                    while ((i = next.getAndIncrement()) < count) {
                                        long t = System.nanoTime();
                                        HttpResponse<byte[]> response =
                                                http.send(
                                                        requests[i],
                                                        HttpResponse.BodyHandlers.ofByteArray());
                                        nanos[i] = System.nanoTime() - t;
                                        String body =
                                                new String(response.body(), StandardCharsets.UTF_8);
                                        boolean ok = response.statusCode() == 200;
                                        for (String e : expect) {
                                            ok &= body.contains(e);
                                        }
                                        if (!ok) {
                                            throw new IOException(
                                                    requests[i].uri().getPath()
                                                            + " #"
                                                            + i
                                                            + " → "
                                                            + response.statusCode()
                                                            + ": "
                                                            + body.substring(
                                                                    0,
                                                                    Math.min(500, body.length())));
                                        }
                                    }
                                    return null;
                                }));
            }
            before = cpu.sample();
            long start = System.nanoTime();
            go.countDown();
            for (Future<Void> f : futures) {
                f.get();
            }
            wall = System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
        return Latencies.of(nanos, wall, CpuShare.between(before, cpu.sample()));
    }

    /**
     * One rank call and the raw forward pass for the same unit: the app must serve the same model
     * on the same features (its pCtr per item equal to the forward pass's), or the comparison is
     * void.
     */
    private void verify(
            String model, String experiment, RankWorkload workload, RankingModel ranking)
            throws Exception {
        String unit = unit(model, "verify", 0);
        int user = workload.user(-1);
        byte[] request = workload.body(experiment, unit, user);
        String body = post("/api/v1/rank", request);
        RankWorkload.Batch batch = workload.batch(ranking, unit, user);
        RankingModel.Scores scores =
                ranking.predict(
                        batch.categorical(),
                        batch.dense(),
                        batch.scenario(),
                        batch.conversionType());
        int items = 0;
        double worst = 0;
        for (int i = 0; i < workload.candidates(); i++) {
            int at = body.indexOf("\"itemId\":\"" + workload.itemId(i) + "\"");
            int p = at < 0 ? -1 : body.indexOf("\"pCtr\":", at);
            if (p < 0) {
                throw new IllegalStateException(
                        "no pCtr for "
                                + workload.itemId(i)
                                + " in the rank answer: "
                                + body.substring(0, Math.min(500, body.length())));
            }
            int from = p + 7;
            int to = from;
            while (to < body.length() && "0123456789.eE-+".indexOf(body.charAt(to)) >= 0) {
                to++;
            }
            double served = Double.parseDouble(body.substring(from, to));
            worst =
                    Math.max(
                            worst,
                            Math.abs(served - scores.pCtr()[i])
                                    / Math.max(1e-12, scores.pCtr()[i]));
            items++;
        }
        if (worst > 1e-4) {
            throw new IllegalStateException(
                    model
                            + ": the app's pCtr differ from the forward pass's by up to "
                            + worst
                            + " (relative); not the same model or features");
        }
        System.out.printf(
                Locale.ROOT,
                "checked: the app's %d pCtr for one unit equal this process's forward pass"
                        + " (largest relative difference %.1e); request %,d bytes, answer %,d bytes%n",
                items,
                worst,
                request.length,
                body.getBytes(StandardCharsets.UTF_8).length);
    }

    private void countExposures(Map<String, String> experiments, Map<String, Long> expected)
            throws Exception {
        String jdbc = args.get("jdbc");
        if (!jdbc.startsWith("jdbc:postgresql://127.0.0.1:")
                && !jdbc.startsWith("jdbc:postgresql://localhost:")) {
            throw new IllegalArgumentException("the benchmark only talks to 127.0.0.1: " + jdbc);
        }
        System.out.println();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) from exposure e join experiment x"
                                        + " on x.id = e.experiment_id where x.key = ?")) {
            for (Map.Entry<String, String> e : experiments.entrySet()) {
                ps.setString(1, e.getValue());
                long want = expected.getOrDefault(e.getKey(), 0L);
                long got = 0;
                long deadline = System.nanoTime() + 30_000_000_000L;
                do {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        got = rs.getLong(1);
                    }
                    if (got < want) {
                        Thread.sleep(100);
                    }
                } while (got < want && System.nanoTime() < deadline);
                System.out.printf(
                        Locale.ROOT,
                        "exposures recorded for %s: %,d of %,d rank calls (one per unit)%n",
                        e.getValue(),
                        got,
                        want);
            }
        }
    }

    private HttpRequest request(String path, byte[] json) {
        return HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
    }

    private String post(String path, byte[] json) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request(path, json), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "POST " + path + " → " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
