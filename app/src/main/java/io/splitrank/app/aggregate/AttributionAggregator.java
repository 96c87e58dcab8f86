package io.splitrank.app.aggregate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.splitrank.app.database.SessionPriority;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Attributes events to the experiment arms their units were exposed to, asynchronously: every
 * {@code splitrank.aggregates.interval} it takes the committed events and first exposures that are
 * still pending and folds their pairs into the per-unit tables ({@link AttributionSql}). Running
 * apart from ingestion is what lets an event arrive before its unit's buffered exposure is written
 * and still count. One pass at a time, across nodes too (a table lock taken before the snapshot).
 * Public so that a report (or a test) can ask for an immediate pass and an admin for a rebuild.
 */
@Component
public class AttributionAggregator implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AttributionAggregator.class);

    /** Stops before the exposure recorder (phase 0), which stops before the data source closes. */
    static final int PHASE = 1;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final HikariDataSource ownPool;
    private final SessionPriority localProcesses;
    private final int nice;
    private int renicedPid;
    private boolean reniceFailed;
    private final Duration interval;
    private final boolean enabled;
    private final ReentrantLock passLock = new ReentrantLock();

    /** Where a pass spends its time, logged at debug level (only touched under passLock). */
    private final StepTimes steps = new StepTimes();

    private final TaskScheduler scheduler;
    private ScheduledFuture<?> passes;
    private volatile boolean running;

    /**
     * What one pass or rebuild did.
     *
     * @param batches ingest batches attributed
     * @param exposures first exposures attributed
     * @param pairs (event, exposure) pairs added to the per-unit sums
     */
    public record PassResult(long batches, long exposures, long pairs) {}

    AttributionAggregator(
            DataSource dataSource,
            ObjectProvider<SessionPriority> localProcesses,
            AggregateProperties properties,
            @Qualifier(AggregatorConfiguration.AGGREGATOR_SCHEDULER) TaskScheduler scheduler) {
        this.ownPool = dataSource instanceof HikariDataSource shared ? ownConnection(shared) : null;
        DataSource connection = ownPool == null ? dataSource : ownPool;
        this.jdbc = new JdbcTemplate(connection);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(connection));
        transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.interval = properties.interval();
        this.enabled = properties.enabled();
        this.localProcesses = ownPool == null ? null : localProcesses.getIfAvailable();
        this.nice = properties.nice();
        this.scheduler = scheduler;
    }

    /**
     * The aggregator's own connection, so that its database session can run at a lower priority
     * than the pool's (and never holds one of the pool's connections for a long pass).
     */
    private static HikariDataSource ownConnection(HikariDataSource shared) {
        HikariConfig config = new HikariConfig();
        shared.copyStateTo(config);
        config.addDataSourceProperty("ApplicationName", "splitrank-aggregator");
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setPoolName("splitrank-aggregator");
        return new HikariDataSource(config);
    }

    /**
     * Starts a pass, a rebuild or a recomputation: one at a time, across nodes too. The table lock
     * is the transaction's first statement, and LOCK takes no snapshot, so the repeatable-read
     * snapshot that follows already sees everything the previous holder committed.
     */
    private void begin() {
        jdbc.execute("lock table agg_progress in share row exclusive mode");
        jdbc.execute("set local jit = off");
        // parallel workers are the postmaster's children at normal priority: keep the work in this
        // session
        jdbc.execute("set local max_parallel_workers_per_gather = 0");
        deprioritise();
    }

    /**
     * With the embedded database, lowers the CPU priority of the aggregator's backend ({@code
     * splitrank.aggregates.nice}, 0 to keep it): when ingestion and attribution compete for the
     * cores, the requests waiting for an acknowledgement go first and attribution catches up after.
     */
    private void deprioritise() {
        if (localProcesses == null || nice <= 0 || reniceFailed) {
            return;
        }
        int pid = jdbc.queryForObject("select pg_backend_pid()", Integer.class);
        if (pid != renicedPid) {
            if (localProcesses.lower(pid, nice)) {
                renicedPid = pid;
                log.info(
                        "Attribution runs its database session (backend {}) at nice {}", pid, nice);
            } else {
                reniceFailed = true;
                log.warn(
                        "Could not lower the priority of the attribution session; it runs at normal priority");
            }
        }
    }

    /**
     * Attributes everything committed and pending now; returns when the result is committed. An
     * event acknowledged before this call is in the aggregates after it, provided its unit's
     * exposure was written (flush the exposure recorder first to be sure).
     */
    public PassResult processNow() {
        passLock.lock();
        try {
            return transaction.execute(
                    status -> {
                        begin();
                        List<Long> ids = new ArrayList<>();
                        Timestamp[] range = new Timestamp[2];
                        jdbc.query(
                                "select batch_id, min_ts, max_ts from event_batch_pending",
                                rs -> {
                                    ids.add(rs.getLong(1));
                                    Timestamp min = rs.getTimestamp(2);
                                    Timestamp max = rs.getTimestamp(3);
                                    range[0] =
                                            range[0] == null || min.before(range[0])
                                                    ? min
                                                    : range[0];
                                    range[1] =
                                            range[1] == null || max.after(range[1])
                                                    ? max
                                                    : range[1];
                                });
                        long exposures =
                                jdbc.queryForObject(
                                        "select count(*) from exposure_pending", Long.class);
                        if (ids.isEmpty() && exposures == 0) {
                            return new PassResult(0, 0, 0);
                        }
                        Long[] batchIds = ids.toArray(Long[]::new);
                        steps.start();
                        jdbc.execute(AttributionSql.WINDOWS);
                        jdbc.execute(AttributionSql.CREATE_PAIRS);
                        if (!ids.isEmpty()) {
                            jdbc.update(
                                    con -> {
                                        PreparedStatement ps =
                                                con.prepareStatement(
                                                        AttributionSql.NEW_EVENT_PAIRS);
                                        ps.setArray(1, con.createArrayOf("bigint", batchIds));
                                        ps.setTimestamp(2, range[0]);
                                        ps.setTimestamp(3, range[1]);
                                        return ps;
                                    });
                            steps.lap("event pairs");
                        }
                        if (exposures > 0) {
                            ArmSums.addPendingExposures(jdbc);
                            jdbc.update(
                                    con -> {
                                        PreparedStatement ps =
                                                con.prepareStatement(
                                                        AttributionSql.NEW_EXPOSURE_PAIRS);
                                        ps.setArray(1, con.createArrayOf("bigint", batchIds));
                                        return ps;
                                    });
                        }
                        long pairs = fold(true);
                        steps.lap("progress");
                        // the same snapshot: exactly what the pairs were built from
                        jdbc.update(
                                con -> {
                                    PreparedStatement ps =
                                            con.prepareStatement(
                                                    "delete from event_batch_pending where batch_id = any(?)");
                                    ps.setArray(1, con.createArrayOf("bigint", batchIds));
                                    return ps;
                                });
                        jdbc.update("delete from exposure_pending");
                        steps.lap("clear pending");
                        steps.log(ids.size(), exposures, pairs);
                        return new PassResult(ids.size(), exposures, pairs);
                    });
        } finally {
            passLock.unlock();
        }
    }

    /**
     * Recomputes the per-unit tables from the event log and the exposures, for recovery (or after
     * an experiment's CUPED window changed). Gives the same numbers as the incremental passes.
     */
    public PassResult rebuild() {
        passLock.lock();
        try {
            PassResult result =
                    transaction.execute(
                            status -> {
                                begin();
                                jdbc.execute("truncate agg_unit, agg_unit_day");
                                jdbc.execute(AttributionSql.WINDOWS);
                                jdbc.execute(AttributionSql.CREATE_PAIRS);
                                jdbc.update(AttributionSql.REBUILD_PAIRS);
                                long pairs = fold(false);
                                ArmSums.recomputeAll(jdbc);
                                return new PassResult(0, 0, pairs);
                            });
            log.info("Rebuilt the aggregates from {} event-exposure pairs", result.pairs());
            return result;
        } finally {
            passLock.unlock();
        }
    }

    /**
     * Adds the pairs in pass_pair to the per-unit tables and, when {@code armSums}, moves the
     * per-arm sums from the changed units' old rows to their new ones.
     */
    private long fold(boolean armSums) {
        jdbc.execute("analyze pass_pair");
        long pairs = jdbc.queryForObject("select count(*) from pass_pair", Long.class);
        if (pairs > 0) {
            boolean lookups = false;
            if (armSums) {
                jdbc.execute(ArmSums.CREATE_PASS_UNITS);
                jdbc.execute("analyze pass_unit");
                jdbc.execute(ArmSums.CREATE_PASS_UNIT_TYPES);
                jdbc.execute("analyze pass_unit_type");
                lookups = ArmSums.lookups(jdbc);
                ArmSums.addPassContribution(jdbc, -1, lookups);
                steps.lap("arm sums out");
            }
            jdbc.update(AttributionSql.UPSERT_UNITS);
            steps.lap("upsert units");
            jdbc.update(AttributionSql.UPSERT_UNIT_DAYS);
            steps.lap("upsert unit days");
            if (armSums) {
                ArmSums.addPassContribution(jdbc, 1, lookups);
                steps.lap("arm sums in");
            }
        }
        jdbc.update(
                "update agg_progress set processed_at = now(), pairs = pairs + ? where id = 1",
                pairs);
        return pairs;
    }

    private void scheduledPass() {
        try {
            processNow();
        } catch (RuntimeException e) {
            // the pending rows stay; the next pass retries them
            log.warn("Attribution pass failed, retrying in {}: {}", interval, e.toString());
        }
    }

    /**
     * Recomputes every per-arm sum exactly from the per-unit tables. The passes move the sums by
     * subtracting old and adding new contributions in double precision, which drifts by rounding
     * over very many passes; this resets them ({@link ArmSumsRecomputation} runs it on a schedule).
     */
    public void recomputeArmSums() {
        passLock.lock();
        try {
            transaction.executeWithoutResult(
                    status -> {
                        begin();
                        ArmSums.recomputeAll(jdbc);
                    });
        } finally {
            passLock.unlock();
        }
    }

    /**
     * Recomputes the per-arm sums from the per-unit tables when they were built with another term
     * list (a new installation, an upgrade that changed the metric catalogue), before any report
     * reads them.
     */
    void ensureArmSums() {
        passLock.lock();
        try {
            transaction.executeWithoutResult(
                    status -> {
                        begin();
                        if (!ArmSums.current(jdbc)) {
                            ArmSums.recomputeAll(jdbc);
                            log.info(
                                    "Recomputed the per-arm sums from the per-unit aggregates ({} + {} terms)",
                                    ArmSums.TOTAL_TERMS.size(),
                                    ArmSums.TYPED_TERMS.size());
                        }
                    });
        } finally {
            passLock.unlock();
        }
    }

    @Override
    public void start() {
        ensureArmSums();
        running = true;
        if (enabled) {
            passes =
                    scheduler.scheduleWithFixedDelay(
                            this::scheduledPass, Instant.now().plus(interval), interval);
        }
    }

    /**
     * No further scheduled pass; returns when the one under way (if any) is committed, within 30
     * seconds.
     */
    @Override
    public void stop() {
        running = false;
        if (passes != null) {
            passes.cancel(false);
            passes = null;
            try {
                if (passLock.tryLock(30, TimeUnit.SECONDS)) {
                    passLock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void destroy() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Milliseconds per step of a pass, for the debug log: where attribution spends its time. */
    private static final class StepTimes {
        private final StringBuilder laps = new StringBuilder();
        private long started;
        private long last;

        void start() {
            laps.setLength(0);
            started = System.nanoTime();
            last = started;
        }

        void lap(String step) {
            if (log.isDebugEnabled()) {
                long now = System.nanoTime();
                laps.append(", ")
                        .append(step)
                        .append(' ')
                        .append((now - last) / 1_000_000)
                        .append(" ms");
                last = now;
            }
        }

        void log(long batches, long exposures, long pairs) {
            if (log.isDebugEnabled()) {
                log.debug(
                        "pass: {} batches, {} exposures, {} pairs in {} ms{}",
                        batches,
                        exposures,
                        pairs,
                        (System.nanoTime() - started) / 1_000_000,
                        laps);
            }
        }
    }
}
