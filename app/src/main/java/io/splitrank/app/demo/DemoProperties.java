package io.splitrank.app.demo;

import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the demo ({@code --demo}).
 *
 * @param enabled whether the demo's traffic runs
 * @param rate the simulated traffic's rank requests per second at most (0: as fast as it goes)
 * @param rampStep the minimum duration of each step of the demo experiments' ramp plans
 */
@Validated
@ConfigurationProperties("splitrank.demo")
public record DemoProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("20") @PositiveOrZero double rate,
        @DefaultValue("15s") Duration rampStep) {}
