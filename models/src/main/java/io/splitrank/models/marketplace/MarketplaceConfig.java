package io.splitrank.models.marketplace;

import java.util.List;

/**
 * Every parameter of the synthetic ad marketplace, including the seed of its world (users, ads and
 * hidden effects). Written as JSON beside every dataset ({@link #toJson()}) and read back with
 * {@link #fromJson(String)}; models/README.md states the generative process these parameters drive.
 * Start from {@link #defaults()} and change fields with the {@code withX} methods.
 *
 * @param seed the seed of the world (not of the logged impressions, which have their own)
 * @param numUsers the number of users
 * @param numAds the number of ads
 * @param numCategories the number of ad categories
 * @param numAdvertisers the number of advertisers (each with one home category and one type)
 * @param latentDim the dimension of the latent taste vectors
 * @param activityWeight γ, the weight of the user's log activity in the click logit
 * @param scenarios the scenarios; a scenario's index is its id
 * @param conversionTypes the conversion types; a type's index is its id
 * @param relatedAction the related post-click action
 * @param amount the purchase amount of valued conversion types
 * @param loggingPolicy the policy that chose the logged ads
 */
public record MarketplaceConfig(
        long seed,
        int numUsers,
        int numAds,
        int numCategories,
        int numAdvertisers,
        int latentDim,
        double activityWeight,
        List<ScenarioSpec> scenarios,
        List<ConversionTypeSpec> conversionTypes,
        RelatedActionSpec relatedAction,
        AmountSpec amount,
        LoggingPolicySpec loggingPolicy) {

    /** The default world seed. */
    public static final long DEFAULT_SEED = 20_261_122L;

    public MarketplaceConfig {
        scenarios = List.copyOf(scenarios);
        conversionTypes = List.copyOf(conversionTypes);
        if (numUsers < 1
                || numAds < 1
                || numCategories < 1
                || numAdvertisers < 1
                || latentDim < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        if (scenarios.isEmpty() || conversionTypes.isEmpty()) {
            throw new IllegalArgumentException("at least one scenario and one conversion type");
        }
    }

    /** The documented default world: 20,000 users, 2,000 ads, three scenarios, three types. */
    public static MarketplaceConfig defaults() {
        return new MarketplaceConfig(
                DEFAULT_SEED,
                20_000,
                2_000,
                20,
                200,
                8,
                0.2,
                List.of(
                        new ScenarioSpec("home", 0.5, -4.5, 0.8, 0.5, 0.0),
                        new ScenarioSpec("search", 0.3, -4.45, 1.4, 0.2, 0.3),
                        new ScenarioSpec("detail", 0.2, -4.45, 1.1, 0.4, 0.2)),
                List.of(
                        new ConversionTypeSpec("install", 0.4, -5.0, 0.8, 0.5, 0.0, false),
                        new ConversionTypeSpec("register", 0.35, -5.15, 0.6, 0.5, 0.0, false),
                        new ConversionTypeSpec("purchase", 0.25, -6.0, 0.7, 0.5, 0.5, true)),
                new RelatedActionSpec(-2.2, 0.8, 0.2),
                new AmountSpec(3.5, 0.6, 0.5, 0.2),
                new LoggingPolicySpec(8, 0.5, 0.5));
    }

    public MarketplaceConfig withSeed(long value) {
        return new MarketplaceConfig(
                value,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withNumUsers(int value) {
        return new MarketplaceConfig(
                seed,
                value,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withNumAds(int value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                value,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withNumCategories(int value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                value,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withNumAdvertisers(int value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                value,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withLatentDim(int value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                value,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withActivityWeight(double value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                value,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withScenarios(List<ScenarioSpec> value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                value,
                conversionTypes,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withConversionTypes(List<ConversionTypeSpec> value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                value,
                relatedAction,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withRelatedAction(RelatedActionSpec value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                value,
                amount,
                loggingPolicy);
    }

    public MarketplaceConfig withAmount(AmountSpec value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                value,
                loggingPolicy);
    }

    public MarketplaceConfig withLoggingPolicy(LoggingPolicySpec value) {
        return new MarketplaceConfig(
                seed,
                numUsers,
                numAds,
                numCategories,
                numAdvertisers,
                latentDim,
                activityWeight,
                scenarios,
                conversionTypes,
                relatedAction,
                amount,
                value);
    }

    /** The parameters as JSON, one field per record component in declaration order. */
    public String toJson() {
        return MarketplaceJson.write(this);
    }

    /**
     * Reads parameters written by {@link #toJson()}.
     *
     * @throws IllegalArgumentException if a parameter is missing or invalid
     */
    public static MarketplaceConfig fromJson(String json) {
        return MarketplaceJson.read(json, MarketplaceConfig.class);
    }
}
