package io.splitrank.models.marketplace;

/**
 * How an ad pays the platform, and so what showing it is worth (the online A/B's pricing rule). An
 * oCPA ad pays {@code amount} for each conversion of its type; a value-bidding ad pays {@code
 * amount} (a share, e.g. 0.05) of the converted purchase's value. Nothing is paid for an impression
 * or a click alone.
 *
 * @param amount the price of a conversion (oCPA) or the share of its value (value bidding); finite,
 *     at least 0
 * @param onValue whether the ad bids on the conversion's value rather than on the conversion
 */
public record Bid(double amount, boolean onValue) {

    public Bid {
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException(
                    "a bid must be finite and at least 0, got " + amount);
        }
    }

    /**
     * The revenue expected from one impression: {@code pClick·pConversion·amount}, or {@code
     * pClick·pConversion·expectedValue·amount} when bidding on value. eCPM is 1000 times this.
     *
     * @param pClick P(click | impression)
     * @param pConversion P(conversion of the ad's type | click)
     * @param expectedValue E[value | conversion]; read only when bidding on value
     */
    public double expectedRevenue(double pClick, double pConversion, double expectedValue) {
        double perConversion = onValue ? amount * expectedValue : amount;
        return pClick * pConversion * perConversion;
    }

    /**
     * What the platform charges for what the user did: the price of a conversion, or its share of
     * the value.
     */
    public double charge(Outcome outcome) {
        if (!outcome.conversion()) {
            return 0;
        }
        return onValue ? amount * outcome.amount() : amount;
    }
}
