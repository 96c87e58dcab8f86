package io.splitrank.app.experiment;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * The experiment package's public commands for automatic actions (the ramp plan's watcher): advance
 * a plan's step, roll an experiment back, note a check's finding. Each is recorded in the audit log
 * with its actor, reason and evidence, and takes effect only if the experiment is still where the
 * caller saw it (same phase, same step), so a person's concurrent edit always wins.
 */
@Component
public class ExperimentRamps {

    /** The actor of automatic actions in the audit log and the coverage history. */
    public static final String ACTOR = "splitrank-ramp";

    private final ExperimentService service;

    ExperimentRamps(ExperimentService service) {
        this.service = service;
    }

    /**
     * Advances from {@code fromStep} to the next step; {@code units} are the phase's exposed units
     * now. False when the experiment moved on meanwhile.
     */
    public boolean advance(
            String key, int phase, int fromStep, long units, String reason, Object evidence) {
        try {
            return service.advanceRamp(key, phase, fromStep, units, ACTOR, reason, evidence);
        } catch (OptimisticLockingFailureException e) {
            // a person's edit or another node's action came first
            return false;
        }
    }

    /** Rolls back: coverage 0, experiment stopped. False when it is no longer running in phase. */
    public boolean rollback(String key, int phase, String reason, Object evidence) {
        try {
            return service.rollback(key, phase, ACTOR, reason, evidence);
        } catch (OptimisticLockingFailureException e) {
            return false;
        }
    }

    /**
     * Records the last check's finding on the plan, shown with the experiment, and the step's
     * starting units if they were not known yet.
     */
    public void note(String key, int phase, int step, long units, String reason) {
        service.noteRamp(key, phase, step, units, reason);
    }
}
