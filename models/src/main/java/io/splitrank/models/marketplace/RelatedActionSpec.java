package io.splitrank.models.marketplace;

/**
 * The related post-click action (a long view of the landing page). Its logit shares the conversion
 * propensity, so it is an auxiliary task correlated with conversion but far denser.
 *
 * @param bias r_0, the intercept
 * @param propensityWeight ρ, the weight of the conversion propensity (the conversion logit without
 *     its type intercept)
 * @param activityWeight ν, the weight of the user's log activity
 */
public record RelatedActionSpec(double bias, double propensityWeight, double activityWeight) {}
