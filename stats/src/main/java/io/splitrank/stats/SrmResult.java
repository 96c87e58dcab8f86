package io.splitrank.stats;

/**
 * Sample ratio mismatch: χ² goodness of fit of units per arm against the configured weights.
 *
 * @param pValue p-value of the χ² test, or {@code null} when there are no units at all
 * @param mismatch whether p &lt; 0.001
 */
public record SrmResult(Double pValue, boolean mismatch) {}
