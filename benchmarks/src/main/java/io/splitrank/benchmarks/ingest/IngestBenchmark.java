package io.splitrank.benchmarks.ingest;

import io.splitrank.benchmarks.BenchmarkArgs;
import io.splitrank.benchmarks.CpuShare;
import io.splitrank.benchmarks.SyntheticExperimentData;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event ingestion and aggregation benchmark, against a running app on 127.0.0.1 and its
 * PostgreSQL (run by {@code scripts/bench-ingest.sh}):
 *
 * <ol>
 *   <li>sustained ingestion through {@code POST /api/v1/events}, beside plain COPY of the same rows
 *       into the same table, with the same concurrency, in the same run;
 *   <li>acknowledged event → visible in the per-unit aggregates, idle and under load;
 *   <li>the aggregate query for a phase with {@code --report-units} exposed units and {@code
 *       --report-events} events (generated with SQL), beside a full recomputation from the event
 *       log.
 * </ol>
 *
 * Bounded: every part stops at its event count or its time limit, whichever comes first.
 */
public final class IngestBenchmark {

    private final Map<String, String> args;
    private final Api api;
    private final String jdbcUrl;
    private final CpuShare cpu;

    /** The bare table of the reference COPY. */
    private static final String MINIMAL = "bench_event_bare";

    private final String runId = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private IngestBenchmark(Map<String, String> args) {
        this.args = args;
        this.api =
                new Api(
                        args.getOrDefault("api", "http://127.0.0.1:8080"),
                        args.getOrDefault("key", "bench-admin-key"));
        this.jdbcUrl = BenchmarkArgs.loopbackJdbc(args);
        this.cpu =
                new CpuShare(
                        Long.parseLong(args.getOrDefault("app-pid", "0")), args.get("data-dir"));
    }

    /**
     * Where a path's time went: CPU microseconds per event of the load generator, the app and
     * PostgreSQL (its server and every backend, the aggregator's included), and the cores the
     * machine's other processes took meanwhile.
     */
    private static String cpuPerEvent(CpuShare.Sample before, CpuShare.Sample after, long events) {
        double[] seconds = CpuShare.seconds(before, after);
        CpuShare.Usage usage = CpuShare.between(before, after);
        if (seconds == null || usage == null || events == 0) {
            return "";
        }
        return String.format(
                Locale.ROOT,
                "; CPU per event: load generator %.1f µs, app %.1f µs, PostgreSQL %.1f µs;"
                        + " other processes %.2f cores",
                seconds[0] * 1e6 / events,
                seconds[1] * 1e6 / events,
                seconds[2] * 1e6 / events,
                usage.others());
    }

    public static void main(String[] argv) throws Exception {
        new IngestBenchmark(BenchmarkArgs.parse(argv)).run();
    }

