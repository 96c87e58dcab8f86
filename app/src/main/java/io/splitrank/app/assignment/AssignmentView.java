package io.splitrank.app.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.splitrank.experiments.Assignment;
import java.util.Locale;

/**
 * A unit's assignment in one experiment, as the API answers it.
 *
 * @param experiment the experiment key
 * @param phase the phase the unit was hashed in (absent when the experiment is not running)
 * @param inExperiment whether the unit is in the experiment
 * @param arm the arm key, when in
 * @param model the arm's ranking model, when in
 * @param bucket the unit's hash in [0, 1), when it has the hash attribute
 * @param reason why (assigned, no_hash_attribute, not_in_layer, condition_failed, not_covered;
 *     draft, stopped or archived when the experiment is not running)
 * @param status the experiment's status when it is not running (draft, stopped, archived)
 * @param message what a client should do when the experiment is not running
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentView(
        String experiment,
        Integer phase,
        boolean inExperiment,
        String arm,
        String model,
        Double bucket,
        String reason,
        String status,
        String message) {

    static AssignmentView of(Assignment a) {
        return new AssignmentView(
                a.experimentKey(),
                a.phase(),
                a.inExperiment(),
                a.armKey(),
                a.model(),
                a.bucket(),
                a.reason().name().toLowerCase(Locale.ROOT),
                null,
                null);
    }

    /** The answer for an experiment that exists but is not running: no unit is in it. */
    static AssignmentView notRunning(String key, String status) {
        return new AssignmentView(
                key,
                null,
                false,
                null,
                null,
                null,
                status,
                status,
                "experiment "
                        + key
                        + " is "
                        + status
                        + ": no unit is assigned or exposed; serve the control");
    }
}
