package io.splitrank.experiments;

import java.util.List;
import java.util.Map;

/**
 * Assigns units to arms exactly as a GrowthBook SDK configured with the same experiment would:
 * pure, stateless and thread-safe.
 *
 * <ol>
 *   <li>The unit id is {@code attributes[hashAttribute]}, a string or a number (numbers are written
 *       the way JavaScript writes them, {@code 42}, {@code 1.5}). Missing, empty, zero or other
 *       types: {@link AssignmentReason#NO_HASH_ATTRIBUTE}.
 *   <li>Layer: {@code hash("__" + layer, unitId, 1)} must lie in the layer range, else {@link
 *       AssignmentReason#NOT_IN_LAYER}.
 *   <li>The targeting condition must match the attributes, else {@link
 *       AssignmentReason#CONDITION_FAILED}.
 *   <li>{@code n = hash(phaseSeed, unitId, hashVersion)}; the arm is the bucket range containing
 *       {@code n}, else {@link AssignmentReason#NOT_COVERED}.
 * </ol>
 */
public final class AssignmentEngine {

    /** Creates the (stateless) engine. */
    public AssignmentEngine() {}

    /** Assigns the unit described by {@code attributes} to an arm of {@code experiment}. */
    public Assignment assign(Experiment experiment, Map<String, ?> attributes) {
        return assign(experiment, attributes, Map.of());
    }

    /**
     * As {@link #assign(Experiment, Map)}, with GrowthBook saved groups for {@code $inGroup}/{@code
     * $notInGroup} conditions (group id to list of member values).
     */
    public Assignment assign(
            Experiment experiment,
            Map<String, ?> attributes,
            Map<String, ? extends List<?>> savedGroups) {
        return assign(PhaseHasher.of(experiment), attributes, savedGroups);
    }

    /**
     * As {@link #assign(Experiment, Map, Map)}, with the phase's hasher built beforehand: the form
     * for a hot path that assigns many units to the same experiments (the seed's share of the hash
     * is then computed once).
     */
    public Assignment assign(
            PhaseHasher hasher,
            Map<String, ?> attributes,
            Map<String, ? extends List<?>> savedGroups) {
        Experiment experiment = hasher.experiment();
        String unitId =
                unitId(attributes == null ? null : attributes.get(experiment.hashAttribute()));
        if (unitId == null) {
            return Assignment.notInExperiment(experiment, null, AssignmentReason.NO_HASH_ATTRIBUTE);
        }
        double n = hasher.bucket(unitId);
        if (experiment.hasLayer()
                && !experiment
                        .layerRange()
                        .contains(GrowthBookHash.namespaceHash(unitId, experiment.layer()))) {
            return Assignment.notInExperiment(experiment, n, AssignmentReason.NOT_IN_LAYER);
        }
        if (!experiment.condition().isEmpty()
                && !ConditionEvaluator.evalCondition(
                        experiment.condition(), attributes, savedGroups)) {
            return Assignment.notInExperiment(experiment, n, AssignmentReason.CONDITION_FAILED);
        }
        int arm = BucketRanges.chooseArm(n, experiment.arms(), experiment.coverage());
        return arm < 0
                ? Assignment.notInExperiment(experiment, n, AssignmentReason.NOT_COVERED)
                : Assignment.assigned(experiment, arm, n);
    }

    /**
     * The unit's hash in the experiment's current phase, {@code hash(phaseSeed, unitId,
     * hashVersion)}, computed without building the phase seed string.
     */
    public static double bucket(Experiment experiment, String unitId) {
        return PhaseHasher.of(experiment).bucket(unitId);
    }

    /**
     * The unit id as GrowthBook would hash it, or null when the attribute is missing or unusable: a
     * non-empty string as is, a non-zero finite number formatted as JavaScript's {@code
     * String(number)}.
     */
    public static String unitId(Object hashAttributeValue) {
        if (hashAttributeValue instanceof String s) {
            return s.isEmpty() ? null : s;
        }
        if (hashAttributeValue instanceof Number number && JsValues.truthy(number)) {
            return JsValues.numberToString(number);
        }
        return null;
    }
}
