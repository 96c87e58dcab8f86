package io.splitrank.stats;

/**
 * One arm of an analysis. The first arm of a list is the control.
 *
 * @param key the arm's key, as reported back
 * @param weight the configured traffic weight, positive (weights need not sum to one)
 * @param statistics the arm's sufficient statistics
 */
public record ArmInput(String key, double weight, MetricStatistic statistics) {}
