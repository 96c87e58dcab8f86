package io.splitrank.app.report;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the reports.
 *
 * @param timeseriesRefresh the live report's daily series: past days are recomputed in the
 *     background at most this often (and a report served from its last computation is dropped once
 *     this old)
 * @param timeseriesWait the longest a report waits for its daily series (answering without the past
 *     days until they are ready)
 * @param slowReport a report that took longer than this to compute is served from its last
 *     computation
 * @param refreshAfter a report served from its last computation is recomputed in the background
 *     once this old (one computation per report at a time)
 * @param streamInterval how often the watched reports of the streams are recomputed (at least 1s)
 * @param streamHeartbeat a stream's idle heartbeat
 * @param streamTimeout a stream's lifetime
 * @param defaultCron when scheduled reports are written (Spring's six-field cron, UTC) for an
 *     experiment that sets no {@code analysis.reportCron}; an invalid one falls back to {@value
 *     #DEFAULT_CRON}
 * @param scheduleCheck how often the report schedules are checked
 * @param scheduleEnabled whether scheduled reports are written
 * @param webhookTimeout the webhook ({@code analysis.webhookUrl}): per-attempt timeout
 * @param webhookAttempts the webhook's attempts
 * @param webhookBackoff the webhook's wait before its second attempt, doubling before each further
 *     one
 * @param decisionCheck how often each running experiment's decision is checked (a change goes to
 *     the webhook) and its ramp plan followed
 * @param decisionsEnabled whether decisions are checked and ramp plans followed in the background
 * @param publicUrl prefix of the links in the webhook's summary, e.g. https://splitrank.example.com
 *     (empty: relative links)
 */
@Validated
@ConfigurationProperties("splitrank.reports")
public record ReportProperties(
        @DefaultValue("5m") Duration timeseriesRefresh,
        @DefaultValue("500ms") Duration timeseriesWait,
        @DefaultValue("1s") Duration slowReport,
        @DefaultValue("1s") Duration refreshAfter,
        @DefaultValue("1s") Duration streamInterval,
        @DefaultValue("15s") Duration streamHeartbeat,
        @DefaultValue("30m") Duration streamTimeout,
        @DefaultValue(DEFAULT_CRON) String defaultCron,
        @DefaultValue("1m") Duration scheduleCheck,
        @DefaultValue("true") boolean scheduleEnabled,
        @DefaultValue("3s") Duration webhookTimeout,
        @DefaultValue("3") @Min(1) int webhookAttempts,
        @DefaultValue("500ms") Duration webhookBackoff,
        @DefaultValue("10s") Duration decisionCheck,
        @DefaultValue("true") boolean decisionsEnabled,
        @DefaultValue("") String publicUrl) {

    /** Daily at 06:00 UTC. */
    static final String DEFAULT_CRON = "0 0 6 * * *";
}
