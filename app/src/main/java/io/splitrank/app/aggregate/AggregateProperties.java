package io.splitrank.app.aggregate;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the attribution aggregator.
 *
 * @param interval how often the aggregator attributes pending events and exposures
 * @param enabled whether it does so on its own (off: only on request)
 * @param nice the CPU priority (nice) of attribution's database session on the embedded database; 0
 *     keeps it
 */
@Validated
@ConfigurationProperties("splitrank.aggregates")
public record AggregateProperties(
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10") @Min(0) @Max(19) int nice) {}
