package io.splitrank.app.problem;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the REST API.
 *
 * @param maxBodyBytes the largest request body, in bytes; a larger one is refused with 413
 */
@Validated
@ConfigurationProperties("splitrank.api")
public record ApiProperties(@DefaultValue("5242880") @Min(1) long maxBodyBytes) {}
