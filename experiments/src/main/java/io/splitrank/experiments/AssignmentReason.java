package io.splitrank.experiments;

/** Why an {@link Assignment} came out the way it did; the checks run in this order. */
public enum AssignmentReason {
    /**
     * The hash attribute is missing, empty, zero or not a string or number (GrowthBook skips falsy
     * values).
     */
    NO_HASH_ATTRIBUTE,
    /**
     * The experiment sits in a layer and the unit's layer hash falls outside the experiment's layer
     * range.
     */
    NOT_IN_LAYER,
    /** The targeting condition does not match the unit's attributes. */
    CONDITION_FAILED,
    /** The unit's bucket falls outside every arm's covered range (coverage below 1). */
    NOT_COVERED,
    /** The unit is in the experiment and was given an arm. */
    ASSIGNED
}
