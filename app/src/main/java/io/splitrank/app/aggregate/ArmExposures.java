package io.splitrank.app.aggregate;

/**
 * How many units were exposed to an arm (for the sample ratio mismatch check).
 *
 * @param armIndex the arm's position in the phase's arms
 * @param units exposed units
 */
public record ArmExposures(int armIndex, long units) {}
