package io.splitrank.app.problem;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the REST API.
 *
 * @param maxBodyBytes the largest request body, in bytes; a larger one is refused with 413
 * @param rateLimit requests per second each API key may make (a key may set its own); more are
 *     refused with 429 and Retry-After
 */
@Validated
@ConfigurationProperties("splitrank.api")
public record ApiProperties(
        @DefaultValue("5242880") @Min(1) long maxBodyBytes,
        @DefaultValue("10000") @Min(1) int rateLimit) {}
