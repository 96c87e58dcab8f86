package io.splitrank.stats;

/**
 * The sufficient statistics of an interleaving comparison of two arms a and b: how many units
 * preferred each arm, and how many preferred neither. A unit prefers b when b's items in the unit's
 * interleaved rankings were credited with more clicks (or conversion value) than a's, and a when
 * fewer; equal credit, including none at all, is a tie.
 *
 * @param a the first arm's key, as reported back
 * @param b the second arm's key; the preference is b's over a
 * @param winsA units that preferred a (b's losses)
 * @param winsB units that preferred b
 * @param ties units with no preference
 */
public record PreferenceCounts(String a, String b, long winsA, long winsB, long ties) {

    /** No units yet: start of {@link #withUnit}. */
    public static PreferenceCounts empty(String a, String b) {
        return new PreferenceCounts(a, b, 0, 0, 0);
    }

    /**
     * These counts with one more unit, from what the unit credited to each arm.
     *
     * @param creditA the unit's clicks (or value) credited to a, summed over its rankings
     * @param creditB the same for b
     * @throws InvalidStatisticsException when a credit is not a finite number
     */
    public PreferenceCounts withUnit(double creditA, double creditB) {
        if (!Double.isFinite(creditA)) {
            throw new InvalidStatisticsException("creditA", "must be a finite number");
        }
        if (!Double.isFinite(creditB)) {
            throw new InvalidStatisticsException("creditB", "must be a finite number");
        }
        int preference = creditB > creditA ? 1 : creditB < creditA ? -1 : 0;
        return new PreferenceCounts(
                a,
                b,
                winsA + (preference < 0 ? 1 : 0),
                winsB + (preference > 0 ? 1 : 0),
                ties + (preference == 0 ? 1 : 0));
    }
}