    private int intArg(String name, int fallback) {
        return BenchmarkArgs.intArg(args, name, fallback);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    private void run() throws Exception {
        int units = intArg("units", 20_000);
        int batch = intArg("batch", 5_000);
        int threads = intArg("threads", 2);
        int maxEvents = intArg("events", 1_000_000);
        int seconds = intArg("seconds", 60);
        int reportUnits = intArg("report-units", 1_000_000);
        int reportEvents = intArg("report-events", 10_000_000);
        if (maxEvents == 0) {
            reportQuery(reportUnits, reportEvents);
            return;
        }
        if (Boolean.parseBoolean(args.getOrDefault("index-costs", "false"))) {
            indexCosts(maxEvents / batch, batch, threads, seconds);
            return;
        }
        String experiment = "bench-ingest-" + runId;
        long experimentId = startExperiment(experiment, units);
        EventRows rows = new EventRows(runId, units, Instant.now().plusSeconds(5));
        System.out.printf(Locale.ROOT, "exposed units: %d (experiment %s)%n", units, experiment);

        try (Connection c = connect();
                Statement s = c.createStatement()) {
            // the reference the issue names: the same rows into a bare table (the event table's
            // columns and NOT NULLs, no partitions, no indexes, no constraints), logged and synced
            s.execute("drop table if exists " + MINIMAL);
            s.execute("create table " + MINIMAL + " (like event)");
        }
        // warm up every path (the app's JIT compilers above all) on batches the measured runs do
        // not reuse
        int warmup = intArg("warmup", 50);
        ingestThroughApi(rows, 1_000_000, warmup, batch, threads, 60);
        copyDirectly(rows, 1_000_000, warmup, batch, threads, 60, "event");
        copyDirectly(rows, 1_000_000, warmup, batch, threads, 60, MINIMAL);
        waitForAggregator(60);

        // rounds alternate the three paths, so that a change in the machine's other load shows as
        // a spread between rounds rather than as a bias towards one path
        int rounds = intArg("rounds", 1);
        int batches = maxEvents / batch;
        double minimalSum = 0;
        double copySum = 0;
        double apiSum = 0;
        for (int round = 0; round < rounds; round++) {
            long first = (long) round * batches;
            double minimalRate =
                    copyDirectly(rows, first, batches, batch, threads, seconds, MINIMAL);
            double copyRate = copyDirectly(rows, first, batches, batch, threads, seconds, "event");
            double apiRate = ingestThroughApi(rows, first, batches, batch, threads, seconds);
            waitForAggregator(300);
            System.out.printf(
                    Locale.ROOT,
                    "round %d: api %.0f events/s, copy into a bare table %.0f rows/s (ratio %.2f),"
                            + " copy into the event table %.0f rows/s (ratio %.2f)%n",
                    round + 1,
                    apiRate,
                    minimalRate,
                    apiRate / minimalRate,
                    copyRate,
                    apiRate / copyRate);
            minimalSum += minimalRate;
            copySum += copyRate;
            apiSum += apiRate;
        }
        double apiRate = apiSum / rounds;
        double minimalRate = minimalSum / rounds;
        double copyRate = copySum / rounds;
        long drainStart = System.nanoTime();
        waitForAggregator(300);
        double drain = (System.nanoTime() - drainStart) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%nINGEST api %.0f events/s; copy into a bare table %.0f rows/s, ratio %.2f;"
                        + " copy into the event table %.0f rows/s, ratio %.2f"
                        + " (batch %d, %d threads, mean of %d rounds)%n",
                apiRate,
                minimalRate,
                apiRate / minimalRate,
                copyRate,
                apiRate / copyRate,
                batch,
                threads,
                rounds);
        System.out.printf(
                Locale.ROOT,
                "INGEST aggregator caught up %.1f s after the last acknowledged batch%n",
                drain);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("drop table " + MINIMAL);
        }
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            int deleted = s.executeUpdate("delete from event where batch_id < 0");
            System.out.printf(Locale.ROOT, "removed the %d COPY baseline rows%n", deleted);
        }

        int probes = intArg("probes", 100);
        if (probes > 0) {
            latency(experimentId, rows, units, probes, 0);
            latency(experimentId, rows, units, probes, intArg("load-rate", 2000));
        }

        if (reportUnits > 0) {
            reportQuery(reportUnits, reportEvents);
        }
    }

    /**
     * What each index of the event table costs a COPY: the same rows into bare tables that each
     * carry one of them (or all), one after the other, twice, beside the bare table.
     */
    private void indexCosts(int batches, int size, int threads, int seconds) throws Exception {
        String[][] variants = {
            {"bare table", ""},
            {"unique (event_id)", "create unique index on %s (event_id)"},
            {"(unit_id, ts)", "create index on %s (unit_id, ts)"},
            {"B-tree (batch_id)", "create index on %s (batch_id)"},
            {"BRIN (batch_id)", "create index on %s using brin (batch_id)"},
            {
                "the event table's three",
                "create unique index on %1$s (event_id); create index on %1$s (unit_id, ts);"
                        + " create index on %1$s using brin (batch_id)"
            }
        };
        EventRows rows = new EventRows(runId, intArg("units", 20_000), Instant.now());
        copyIntoVariant(rows, 0, variants[0], Math.min(batches, 50), size, threads, seconds);
        for (int round = 0; round < 2; round++) {
            for (String[] variant : variants) {
                double rate =
                        copyIntoVariant(
                                rows,
                                (long) round * batches,
                                variant,
                                batches,
                                size,
                                threads,
                                seconds);
                System.out.printf(
                        Locale.ROOT,
                        "INDEX round %d: %-24s %8.0f rows/s%n",
                        round + 1,
                        variant[0],
                        rate);
            }
        }
    }

    private double copyIntoVariant(
            EventRows rows,
            long first,
            String[] variant,
            int batches,
            int size,
            int threads,
            int seconds)
            throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("drop table if exists " + MINIMAL);
            s.execute("create table " + MINIMAL + " (like event)");
            for (String ddl : variant[1].split(";")) {
                if (!ddl.isBlank()) {
                    s.execute(String.format(Locale.ROOT, ddl, MINIMAL));
                }
            }
        }
        try {
            return copyDirectly(rows, first, batches, size, threads, seconds, MINIMAL);
        } finally {
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.execute("drop table " + MINIMAL);
            }
        }
    }

    private long startExperiment(String key, int units) throws Exception {
        api.startExposed(key, new EventRows(runId, units, Instant.now()), units);
        long id;
        try (Connection c = connect();
                PreparedStatement ps =
                        c.prepareStatement("select id from experiment where key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline
                && count("select count(*) from exposure where experiment_id = " + id) < units) {
            Thread.sleep(50);
        }
        return id;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void waitForAggregator(int maxSeconds) throws Exception {
        if ("off".equals(args.get("aggregator"))) {
            return; // the app runs with splitrank.aggregates.enabled=false: nothing would drain
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline
                && count("select count(*) from event_batch_pending") > 0) {
            Thread.sleep(20);
        }
    }

    /**
     * Sends batches [first, first + count) from {@code threads} clients; returns accepted events
     * per second.
     */
    private double ingestThroughApi(
            EventRows rows, long first, int count, int size, int threads, int seconds)
            throws Exception {
        // the load generator prepares its batches before the clock starts (on both paths), so that
        // what is
        // measured is the server's work, not the client's string building on the same two cores
        List<byte[]> bodies = new ArrayList<>(count);
        for (long b = first; b < first + count; b++) {
            bodies.add(rows.json(b, size).getBytes(StandardCharsets.UTF_8));
        }
        AtomicLong next = new AtomicLong(0);
        AtomicLong accepted = new AtomicLong();
        CpuShare.Sample before = cpu.sample();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        PlainCopy.inThreads(
                threads,
                () -> {
                    long b;
                    while ((b = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                        String body = api.postBytes("/api/v1/events", bodies.get((int) b));
                        accepted.addAndGet(Api.number(body, "accepted"));
                    }
                });
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "api: %d events accepted in %.1f s%s%n",
                accepted.get(),
                elapsed,
                cpuPerEvent(before, cpu.sample(), accepted.get()));
        return accepted.get() / elapsed;
    }

    /**
     * COPYs the same batches straight into {@code table}, one transaction per batch; rows per
     * second.
     */
    private double copyDirectly(
            EventRows rows, long first, int count, int size, int threads, int seconds, String table)
            throws Exception {
        List<byte[]> batches = PlainCopy.batches(rows, first, count, size);
        CpuShare.Sample before = cpu.sample();
        long start = System.nanoTime();
        long copied =
                PlainCopy.copy(jdbcUrl, batches, table, threads, start + seconds * 1_000_000_000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "copy into %s: %d rows in %.1f s%s%n",
                table,
                copied,
                elapsed,
                cpuPerEvent(before, cpu.sample(), copied));
        return copied / elapsed;
    }

    /**
     * Single-event batches; time from the acknowledgement until the unit's aggregate row shows it.
     */
    private void latency(long experimentId, EventRows rows, int units, int probes, int loadRate)
            throws Exception {
        boolean underLoad = loadRate > 0;
        AtomicLong loadBatch = new AtomicLong(5_000_000);
        long[] loadSent = {0};
        Thread load = null;
        if (underLoad) {
            load =
                    new Thread(
                            () -> {
                                try {
                                    // batches of 200 at the given rate: a steady stream, not a
                                    // flood
                                    long interval = 200_000_000_000L / loadRate;
                                    long next = System.nanoTime();
                                    while (!Thread.currentThread().isInterrupted()) {
                                        api.post(
                                                "/api/v1/events",
                                                rows.json(loadBatch.getAndIncrement(), 200));
                                        loadSent[0] += 200;
                                        next += interval;
                                        long wait = next - System.nanoTime();
                                        if (wait > 0) {
                                            Thread.sleep(
                                                    wait / 1_000_000, (int) (wait % 1_000_000));
                                        }
                                    }
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                } catch (Exception e) {
                                    if (!Thread.currentThread().isInterrupted()) {
                                        System.out.println("load stopped: " + e);
                                    }
                                }
                            });
            load.start();
            Thread.sleep(2000);
        }
        double[] millis = new double[probes];
        long loadStart = System.nanoTime();
        try (Connection c = connect();
                PreparedStatement read =
                        c.prepareStatement(
                                "select coalesce(sum(impressions), 0)"
                                        + " from agg_unit where experiment_id = ? and phase = 1 and scenario = '' and conversion_type = ''"
                                        + " and unit_id = ?")) {
            read.setLong(1, experimentId);
            for (int p = 0; p < probes; p++) {
                String unit = rows.unit((p * 7919) % units);
                read.setString(2, unit);
                long before = scalar(read);
                String body =
                        "{\"events\": [{\"eventId\": \"probe-"
                                + runId
                                + "-"
                                + underLoad
                                + "-"
                                + p
                                + "\", \"type\": \"impression\", \"unitId\": \""
                                + unit
                                + "\", \"timestamp\": \""
                                + Instant.now().plusSeconds(1)
                                + "\"}]}";
                api.post("/api/v1/events", body);
                long acked = System.nanoTime();
                long deadline = acked + 30_000_000_000L;
                while (scalar(read) == before && System.nanoTime() < deadline) {
                    Thread.sleep(2);
                }
                millis[p] = (System.nanoTime() - acked) / 1e6;
                Thread.sleep(37);
            }
        }
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        if (load != null) {
            load.interrupt();
            load.join(60_000);
        }
        Arrays.sort(millis);
        System.out.printf(
                Locale.ROOT,
                "LATENCY %s: ack → in aggregates p50 %.0f ms, p95 %.0f ms, max %.0f ms (%d probes)%s%n",
                underLoad ? "under load" : "idle",
                millis[probes / 2],
                millis[(int) (probes * 0.95)],
                millis[probes - 1],
                probes,
                underLoad
                        ? String.format(
                                Locale.ROOT,
                                ", background load ~%.0f events/s",
                                loadSent[0] / loadSeconds)
                        : "");
        waitForAggregator(120);
    }

    private static long scalar(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Generates exposures and events with SQL, attributes them, then times the query API and a
     * recomputation.
     */
    private void reportQuery(int units, int events) throws Exception {
        String key = "bench-report-" + runId;
        api.post(
                "/api/v1/experiments",
                "{\"key\": \""
                        + key
                        + "\", \"analysis\": {\"cupedDays\": 7}, \"arms\": ["
                        + "{\"key\": \"control\", \"model\": \"baseline\"}, {\"key\": \"ektm\", \"model\": \"ektm\"}]}");
        api.post("/api/v1/experiments/" + key + "/start", null);
        long id = count("select id from experiment where key = '" + key + "'");
        try (Connection c = connect()) {
            SyntheticExperimentData.generate(c, id, "rq-" + runId, -2, units, events, "REPORT");
        }
        long t = System.nanoTime();
        // the scheduled pass usually takes them first; this call returns when that pass has
        // committed
        api.post("/api/v1/admin/aggregates/process", null);
        System.out.printf(
                Locale.ROOT,
                "REPORT attribution of all of them in one pass: %.0f s%n",
                (System.nanoTime() - t) / 1e9);
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("analyze agg_unit");
        }
        for (String query :
                new String[] {
                    "", "?cuped=true", "?scenario=home", "?capPercentile=0.99&cuped=true"
                }) {
            double[] ms = new double[5];
            String body = "";
            for (int i = 0; i < ms.length; i++) {
                long q = System.nanoTime();
                body = api.get("/api/v1/aggregates/" + key + query);
                ms[i] = (System.nanoTime() - q) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(
                    Locale.ROOT,
                    "REPORT query %-32s median %.0f ms, max %.0f ms (%d bytes)%n",
                    query.isEmpty() ? "(all scenarios)" : query,
                    ms[2],
                    ms[4],
                    body.length());
        }
        double[] recompute = new double[2];
        for (int i = 0; i < recompute.length; i++) {
            try (Connection c = connect()) {
                recompute[i] = SyntheticExperimentData.recomputeFromEventLog(c, id);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "REPORT full recomputation from the event log (post-exposure totals only, no"
                        + " per-type, scenario or CUPED sums): %.0f ms, %.0f ms%n",
                recompute[0],
                recompute[1]);
    }
}
