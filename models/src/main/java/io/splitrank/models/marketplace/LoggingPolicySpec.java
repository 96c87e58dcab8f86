package io.splitrank.models.marketplace;

/**
 * The policy that chose the logged ads: for each impression it draws {@code candidates} ads
 * uniformly and serves one with probability proportional to {@code exp(qualityWeight·η_ad +
 * affinityWeight·a(user, ad))}, a mildly biased "previous ranker".
 *
 * @param candidates the number of uniformly drawn candidates per impression (1 = uniform policy)
 * @param qualityWeight the weight of the ad's click quality η
 * @param affinityWeight the weight of the shared user-ad affinity
 */
public record LoggingPolicySpec(int candidates, double qualityWeight, double affinityWeight) {

    public LoggingPolicySpec {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be at least 1");
        }
    }
}
