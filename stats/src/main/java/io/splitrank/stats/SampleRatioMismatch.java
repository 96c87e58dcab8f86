package io.splitrank.stats;

/**
 * Sample ratio mismatch check: Pearson's χ² goodness of fit of the units (or exposures) per arm
 * against the configured weights, with k − 1 degrees of freedom, flagged at p &lt; {@value
 * #THRESHOLD}.
 */
public final class SampleRatioMismatch {

    /** The p-value below which a mismatch is flagged. */
    public static final double THRESHOLD = 0.001;

    private SampleRatioMismatch() {}

    /**
     * @param units units (or exposures) per arm, non-negative
     * @param weights configured weights per arm, positive; normalised here
     * @return the p-value and the flag; a null p-value (no flag) when there are no units
     * @throws InvalidStatisticsException on mismatched lengths, fewer than two arms, a negative
     *     count or a non-positive weight
     */
    public static SrmResult test(long[] units, double[] weights) {
        if (units.length != weights.length) {
            throw new InvalidStatisticsException("weights", "one weight per arm is needed");
        }
        if (units.length < 2) {
            throw new InvalidStatisticsException("arms", "at least two arms are needed");
        }
        double total = 0;
        double weightTotal = 0;
        for (int i = 0; i < units.length; i++) {
            if (units[i] < 0) {
                throw new InvalidStatisticsException("arms[" + i + "].n", "must not be negative");
            }
            if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
                throw new InvalidStatisticsException("arms[" + i + "].weight", "must be positive");
            }
            total += units[i];
            weightTotal += weights[i];
        }
        if (total == 0) {
            return new SrmResult(null, false);
        }
        double chiSquare = 0;
        for (int i = 0; i < units.length; i++) {
            double expected = total * weights[i] / weightTotal;
            double deviation = units[i] - expected;
            chiSquare += deviation * deviation / expected;
        }
        double pValue = Distributions.chiSquareSurvival(chiSquare, units.length - 1);
        return new SrmResult(pValue, pValue < THRESHOLD);
    }
}
