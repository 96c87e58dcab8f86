package io.splitrank.app.report;

import io.splitrank.app.experiment.ExperimentReadModel;
import io.splitrank.app.experiment.ExperimentSettings;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Scheduled reports. Each running experiment has a cron ({@code analysis.reportCron}, Spring's
 * six-field syntax, evaluated in UTC; default {@code splitrank.reports.default-cron}, daily at
 * 06:00). Every {@code splitrank.reports.schedule-check} (a minute) the scheduler looks at each
 * running experiment's row in {@code report_schedule}: a new experiment or a changed cron gets its
 * next run computed from now (no report is written at once); a due one is claimed by moving
 * next_run_at forward with a conditional update and its snapshot is written in the same
 * transaction. The state is in the database, so a restart neither skips a due report (it is written
 * at the first check after start) nor writes one twice, and two nodes never both write it. Runs
 * missed while the app was down are collapsed into one.
 */
@Component
class ReportScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReportScheduler.class);

    private final ExperimentReadModel settingsReader;
    private final ReportSnapshotWriter writer;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final String defaultCron;
    private final TaskScheduler ticker;
    private final Duration check;
    private final boolean enabled;
    private ScheduledFuture<?> checks;
    private volatile boolean running;

    ReportScheduler(
            ExperimentReadModel settingsReader,
            ReportSnapshotWriter writer,
            JdbcTemplate jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            ReportProperties properties,
            @Qualifier(ReportConfiguration.SCHEDULE_TICKER) TaskScheduler ticker) {
        this.settingsReader = settingsReader;
        this.writer = writer;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
        String defaultCron = properties.defaultCron();
        this.defaultCron =
                CronExpression.isValidExpression(defaultCron)
                        ? defaultCron
                        : ReportProperties.DEFAULT_CRON;
        this.ticker = ticker;
        this.check = properties.scheduleCheck();
        this.enabled = properties.scheduleEnabled();
    }

    @Override
    public void start() {
        running = true;
        if (enabled) {
            checks =
                    ticker.scheduleWithFixedDelay(
                            this::scheduledTick, Instant.now().plus(check), check);
        }
    }

    private void scheduledTick() {
        try {
            tick(clock.instant());
        } catch (RuntimeException e) {
            log.warn("report schedule check failed; retrying at the next check", e);
        }
    }

    /**
     * Checks every running experiment as of {@code now}; returns how many snapshots were written.
     */
    int tick(Instant now) {
        int written = 0;
        for (String key : settingsReader.runningKeys()) {
            try {
                if (check(key, now)) {
                    written++;
                }
            } catch (RuntimeException e) {
                log.warn("scheduled report of experiment {} failed; it stays due", key, e);
            }
        }
        return written;
    }

    /** The cron an experiment's reports follow: its own when valid, else the default. */
    String cronOf(ExperimentSettings settings) {
        String cron = settings.options().reportCron();
        if (cron == null) {
            return defaultCron;
        }
        if (!CronExpression.isValidExpression(cron)) {
            log.warn(
                    "experiment {} has an invalid reportCron '{}'; using '{}'",
                    settings.key(),
                    cron,
                    defaultCron);
            return defaultCron;
        }
        return cron;
    }

    /** Checks one experiment as of {@code now}; true when it wrote a scheduled snapshot. */
    boolean check(String key, Instant now) {
        ExperimentSettings settings = settingsReader.settings(key, null);
        String cronText = cronOf(settings);
        CronExpression cron = CronExpression.parse(cronText);
        Instant next = next(cron, now);
        List<Schedule> rows =
                jdbc.query(
                        "select cron, next_run_at from report_schedule where experiment_id = ?",
                        (rs, i) -> new Schedule(rs.getString(1), rs.getTimestamp(2).toInstant()),
                        settings.id());
        if (rows.isEmpty()) {
            jdbc.update(
                    "insert into report_schedule (experiment_id, cron, next_run_at) values (?, ?, ?)"
                            + " on conflict do nothing",
                    settings.id(),
                    cronText,
                    Timestamp.from(next));
            return false;
        }
        Schedule row = rows.get(0);
        if (!row.cron().equals(cronText)) {
            jdbc.update(
                    "update report_schedule set cron = ?, next_run_at = ? where experiment_id = ?",
                    cronText,
                    Timestamp.from(next),
                    settings.id());
            return false;
        }
        if (row.nextRunAt().isAfter(now)) {
            return false;
        }
        Boolean wrote =
                transaction.execute(
                        status -> {
                            int claimed =
                                    jdbc.update(
                                            "update report_schedule set next_run_at = ?, last_run_at = ?"
                                                    + " where experiment_id = ? and next_run_at = ?",
                                            Timestamp.from(next),
                                            Timestamp.from(now),
                                            settings.id(),
                                            Timestamp.from(row.nextRunAt()));
                            if (claimed != 1) {
                                return false;
                            }
                            writer.write(settings, "schedule", now);
                            return true;
                        });
        return Boolean.TRUE.equals(wrote);
    }

    private static Instant next(CronExpression cron, Instant now) {
        ZonedDateTime next = cron.next(now.atZone(ZoneOffset.UTC));
        // a cron that never fires again (e.g. a past date) parks the schedule far in the future
        return next == null ? now.plus(Duration.ofDays(3650)) : next.toInstant();
    }

    private record Schedule(String cron, Instant nextRunAt) {}

    /** No further check; one under way completes (its thread's shutdown waits for it). */
    @Override
    public void stop() {
        running = false;
        if (checks != null) {
            checks.cancel(false);
            checks = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
