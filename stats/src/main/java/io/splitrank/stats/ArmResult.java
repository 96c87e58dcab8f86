package io.splitrank.stats;

/**
 * Per-arm statistics and, for a treatment, its comparison with the control.
 *
 * @param key the arm's key
 * @param n number of units
 * @param mean the arm's (unadjusted) mean, the ratio for a ratio metric; {@code null} for an empty
 *     arm or a zero denominator
 * @param variance the arm's (unadjusted) per-unit variance s² (m(1 − m) for a proportion, the
 *     delta-method variance for a ratio), or {@code null} when it cannot be computed
 * @param comparison the comparison with the control; {@code null} for the control itself
 */
public record ArmResult(String key, long n, Double mean, Double variance, Comparison comparison) {}
