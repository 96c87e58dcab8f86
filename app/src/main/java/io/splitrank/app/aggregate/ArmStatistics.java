package io.splitrank.app.aggregate;

/**
 * One arm's statistics for one metric.
 *
 * @param armIndex the arm's position in the phase's arms (0 = control)
 * @param statistics the sufficient statistics; their kind is the metric's
 */
public record ArmStatistics(int armIndex, SufficientStatistics statistics) {
}
