package io.splitrank.app.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splitrank.experiments.Assignment;
import java.util.Locale;

/**
 * A unit's assignment in one experiment, as the API answers it.
 *
 * @param experiment the experiment key
 * @param phase the phase the unit was hashed in (0 when the experiment is not running)
 * @param inExperiment whether the unit is in the experiment
 * @param arm the arm key, when in
 * @param model the arm's ranking model, when in
 * @param bucket the unit's hash in [0, 1), when it has the hash attribute
 * @param reason why (assigned, not_running, no_hash_attribute, not_in_layer, condition_failed,
 *     not_covered)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentView(
        String experiment,
        int phase,
        boolean inExperiment,
        String arm,
        String model,
        Double bucket,
        String reason) {

    static AssignmentView of(Assignment a) {
        return new AssignmentView(
                a.experimentKey(),
                a.phase(),
                a.inExperiment(),
                a.armKey(),
                a.model(),
                a.bucket(),
                a.reason().name().toLowerCase(Locale.ROOT));
    }

    static AssignmentView notRunning(String key) {
        return new AssignmentView(key, 0, false, null, null, null, "not_running");
    }
}
