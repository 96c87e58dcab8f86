package io.splitrank.benchmarks.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * The reference the ingest benchmarks hold the API against: the same rows ({@link
 * EventRows#copyText}) COPYed into a table over JDBC's {@code CopyManager} from several
 * connections, one transaction per batch, with the batches built before the clock starts.
 */
final class PlainCopy {

    private static final String COLUMNS =
            " (batch_id, event_id, type, unit_id, ts, scenario, item_id, conversion_type, value,"
                    + " received_at) from stdin";

    /** A body of work run by each of several threads at once. */
    interface Task {
        void run() throws Exception;
    }

    private PlainCopy() {}

    /** Batches [first, first + count) of {@code size} rows as COPY text. */
    static List<byte[]> batches(EventRows rows, long first, int count, int size) {
        String received = Instant.now().toString();
        List<byte[]> bodies = new ArrayList<>(count);
        for (long b = first; b < first + count; b++) {
            bodies.add(rows.copyText(b, size, received).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /**
     * COPYs the batches into {@code table} from {@code threads} connections until they are done or
     * the deadline ({@link System#nanoTime}) passes; the rows copied.
     */
    static long copy(String jdbcUrl, List<byte[]> batches, String table, int threads, long deadline)
            throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong copied = new AtomicLong();
        inThreads(
                threads,
                () -> {
                    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                        long b;
                        while ((b = next.getAndIncrement()) < batches.size()
                                && System.nanoTime() < deadline) {
                            copied.addAndGet(
                                    c.unwrap(PGConnection.class)
                                            .getCopyAPI()
                                            .copyIn(
                                                    "copy " + table + COLUMNS,
                                                    new ByteArrayInputStream(
                                                            batches.get((int) b))));
                        }
                    }
                });
        return copied.get();
    }

    /** Runs the task in {@code threads} threads at once and waits for all; the first failure. */
    static void inThreads(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    task.run();
                                    return null;
                                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
