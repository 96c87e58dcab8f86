package io.splitrank.app.aggregate;

import io.splitrank.app.BackgroundThreads;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The thread the {@link AttributionAggregator}'s scheduled passes run on: one, so that they run in
 * order.
 */
@Configuration(proxyBeanMethods = false)
class AggregatorConfiguration {

    static final String AGGREGATOR_SCHEDULER = "attributionScheduler";

    /**
     * A pass under way when the context closes completes. In the aggregator's lifecycle phase:
     * Spring stops a lifecycle bean's dependents first, and from a later phase the scheduler would
     * stop the aggregator before the web server.
     */
    @Bean(name = AGGREGATOR_SCHEDULER, defaultCandidate = false)
    ThreadPoolTaskScheduler attributionScheduler() {
        ThreadPoolTaskScheduler scheduler =
                BackgroundThreads.scheduler("attribution-aggregator", true, Duration.ofSeconds(30));
        scheduler.setPhase(AttributionAggregator.PHASE);
        return scheduler;
    }
}
