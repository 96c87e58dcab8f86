package io.splitrank.experiments;

/**
 * The hash of units in one experiment phase, {@code hash(phaseSeed, unitId, hashVersion)}, with the seed's
 * part of the FNV state computed once. Version 2 hashes {@code seed + unitId}, so the state after the seed is
 * the same for every unit and half of the work of a hash can be done when the phase starts rather than per
 * call. (Version 1 hashes {@code unitId + seed}; nothing can be carried over, and it is hashed in full.)
 *
 * <p>Immutable and thread-safe; build one per experiment phase with {@link #of(Experiment)}.
 */
public final class PhaseHasher {

    private final Experiment experiment;
    private final int seedState;

    private PhaseHasher(Experiment experiment) {
        this.experiment = experiment;
        int h = FnvHash.update(FnvHash.OFFSET_BASIS, experiment.seed());
        if (experiment.phase() > 1) {
            h = FnvHash.updateDecimal(FnvHash.update(h, ':'), experiment.phase());
        }
        this.seedState = h;
    }

    /** The hasher of the experiment's current phase. */
    public static PhaseHasher of(Experiment experiment) {
        return new PhaseHasher(experiment);
    }

    /** The experiment this hashes for. */
    public Experiment experiment() {
        return experiment;
    }

    /** The unit's hash in [0, 1); equal to {@link AssignmentEngine#bucket(Experiment, String)}. */
    public double bucket(CharSequence unitId) {
        if (experiment.hashVersion() == GrowthBookHash.V1) {
            return AssignmentEngine.bucket(experiment, unitId.toString());
        }
        return GrowthBookHash.fromV2Inner(FnvHash.update(seedState, unitId));
    }
}
