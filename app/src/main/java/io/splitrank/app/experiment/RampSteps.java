package io.splitrank.app.experiment;

import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.convert.DurationStyle;

/** Reading a ramp step's minimum duration, as Spring Boot reads durations in its properties. */
final class RampSteps {

    private RampSteps() {}

    /** The step's minimum duration (0 when absent), or empty when it is not a valid duration. */
    static Optional<Duration> duration(ExperimentDocument.RampStep step) {
        if (step.minDuration() == null || step.minDuration().isBlank()) {
            return Optional.of(Duration.ZERO);
        }
        try {
            Duration d = DurationStyle.detectAndParse(step.minDuration().trim());
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
