package io.splitrank.app.report;

import io.splitrank.app.BackgroundThreads;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The reports' own threads, one per job, so that a slow report never delays the aggregator, the
 * exposure writer or another job of the reports.
 */
@Configuration(proxyBeanMethods = false)
class ReportConfiguration {

    static final String REFRESH_EXECUTOR = "reportRefreshExecutor";
    static final String SERIES_EXECUTOR = "reportSeriesExecutor";
    static final String STREAMS_TICKER = "reportStreamsTicker";
    static final String SCHEDULE_TICKER = "reportScheduleTicker";
    static final String WEBHOOK_EXECUTOR = "reportWebhookExecutor";
    static final String DECISION_TICKER = "reportDecisionTicker";

    /** Recomputes the slow reports served from their last computation. */
    @Bean(name = REFRESH_EXECUTOR, defaultCandidate = false)
    ThreadPoolTaskExecutor reportRefreshExecutor() {
        return BackgroundThreads.executor("report-refresh", Duration.ofSeconds(10));
    }

    /** Computes the live reports' daily series. */
    @Bean(name = SERIES_EXECUTOR, defaultCandidate = false)
    ThreadPoolTaskExecutor reportSeriesExecutor() {
        return BackgroundThreads.executor("report-series", Duration.ofSeconds(10));
    }

    /**
     * The report streams' rounds; they end when the context closes (the streams are completed
     * then).
     */
    @Bean(name = STREAMS_TICKER, defaultCandidate = false)
    ThreadPoolTaskScheduler reportStreamsTicker() {
        return BackgroundThreads.scheduler("report-streams", false, Duration.ofSeconds(5));
    }

    /**
     * The checks of the report schedules; a snapshot being written when the context closes is
     * completed.
     */
    @Bean(name = SCHEDULE_TICKER, defaultCandidate = false)
    ThreadPoolTaskScheduler reportScheduleTicker() {
        return BackgroundThreads.scheduler("report-scheduler", true, Duration.ofSeconds(30));
    }

    /** The decision checks and ramp plans; a check under way when the context closes completes. */
    @Bean(name = DECISION_TICKER, defaultCandidate = false)
    ThreadPoolTaskScheduler reportDecisionTicker() {
        return BackgroundThreads.scheduler("report-decisions", true, Duration.ofSeconds(30));
    }

    /** Calls the webhooks, off the threads that write the snapshots. */
    @Bean(name = WEBHOOK_EXECUTOR, defaultCandidate = false)
    ThreadPoolTaskExecutor reportWebhookExecutor() {
        return BackgroundThreads.executor("report-webhook", Duration.ofSeconds(10));
    }
}
