package io.splitrank.experiments;

/**
 * The outcome of {@link AssignmentEngine#assign}: which arm, if any, a unit gets in one phase of
 * one experiment.
 *
 * @param experimentKey the experiment's key
 * @param phase the experiment phase the assignment belongs to (results are per phase)
 * @param inExperiment true only when {@code reason} is {@link AssignmentReason#ASSIGNED}
 * @param armIndex index into {@link Experiment#arms()}, or -1 when not in the experiment
 * @param armKey the arm's key, or null when not in the experiment
 * @param model the arm's model, or null when not in the experiment
 * @param bucket the unit's hash {@code n = hash(phaseSeed, unitId, hashVersion)} in [0, 1), or null
 *     when the unit has no usable hash attribute
 * @param reason why the unit is (not) in the experiment
 */
public record Assignment(
        String experimentKey,
        int phase,
        boolean inExperiment,
        int armIndex,
        String armKey,
        String model,
        Double bucket,
        AssignmentReason reason) {

    /** Builds the "not in the experiment" outcome for the given reason. */
    public static Assignment notInExperiment(
            Experiment experiment, Double bucket, AssignmentReason reason) {
        return new Assignment(
                experiment.key(), experiment.phase(), false, -1, null, null, bucket, reason);
    }

    /** Builds the "assigned to arm {@code armIndex}" outcome. */
    public static Assignment assigned(Experiment experiment, int armIndex, double bucket) {
        Arm arm = experiment.arms().get(armIndex);
        return new Assignment(
                experiment.key(),
                experiment.phase(),
                true,
                armIndex,
                arm.key(),
                arm.model(),
                bucket,
                AssignmentReason.ASSIGNED);
    }
}
