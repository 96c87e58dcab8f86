package io.splitrank.app.ingest;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of event ingestion.
 *
 * @param maxBatch the largest batch {@code POST /api/v1/events} takes
 * @param maxAge timestamps older than this are refused (and the event log keeps partitions this far
 *     back)
 * @param maxFuture timestamps further ahead than this are refused
 */
@Validated
@ConfigurationProperties("splitrank.events")
public record EventProperties(
        @DefaultValue("10000") @Min(1) int maxBatch,
        @DefaultValue("90d") Duration maxAge,
        @DefaultValue("5m") Duration maxFuture) {}
