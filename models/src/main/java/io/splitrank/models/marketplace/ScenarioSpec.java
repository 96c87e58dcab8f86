package io.splitrank.models.marketplace;

/**
 * One scenario (surface) of the marketplace, e.g. the home feed, search, or a detail page.
 * Scenarios differ in base click rate, in how much the user-ad affinity matters, in the strength of
 * the demographic-category interaction, and in purchase intent after a click.
 *
 * @param name the scenario name, e.g. {@code home}
 * @param trafficShare the share of logged impressions served in this scenario (normalised over all)
 * @param clickBias the click logit's intercept b_s
 * @param affinityScale λ_s, the weight of the user-ad affinity in the click logit
 * @param interactionScale δ_s, the weight of the age × category interaction in the click logit
 * @param conversionShift ε_s, added to every conversion logit after a click in this scenario
 */
public record ScenarioSpec(
        String name,
        double trafficShare,
        double clickBias,
        double affinityScale,
        double interactionScale,
        double conversionShift) {

    public ScenarioSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("scenario name is required");
        }
        if (!(trafficShare > 0)) {
            throw new IllegalArgumentException("trafficShare of " + name + " must be positive");
        }
    }
}
