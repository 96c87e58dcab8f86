package io.splitrank.experiments;

import java.util.List;
import java.util.Map;

/**
 * Assigns units to arms exactly as a GrowthBook SDK configured with the same experiment would: pure,
 * stateless and thread-safe.
 *
 * <ol>
 *   <li>The unit id is {@code attributes[hashAttribute]}, a string or a number (numbers are written the way
 *       JavaScript writes them, {@code 42}, {@code 1.5}). Missing, empty, zero or other types:
 *       {@link AssignmentReason#NO_HASH_ATTRIBUTE}.</li>
 *   <li>Layer: {@code hash("__" + layer, unitId, 1)} must lie in the layer range, else
 *       {@link AssignmentReason#NOT_IN_LAYER}.</li>
 *   <li>The targeting condition must match the attributes, else {@link AssignmentReason#CONDITION_FAILED}.</li>
 *   <li>{@code n = hash(phaseSeed, unitId, hashVersion)}; the arm is the bucket range containing {@code n}, else
 *       {@link AssignmentReason#NOT_COVERED}.</li>
 * </ol>
 */
public final class AssignmentEngine {

    /** Creates the (stateless) engine. */
    public AssignmentEngine() {
    }

    /** Assigns the unit described by {@code attributes} to an arm of {@code experiment}. */
    public Assignment assign(Experiment experiment, Map<String, ?> attributes) {
        return assign(experiment, attributes, Map.of());
    }

    /**
     * As {@link #assign(Experiment, Map)}, with GrowthBook saved groups for {@code $inGroup}/{@code $notInGroup}
     * conditions (group id to list of member values).
     */
    public Assignment assign(Experiment experiment, Map<String, ?> attributes, Map<String, ? extends List<?>> savedGroups) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * The unit id as GrowthBook would hash it, or null when the attribute is missing or unusable: a non-empty
     * string as is, a non-zero finite number formatted as JavaScript's {@code String(number)}.
     */
    public static String unitId(Object hashAttributeValue) {
        throw new UnsupportedOperationException("not yet");
    }
}
