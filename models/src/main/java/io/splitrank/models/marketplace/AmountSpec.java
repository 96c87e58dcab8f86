package io.splitrank.models.marketplace;

/**
 * The purchase amount of a valued conversion: log-normal with {@code log A ~ N(logMean + π_ad +
 * wealthWeight·w_user + affinityWeight·a(user, ad), logSd²)}.
 *
 * @param logMean μ_0, the intercept of the log amount
 * @param logSd σ_A, the standard deviation of the log amount given user and ad
 * @param wealthWeight β_w, the weight of the user's hidden wealth
 * @param affinityWeight β_a, the weight of the shared user-ad affinity
 */
public record AmountSpec(double logMean, double logSd, double wealthWeight, double affinityWeight) {

    public AmountSpec {
        if (!(logSd > 0)) {
            throw new IllegalArgumentException("logSd must be positive");
        }
    }
}
