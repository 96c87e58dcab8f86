package io.splitrank.stats;

/**
 * A treatment compared with the control. When it cannot be computed (zero variance, zero control
 * mean, n &lt; 2, an empty arm) {@code error} says why and every numeric part is {@code null}: the
 * module never returns NaN.
 *
 * @param estimate the lift Δ (relative or absolute)
 * @param standardError standard error of Δ
 * @param fixedHorizon Welch t test
 * @param sequential always-valid confidence sequence
 * @param bayesian posterior summary
 * @param adjustedPValue fixed-horizon p-value adjusted for multiple comparisons
 * @param error why the comparison cannot be computed, otherwise {@code null}
 */
public record Comparison(
        Double estimate,
        Double standardError,
        FixedHorizon fixedHorizon,
        Sequential sequential,
        Bayesian bayesian,
        Double adjustedPValue,
        String error) {

    /** A comparison that cannot be computed, with the reason. */
    public static Comparison failed(String error) {
        return new Comparison(null, null, null, null, null, null, error);
    }

    /**
     * Whether the numbers are present (named without "is" so that Jackson does not serialise it).
     */
    public boolean computed() {
        return error == null;
    }

    /** The same comparison with another adjusted p-value (ignored for a failed comparison). */
    public Comparison withAdjustedPValue(double adjusted) {
        if (!computed()) {
            return this;
        }
        return new Comparison(
                estimate, standardError, fixedHorizon, sequential, bayesian, adjusted, null);
    }
}
