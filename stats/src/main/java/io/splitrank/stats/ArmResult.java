package io.splitrank.stats;

/**
 * Per-arm statistics and, for a treatment, its comparison with the control.
 *
 * @param key the arm's key
 * @param n number of units
 * @param mean the arm's (unadjusted) mean, or {@code null} for an empty arm
 * @param variance the arm's (unadjusted) per-unit variance, or {@code null} when n &lt; 2
 * @param comparison the comparison with the control; {@code null} for the control itself
 */
public record ArmResult(String key, long n, Double mean, Double variance, Comparison comparison) {}
