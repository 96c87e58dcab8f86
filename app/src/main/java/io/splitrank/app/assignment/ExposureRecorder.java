package io.splitrank.app.assignment;

import io.splitrank.app.problem.ApiProblemException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Records first exposures without slowing assignment: calls put them in a bounded buffer, and one
 * writer thread inserts them in batches with {@code ON CONFLICT DO NOTHING}, so the first exposure of
 * a unit to a phase wins and repeats cost nothing. A batch that fails is retried, not dropped; when
 * the buffer is full (the database has been down for a while) assignment answers 503 rather than
 * losing exposures. The buffer is flushed on shutdown.
 */
@Component
public class ExposureRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExposureRecorder.class);
    private static final String INSERT = "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at)"
            + " values (?, ?, ?, ?, ?) on conflict do nothing";
    private static final int RECENT_CAPACITY = 1_000_000;

    private final JdbcTemplate jdbc;
    private final BlockingQueue<Exposure> buffer;
    private final int batchSize;
    private final Duration flushInterval;
    /** Exposures already written or queued: repeats of them skip the buffer. */
    private final Set<Exposure.Key> recent = ConcurrentHashMap.newKeySet();
    /** Fair, so that a flush waiting for the writer thread gets its turn as soon as the writer lets go. */
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private volatile boolean running;
    private Thread writer;

    ExposureRecorder(JdbcTemplate jdbc,
            @Value("${splitrank.exposures.buffer-capacity}") int capacity,
            @Value("${splitrank.exposures.batch-size}") int batchSize,
            @Value("${splitrank.exposures.flush-interval}") Duration flushInterval) {
        this.jdbc = jdbc;
        this.buffer = new ArrayBlockingQueue<>(capacity);
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
    }

    /** One exposure of a unit to an experiment phase. */
    public record Exposure(long experimentId, int phase, String unitId, int armIndex, Instant at) {
        Key key() {
            return new Key(experimentId, phase, unitId);
        }

        record Key(long experimentId, int phase, String unitId) {
        }
    }

    /** Queues an exposure; 503 when the buffer is full. */
    public void record(Exposure exposure) {
        Exposure.Key key = exposure.key();
        if (recent.contains(key)) {
            return;
        }
        if (!buffer.offer(exposure)) {
            throw ApiProblemException.unavailable("exposure log is backed up (database unavailable?); retry later");
        }
        if (recent.size() >= RECENT_CAPACITY) {
            recent.clear();
        }
        recent.add(key);
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
                // the lock is held from taking exposures out of the buffer until they are committed, so that
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
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void writeWithRetry(List<Exposure> batch) throws InterruptedException {
        long backoff = 100;
        while (true) {
            try {
                write(batch);
                return;
            } catch (RuntimeException e) {
                log.warn("Writing {} exposures failed, retrying in {} ms: {}", batch.size(), backoff, e.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void write(List<Exposure> batch) {
        jdbc.batchUpdate(INSERT, batch, batch.size(), (ps, x) -> {
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
        writer = new Thread(this::runWriter, "exposure-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // lowest phase: stops after the web server (no new exposures), before the data source closes
        return 0;
    }
}
