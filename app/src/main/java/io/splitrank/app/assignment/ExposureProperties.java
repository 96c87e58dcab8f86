package io.splitrank.app.assignment;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the exposure recorder.
 *
 * @param bufferCapacity the most exposures waiting to be written; assignment answers 503 when it is
 *     full
 * @param batchSize the most exposures written in one batch
 * @param flushInterval how long the writer waits for a first exposure before it looks again
 */
@Validated
@ConfigurationProperties("splitrank.exposures")
public record ExposureProperties(
        @DefaultValue("200000") @Min(1) int bufferCapacity,
        @DefaultValue("5000") @Min(1) int batchSize,
        @DefaultValue("200ms") Duration flushInterval) {}
