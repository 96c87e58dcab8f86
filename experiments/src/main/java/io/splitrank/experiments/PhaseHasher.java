package io.splitrank.experiments;

/**
 * The hash of units in one experiment phase, {@code hash(phaseSeed, unitId, hashVersion)}, with the
 * seed's part of the FNV state computed once. Version 2 hashes {@code seed + unitId}, so the state
 * after the seed is the same for every unit and half of the work of a hash can be done when the
 * phase starts rather than per call. (Version 1 hashes {@code unitId + seed}; nothing can be
 * carried over, and it is hashed in full.)
 *
 * <p>Immutable and thread-safe; build one per experiment phase with {@link #of(Experiment)}.
 */
public final class PhaseHasher {

    private final Experiment experiment;

    /** Version 2: the FNV state after the phase seed. */
    private final int seedState;

    private PhaseHasher(Experiment experiment) {
        this.experiment = experiment;
        this.seedState =
                experiment.hashVersion() == GrowthBookHash.V1
                        ? 0
                        : appendPhaseSeed(FnvHash.OFFSET_BASIS, experiment);
    }

    /**
     * Continues an FNV state with the phase seed, {@code seed} or {@code seed + ":" + phase},
     * without building it.
     */
    private static int appendPhaseSeed(int h, Experiment experiment) {
        h = FnvHash.update(h, experiment.seed());
        return experiment.phase() > 1
                ? FnvHash.updateDecimal(FnvHash.update(h, ':'), experiment.phase())
                : h;
    }

    /** The hasher of the experiment's current phase. */
    public static PhaseHasher of(Experiment experiment) {
        return new PhaseHasher(experiment);
    }

    /** The experiment this hashes for. */
    public Experiment experiment() {
        return experiment;
    }

    /**
     * The unit's hash in [0, 1); equal to {@code GrowthBookHash.hash(phaseSeed, unitId,
     * hashVersion)}.
     */
    public double bucket(CharSequence unitId) {
        if (experiment.hashVersion() == GrowthBookHash.V1) {
            return GrowthBookHash.fromV1(
                    appendPhaseSeed(FnvHash.update(FnvHash.OFFSET_BASIS, unitId), experiment));
        }
        return GrowthBookHash.fromV2Inner(FnvHash.update(seedState, unitId));
    }
}
