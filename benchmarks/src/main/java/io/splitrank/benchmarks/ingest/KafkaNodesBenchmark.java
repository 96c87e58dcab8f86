package io.splitrank.benchmarks.ingest;

import io.splitrank.benchmarks.BenchmarkArgs;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One phase of {@code scripts/bench-kafka-nodes.sh}: app nodes with {@code
 * splitrank.events.transport=kafka} on one broker and one PostgreSQL (all on 127.0.0.1). Sends
 * {@code --events} events in batches from {@code --threads} client threads spread round-robin over
 * the nodes of {@code --apis} (the batches of {@link IngestBenchmark}, built before the clock
 * starts), and measures events/s acknowledged (Kafka has them) and events/s written to PostgreSQL
 * by the consumer group (the sum of the group's stored offsets, {@code event_consumer_offset},
 * which advance in the same transaction as the rows). Then a plain COPY of as many rows of the same
 * shape into the same table, as a reference. Bounded by the event count and time limits.
 */
public final class KafkaNodesBenchmark {

    private final Map<String, String> args;
    private final String jdbcUrl;
    private final String runId =
            "kn" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    private KafkaNodesBenchmark(Map<String, String> args) {
        this.args = args;
        this.jdbcUrl = BenchmarkArgs.loopbackJdbc(args);
    }

    public static void main(String[] argv) throws Exception {
        new KafkaNodesBenchmark(BenchmarkArgs.parse(argv)).run();
    }

