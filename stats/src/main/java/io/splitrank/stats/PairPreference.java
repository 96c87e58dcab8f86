package io.splitrank.stats;

/**
 * The interleaving comparison of two arms: b's preference over a with a fixed-horizon sign test and
 * an always-valid confidence sequence. Δ &gt; 0 means the units preferred b.
 *
 * <p>Parts that cannot be computed are {@code null}, never NaN, and {@code error} says why: with no
 * unit with a preference, {@code preference}, {@code fixedHorizon} and {@code sequential} are all
 * null; with one unit with a preference, or when every unit with a preference preferred the same
 * arm (the scores' variance is 0), only {@code sequential} is null.
 *
 * @param a the first arm's key
 * @param b the second arm's key
 * @param units all units counted: winsA + winsB + ties
 * @param unitsWithPreference m = winsA + winsB
 * @param winsA units that preferred a
 * @param winsB units that preferred b
 * @param ties units with no preference
 * @param preference Δ = (winsB − winsA)/m, in [−1, 1]
 * @param fixedHorizon exact sign test and Clopper–Pearson interval
 * @param sequential always-valid interval of Δ (within [−1, 1]) and p-value of Δ = 0
 * @param error why a part is missing, or {@code null} when every part is present
 */
public record PairPreference(
        String a,
        String b,
        long units,
        long unitsWithPreference,
        long winsA,
        long winsB,
        long ties,
        Double preference,
        SignTest fixedHorizon,
        Sequential sequential,
        String error) {

    /** Whether every part is present (named without "is" so that Jackson does not serialise it). */
    public boolean computed() {
        return error == null;
    }
}
