package io.splitrank.app.aggregate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Recomputes the per-arm sums exactly on a schedule ({@code
 * splitrank.aggregates.sums-recompute-interval}, default hourly), so that the rounding the
 * incremental passes accumulate never grows: it costs one read of the per-unit tables, about as
 * much as a report with capping.
 */
@Component
@ConditionalOnProperty(
        name = "splitrank.aggregates.enabled",
        havingValue = "true",
        matchIfMissing = true)
class ArmSumsRecomputation {

    private static final Logger log = LoggerFactory.getLogger(ArmSumsRecomputation.class);

    private final AttributionAggregator aggregator;

    ArmSumsRecomputation(AttributionAggregator aggregator) {
        this.aggregator = aggregator;
    }

    @Scheduled(
            fixedDelayString = "${splitrank.aggregates.sums-recompute-interval:1h}",
            initialDelayString = "${splitrank.aggregates.sums-recompute-interval:1h}")
    void recompute() {
        long started = System.nanoTime();
        aggregator.recomputeArmSums();
        log.info(
                "Recomputed the per-arm sums exactly in {} ms",
                (System.nanoTime() - started) / 1_000_000);
    }
}