    private int intArg(String name, int fallback) {
        return BenchmarkArgs.intArg(args, name, fallback);
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    private long scalar(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long written() throws SQLException {
        return scalar("select coalesce(sum(next_offset), 0) from event_consumer_offset");
    }

    private void run() throws Exception {
        List<Api> apis = new ArrayList<>();
        for (String url : args.getOrDefault("apis", "http://127.0.0.1:8080").split(",")) {
            apis.add(new Api(url, args.getOrDefault("key", "bench-admin-key")));
        }
        int units = intArg("units", 20_000);
        int batch = intArg("batch", 5_000);
        int threads = intArg("threads", 4);
        int events = intArg("events", 500_000);
        int seconds = intArg("seconds", 120);
        int writeSeconds = intArg("write-seconds", 300);
        String experiment = "bench-nodes-" + runId;
        startExperiment(apis.get(0), experiment, units);
        EventRows rows = new EventRows(runId, units, Instant.now().plusSeconds(5));

        // warm-up on batches the measured part does not reuse: 4 per node, then everything written
        long before = written();
        long warm = send(apis, rows, 1_000_000, 4 * apis.size(), batch, threads, 60)[0];
        waitWritten(before + warm, 120);

        int count = events / batch;
        List<byte[]> bodies = new ArrayList<>(count);
        for (long b = 0; b < count; b++) {
            bodies.add(rows.json(b, batch).getBytes(StandardCharsets.UTF_8));
        }
        long base = written();
        long eventsBefore = scalar("select count(*) from event");
        AtomicLong lastWritten = new AtomicLong(base);
        AtomicLong writtenAtAck = new AtomicLong(-1);
        long start = System.nanoTime();
        long[] ackNanos = {0};
        Thread poller =
                new Thread(
                        () -> {
                            try {
                                while (!Thread.currentThread().isInterrupted()) {
                                    lastWritten.set(written());
                                    Thread.sleep(100);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            } catch (SQLException e) {
                                System.out.println("poller stopped: " + e);
                            }
                        });
        poller.setDaemon(true);
        poller.start();
        long[] perNode = sendPrepared(apis, bodies, threads, seconds);
        ackNanos[0] = System.nanoTime() - start;
        writtenAtAck.set(lastWritten.get() - base);
        long accepted = 0;
        for (long n : perNode) {
            accepted += n;
        }
        long target = base + accepted;
        long deadline = System.nanoTime() + writeSeconds * 1_000_000_000L;
        long now;
        while ((now = written()) < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long allWrittenNanos = System.nanoTime() - start;
        poller.interrupt();
        long stored = scalar("select count(*) from event") - eventsBefore;
        double ackSeconds = ackNanos[0] / 1e9;
        double writeSecondsTaken = allWrittenNanos / 1e9;
        StringBuilder split = new StringBuilder();
        for (int i = 0; i < perNode.length; i++) {
            split.append(i == 0 ? "" : ", ")
                    .append("node ")
                    .append(i + 1)
                    .append(' ')
                    .append(perNode[i]);
        }
        System.out.printf(
                Locale.ROOT,
                "%nNODES %d: acknowledged %d events in %.1f s = %.0f events/s (%s); written to"
                        + " PostgreSQL: all %d %s %.1f s after the start = %.0f events/s"
                        + " (%d written by the last acknowledgement); rows stored %d"
                        + " (batch %d, %d client threads)%n",
                apis.size(),
                accepted,
                ackSeconds,
                accepted / ackSeconds,
                split,
                now - base,
                now >= target ? "written" : "NOT all written (time limit)",
                writeSecondsTaken,
                (now - base) / writeSecondsTaken,
                writtenAtAck.get(),
                stored,
                batch,
                threads);

        long aggStart = System.nanoTime();
        long aggDeadline = aggStart + 300_000_000_000L;
        while (scalar("select count(*) from event_batch_pending") > 0
                && System.nanoTime() < aggDeadline) {
            Thread.sleep(50);
        }
        System.out.printf(
                Locale.ROOT,
                "NODES %d: aggregator caught up %.1f s after the last event was written%n",
                apis.size(),
                (System.nanoTime() - aggStart) / 1e9);

        if (intArg("copy", 1) == 1) {
            double copy = copyDirectly(rows, 2_000_000, count, batch, threads);
            System.out.printf(
                    Locale.ROOT,
                    "NODES %d: plain COPY of as many rows into the same table, %d threads: %.0f rows/s;"
                            + " acknowledged/COPY %.2f, written/COPY %.2f%n",
                    apis.size(),
                    threads,
                    copy,
                    accepted / ackSeconds / copy,
                    (now - base) / writeSecondsTaken / copy);
            try (Connection c = connect();
                    Statement s = c.createStatement()) {
                s.executeUpdate("delete from event where batch_id < 0");
            }
        }
    }

    private void startExperiment(Api api, String key, int units) throws Exception {
        api.startExposed(key, new EventRows(runId, units, Instant.now()), units);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline
                && scalar(
                                "select count(*) from exposure e join experiment x on x.id ="
                                        + " e.experiment_id where x.key = '"
                                        + key
                                        + "'")
                        < units) {
            Thread.sleep(50);
        }
    }

    private void waitWritten(long target, int maxSeconds) throws Exception {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        while (written() < target && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    private long[] send(
            List<Api> apis,
            EventRows rows,
            long first,
            int count,
            int size,
            int threads,
            int seconds)
            throws Exception {
        List<byte[]> bodies = new ArrayList<>(count);
        for (long b = first; b < first + count; b++) {
            bodies.add(rows.json(b, size).getBytes(StandardCharsets.UTF_8));
        }
        long[] perNode = sendPrepared(apis, bodies, threads, seconds);
        long total = 0;
        for (long n : perNode) {
            total += n;
        }
        return new long[] {total};
    }

    /** Client thread t sends to node t mod n; returns the events accepted by each node. */
    private static long[] sendPrepared(
            List<Api> apis, List<byte[]> bodies, int threads, int seconds) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong[] accepted = new AtomicLong[apis.size()];
        for (int i = 0; i < accepted.length; i++) {
            accepted[i] = new AtomicLong();
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int node = t % apis.size();
                futures.add(
                        pool.submit(
                                () -> {
                                    long b;
                                    while ((b = next.getAndIncrement()) < bodies.size()
                                            && System.nanoTime() < deadline) {
                                        String body =
                                                apis.get(node)
                                                        .postBytes(
                                                                "/api/v1/events",
                                                                bodies.get((int) b));
                                        accepted[node].addAndGet(Api.number(body, "accepted"));
                                    }
                                    return null;
                                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long[] result = new long[accepted.length];
        for (int i = 0; i < result.length; i++) {
            result[i] = accepted[i].get();
        }
        return result;
    }

    private double copyDirectly(EventRows rows, long first, int count, int size, int threads)
            throws Exception {
        List<byte[]> batches = PlainCopy.batches(rows, first, count, size);
        long start = System.nanoTime();
        long copied = PlainCopy.copy(jdbcUrl, batches, "event", threads, Long.MAX_VALUE);
        return copied / ((System.nanoTime() - start) / 1e9);
    }
}
