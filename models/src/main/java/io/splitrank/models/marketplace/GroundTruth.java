package io.splitrank.models.marketplace;

/**
 * The true behaviour of one user towards one ad in one scenario, as the marketplace generates it.
 * Used to simulate live traffic and to check that a model recovers the world.
 *
 * @param pClick P(click | impression)
 * @param pConversion P(conversion of the ad's type | click)
 * @param pRelatedAction P(related post-click action, a long view | click)
 * @param expectedAmount E[amount | conversion]: the mean purchase value for a valued type, else 0
 */
public record GroundTruth(
        double pClick, double pConversion, double pRelatedAction, double expectedAmount) {

    /** P(click and conversion | impression), the entire-space CTCVR. */
    public double pClickConversion() {
        return pClick * pConversion;
    }

    /** E[amount | impression] = pClick · pConversion · E[amount | conversion]. */
    public double expectedValue() {
        return pClick * pConversion * expectedAmount;
    }
}
