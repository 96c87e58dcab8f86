package io.splitrank.app.aggregate;

/**
 * Proportion of units with at least one occurrence (conversion_rate, conversion_rate:&lt;type&gt;).
 *
 * @param n exposed units
 * @param sum units with at least one occurrence
 * @param cuped X = 1 when the unit had an occurrence in the pre-exposure window; null unless asked
 */
public record ProportionSums(long n, double sum, CupedSums cuped) implements SufficientStatistics {
}
