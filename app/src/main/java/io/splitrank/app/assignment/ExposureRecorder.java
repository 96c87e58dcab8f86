package io.splitrank.app.assignment;

import io.splitrank.app.problem.DependencyUnavailableException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records first exposures without slowing assignment: calls put them in a bounded buffer, and one
 * writer thread inserts them in batches with {@code ON CONFLICT DO NOTHING}, so the first exposure
 * of a unit to a phase wins and repeats cost nothing. A batch that fails is retried, not dropped;
 * when the buffer is full (the database has been down for a while) assignment answers 503 rather
 * than losing exposures. The buffer is flushed on shutdown.
 */
@Component
public class ExposureRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExposureRecorder.class);
    private static final String INSERT =
            "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at)"
                    + " values (?, ?, ?, ?, ?) on conflict do nothing";
    private static final int RECENT_CAPACITY = 1_000_000;

    /**
     * {@link #INSERT} for a whole list at once (in list order, so the first of two equal keys
     * wins), answering the rows it wrote. Times travel as ISO-8601 text, so that no time zone is
     * involved.
     */
    private static final String INSERT_RETURNING =
            "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at)"
                    + " select e, p, u, a, t from unnest(?::bigint[], ?::integer[], ?::text[],"
                    + " ?::integer[], ?::text[]::timestamptz[]) with ordinality as x(e, p, u, a, t, n)"
                    + " order by n on conflict do nothing returning experiment_id, phase, unit_id";

    /**
     * The lowest phase: stops after the web server (no new exposures), before the data source
     * closes.
     */
    static final int PHASE = 0;

    private final JdbcTemplate jdbc;
    private final BlockingQueue<Exposure> buffer;
    private final int batchSize;
    private final Duration flushInterval;

    /** Exposures already written or queued: repeats of them skip the buffer. */
    private final Set<Exposure.Key> recent = ConcurrentHashMap.newKeySet();

    /**
     * Fair, so that a flush waiting for the writer thread gets its turn as soon as the writer lets
     * go.
     */
    private final ReentrantLock writeLock = new ReentrantLock(true);

    /**
     * A failed batch is retried after 100 ms, then after twice as long each time, up to 5 s; a
     * round ends after 20 retries (about 75 s) and the next one begins, so the batch is never
     * dropped.
     */
    private final RetryTemplate retry =
            new RetryTemplate(
                    RetryPolicy.builder()
                            .includes(RuntimeException.class)
                            .maxRetries(20)
                            .delay(Duration.ofMillis(100))
                            .multiplier(2)
                            .maxDelay(Duration.ofSeconds(5))
                            .build());

    private final AsyncTaskExecutor writerThread;
    private volatile boolean running;
    private Future<?> writer;

    ExposureRecorder(
            JdbcTemplate jdbc,
            ExposureProperties properties,
            @Qualifier(ExposureWriterConfiguration.EXPOSURE_WRITER)
                    AsyncTaskExecutor writerThread) {
        this.jdbc = jdbc;
        this.buffer = new ArrayBlockingQueue<>(properties.bufferCapacity());
        this.batchSize = properties.batchSize();
        this.flushInterval = properties.flushInterval();
        this.writerThread = writerThread;
    }

    /** One exposure of a unit to an experiment phase. */
    public record Exposure(long experimentId, int phase, String unitId, int armIndex, Instant at) {
        Key key() {
            return new Key(experimentId, phase, unitId);
        }

        record Key(long experimentId, int phase, String unitId) {}
    }

    /** Queues an exposure; 503 when the buffer is full. */
    public void record(Exposure exposure) {
        Exposure.Key key = exposure.key();
        if (recent.contains(key)) {
            return;
        }
        if (!buffer.offer(exposure)) {
            throw new DependencyUnavailableException(
                    "exposure log is backed up (database unavailable?); retry later");
        }
        if (recent.size() >= RECENT_CAPACITY) {
            recent.clear();
        }
        recent.add(key);
    }

    /**
     * Writes exposures now, in one statement, with the same first-exposure-wins rule as {@link
     * #record}: for exposures that come with their own time (a client's tracking callback). Returns
     * whether each was new; one whose unit already had an exposure to that phase (or that repeats
     * an earlier one of the list) is left alone. Throws when the database is unavailable, having
     * written none of them.
     */
    public boolean[] recordNow(List<Exposure> exposures) {
        boolean[] inserted = new boolean[exposures.size()];
        if (exposures.isEmpty()) {
            return inserted;
        }
        Long[] experiments = new Long[exposures.size()];
        Integer[] phases = new Integer[exposures.size()];
        String[] units = new String[exposures.size()];
        Integer[] arms = new Integer[exposures.size()];
        String[] times = new String[exposures.size()];
        Map<Exposure.Key, Integer> first = new HashMap<>();
        for (int i = 0; i < exposures.size(); i++) {
            Exposure x = exposures.get(i);
            first.putIfAbsent(x.key(), i);
            experiments[i] = x.experimentId();
            phases[i] = x.phase();
            units[i] = x.unitId();
            arms[i] = x.armIndex();
            times[i] = x.at().toString();
        }
        List<Exposure.Key> written =
                jdbc.query(
                        con -> {
                            var ps = con.prepareStatement(INSERT_RETURNING);
                            ps.setArray(1, con.createArrayOf("bigint", experiments));
                            ps.setArray(2, con.createArrayOf("integer", phases));
                            ps.setArray(3, con.createArrayOf("text", units));
                            ps.setArray(4, con.createArrayOf("integer", arms));
                            ps.setArray(5, con.createArrayOf("text", times));
                            return ps;
                        },
                        (rs, n) -> new Exposure.Key(rs.getLong(1), rs.getInt(2), rs.getString(3)));
        for (Exposure.Key key : written) {
            Integer i = first.get(key);
            if (i != null) {
                inserted[i] = true;
            }
        }
        if (recent.size() + first.size() >= RECENT_CAPACITY) {
            recent.clear();
        }
        recent.addAll(first.keySet());
        return inserted;
    }

    /** Writes everything queued so far; returns when it is committed. */
    public void flush() {
        List<Exposure> batch = new ArrayList<>(batchSize);
        writeLock.lock();
        try {
            while (buffer.drainTo(batch, batchSize) > 0) {
                write(batch);
                batch.clear();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void runWriter() {
        List<Exposure> batch = new ArrayList<>(batchSize);
        while (running || !buffer.isEmpty()) {
            try {
                // the lock is held from taking exposures out of the buffer until they are
                // committed, so that
                // flush() never returns while some of them are in this thread's hands only
                writeLock.lock();
                try {
                    Exposure first = buffer.poll(flushInterval.toMillis(), TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        buffer.drainTo(batch, batchSize - 1);
                        writeWithRetry(batch);
                        batch.clear();
                    }
                } finally {
                    writeLock.unlock();
                }
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    log.error("{} exposures were not written: {}", batch.size(), e.getMessage());
                }
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeWithRetry(List<Exposure> batch) throws InterruptedException {
        while (true) {
            try {
                retry.execute(
                        () -> {
                            try {
                                write(batch);
                                return null;
                            } catch (RuntimeException e) {
                                log.warn(
                                        "Writing {} exposures failed, retrying: {}",
                                        batch.size(),
                                        e.toString());
                                throw e;
                            }
                        });
                return;
            } catch (RetryException e) {
                if (e.getCause() instanceof InterruptedException
                        || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException(
                            "interrupted while retrying " + batch.size() + " exposures");
                }
                // a round of retries is over: the batch stays in hand, and the next round begins
            }
        }
    }

    private void write(List<Exposure> batch) {
        jdbc.batchUpdate(
                INSERT,
                batch,
                batch.size(),
                (ps, x) -> {
                    ps.setLong(1, x.experimentId());
                    ps.setInt(2, x.phase());
                    ps.setString(3, x.unitId());
                    ps.setInt(4, x.armIndex());
                    ps.setTimestamp(5, Timestamp.from(x.at()));
                });
    }

    @Override
    public void start() {
        running = true;
        writer = writerThread.submit(this::runWriter);
    }

    /**
     * Drains the buffer: the writer thread finishes what is queued (retrying failed batches for up
     * to 30 s), then whatever is left is written here. Runs in the lowest lifecycle phase, after
     * the web server's graceful shutdown (no request can queue more) and before the data source and
     * the embedded database close (they are destroyed after every lifecycle bean has stopped).
     */
    @Override
    public void stop() {
        running = false;
        if (writer != null) {
            try {
                writer.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                log.warn("The exposure writer failed: {}", e.toString());
            } catch (TimeoutException e) {
                // still retrying a batch against a database that is down: stop it, or the flush
                // below would wait for its lock for ever and the JVM would never exit
                log.warn("The exposure writer did not finish within 30 s; interrupting it");
                writer.cancel(true);
            }
        }
        int pending = buffer.size();
        try {
            flush();
        } catch (RuntimeException e) {
            log.error(
                    "Up to {} buffered exposures could not be written at shutdown (database"
                            + " unavailable): {}",
                    pending,
                    e.toString());
            return;
        }
        log.info("Exposure buffer drained");
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
