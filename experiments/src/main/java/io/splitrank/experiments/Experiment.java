package io.splitrank.experiments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An experiment as the assignment engine sees it: how units are hashed, which arms they can land
 * in, the layer slice and targeting that admit them, and the current phase. Immutable and validated
 * on construction; use {@link #builder(String)} for the defaults.
 *
 * <p><b>Phases.</b> Changing anything that decides which arm a unit gets (see {@link PhaseChange})
 * starts a new phase, and each phase hashes with its own seed, {@link #phaseSeed()}: phase 1 uses
 * {@code seed}, phase {@code p > 1} uses {@code seed + ":" + p}. Units are therefore reshuffled
 * between phases and results are kept per phase. SDK clients must be given {@code phaseSeed()}, not
 * {@code seed}, as GrowthBook's {@code seed}.
 *
 * @param key stable identifier
 * @param seed hashing seed of phase 1; null or blank defaults to {@code key}
 * @param hashAttribute the attribute that identifies the unit; null or blank defaults to {@code
 *     userId}
 * @param hashVersion GrowthBook hash version, 1 or 2 (the builder defaults to 2)
 * @param coverage share of eligible units that enter the experiment, in [0, 1]
 * @param arms at least two arms with unique keys and weights summing to 1 (within 0.99..1.01, as
 *     GrowthBook tolerates); the first is the control
 * @param layer the layer (GrowthBook namespace) this experiment lives in, or null
 * @param layerRange the experiment's slice of the layer; non-null exactly when {@code layer} is
 * @param condition targeting condition in GrowthBook's condition language; null becomes empty
 *     (everyone). Deep-copied and unmodifiable.
 * @param phase current phase, from 1
 */
public record Experiment(
        String key,
        String seed,
        String hashAttribute,
        int hashVersion,
        double coverage,
        List<Arm> arms,
        String layer,
        LayerRange layerRange,
        Map<String, Object> condition,
        int phase) {

    /** The default {@link #hashAttribute()}. */
    public static final String DEFAULT_HASH_ATTRIBUTE = "userId";

    /**
     * Applies defaults and validates; throws {@link IllegalArgumentException} with a field-level
     * message.
     */
    public Experiment {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key must not be blank");
        }
        if (seed == null || seed.isBlank()) {
            seed = key;
        }
        if (hashAttribute == null || hashAttribute.isBlank()) {
            hashAttribute = DEFAULT_HASH_ATTRIBUTE;
        }
        if (!GrowthBookHash.isSupportedVersion(hashVersion)) {
            throw new IllegalArgumentException("hashVersion must be 1 or 2, was " + hashVersion);
        }
        if (!(coverage >= 0 && coverage <= 1)) {
            throw new IllegalArgumentException("coverage must be in [0, 1], was " + coverage);
        }
        arms = validateArms(arms);
        if (layer != null && layer.isBlank()) {
            layer = null;
        }
        if ((layer == null) != (layerRange == null)) {
            throw new IllegalArgumentException("layer and layerRange must be given together");
        }
        condition = condition == null ? Map.of() : ConditionTrees.immutableCopy(condition);
        if (phase < 1) {
            throw new IllegalArgumentException("phase must be at least 1, was " + phase);
        }
    }

    /**
     * A builder with the defaults: seed = key, hashAttribute = userId, hashVersion 2, coverage 1,
     * phase 1.
     */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** A builder initialised with this experiment's values. */
    public Builder toBuilder() {
        return new Builder(key)
                .seed(seed)
                .hashAttribute(hashAttribute)
                .hashVersion(hashVersion)
                .coverage(coverage)
                .arms(arms)
                .layer(layer, layerRange)
                .condition(condition)
                .phase(phase);
    }

    /**
     * The seed units are hashed with in the current phase: {@code seed} in phase 1, {@code seed +
     * ":" + phase} afterwards. This is the value to export to SDK clients as GrowthBook's
     * experiment {@code seed}.
     */
    public String phaseSeed() {
        return phase == 1 ? seed : seed + ":" + phase;
    }

    /** The arms' weights, in arm order (GrowthBook's {@code weights}). */
    public List<Double> weights() {
        return arms.stream().map(Arm::weight).toList();
    }

    /** The control arm (the first). */
    public Arm control() {
        return arms.get(0);
    }

    /**
     * The hash ranges of the arms at the current coverage (GrowthBook's {@code getBucketRanges}).
     */
    public List<BucketRange> bucketRanges() {
        return BucketRanges.getBucketRange(arms.size(), coverage, weights());
    }

    /** Index of the arm with this key, or -1. */
    public int armIndex(String armKey) {
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).key().equals(armKey)) {
                return i;
            }
        }
        return -1;
    }

    /** True when the experiment is restricted to a slice of a layer. */
    public boolean hasLayer() {
        return layer != null;
    }

    /**
     * True when both experiments are in the same layer and their layer ranges overlap, i.e. they
     * could share a unit. The platform refuses such a pair; experiments in different layers (or in
     * none) never conflict.
     */
    public boolean overlapsInLayer(Experiment other) {
        return layer != null && layer.equals(other.layer) && layerRange.overlaps(other.layerRange);
    }

    /** A copy with another coverage (ramping does not start a new phase). */
    public Experiment withCoverage(double newCoverage) {
        return toBuilder().coverage(newCoverage).build();
    }

    /** A copy in another phase. */
    public Experiment withPhase(int newPhase) {
        return toBuilder().phase(newPhase).build();
    }

    private static List<Arm> validateArms(List<Arm> arms) {
        if (arms == null || arms.size() < 2) {
            throw new IllegalArgumentException(
                    "arms must hold a control and at least one treatment");
        }
        Set<String> keys = new HashSet<>();
        double total = 0;
        for (Arm arm : arms) {
            if (arm == null) {
                throw new IllegalArgumentException("arms must not contain null");
            }
            if (!keys.add(arm.key())) {
                throw new IllegalArgumentException("arms: duplicate arm key " + arm.key());
            }
            total += arm.weight();
        }
        if (total < 0.99 || total > 1.01) {
            throw new IllegalArgumentException("arms: weights must sum to 1, was " + total);
        }
        return List.copyOf(arms);
    }

    /** Mutable builder for {@link Experiment}; {@link #build()} validates. */
    public static final class Builder {
        private final String key;
        private String seed;
        private String hashAttribute = DEFAULT_HASH_ATTRIBUTE;
        private int hashVersion = GrowthBookHash.V2;
        private double coverage = 1;
        private List<Arm> arms = new ArrayList<>();
        private String layer;
        private LayerRange layerRange;
        private Map<String, Object> condition = Map.of();
        private int phase = 1;

        private Builder(String key) {
            this.key = key;
        }

        /** Sets the phase-1 seed; null means the key. */
        public Builder seed(String value) {
            this.seed = value;
            return this;
        }

        /** Sets the attribute identifying the unit. */
        public Builder hashAttribute(String value) {
            this.hashAttribute = value;
            return this;
        }

        /** Sets the GrowthBook hash version (1 or 2). */
        public Builder hashVersion(int value) {
            this.hashVersion = value;
            return this;
        }

        /** Sets the coverage in [0, 1]. */
        public Builder coverage(double value) {
            this.coverage = value;
            return this;
        }

        /** Replaces the arms; the first is the control. */
        public Builder arms(List<Arm> value) {
            this.arms = new ArrayList<>(value);
            return this;
        }

        /** Appends an arm. */
        public Builder arm(String armKey, String model, double weight) {
            this.arms.add(new Arm(armKey, armKey, model, weight));
            return this;
        }

        /**
         * Places the experiment in a slice of a layer; {@code (null, null)} removes it from any
         * layer.
         */
        public Builder layer(String layerName, LayerRange range) {
            this.layer = layerName;
            this.layerRange = range;
            return this;
        }

        /** Sets the targeting condition; null or empty targets everyone. */
        public Builder condition(Map<String, ?> value) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cast = (Map<String, Object>) value;
            this.condition = cast;
            return this;
        }

        /** Sets the phase (from 1). */
        public Builder phase(int value) {
            this.phase = value;
            return this;
        }

        /** Builds and validates the experiment. */
        public Experiment build() {
            return new Experiment(
                    key,
                    seed,
                    hashAttribute,
                    hashVersion,
                    coverage,
                    arms,
                    layer,
                    layerRange,
                    condition,
                    phase);
        }
    }
}
