package io.splitrank.models.marketplace;

/**
 * What a user did with one shown ad, drawn from the ground truth.
 *
 * @param click whether the ad was clicked
 * @param conversion whether the user converted (of the ad's type) after the click
 * @param relatedAction whether the related post-click action (long view) happened
 * @param amount the purchase amount of a valued conversion, else 0
 */
public record Outcome(boolean click, boolean conversion, boolean relatedAction, double amount) {}
