package io.splitrank.models.data;

import java.util.Objects;

/**
 * Logged impressions with their labels, column-major and in memory: what the marketplace generates
 * and the models train and evaluate on. Row {@code i}'s categorical ids are
 * {@code categorical[i * spec.categoricalCount() + j]}, its dense values
 * {@code dense[i * spec.denseCount() + j]}.
 *
 * <p>Provisional contract written on branch {@code models-nets} (see {@link FeatureSpec}).
 *
 * @param spec the feature spec the rows are encoded with
 * @param seed the seed of the generator run that produced the log
 * @param categorical categorical ids, row-major {@code [size, categoricalCount]}
 * @param dense dense values, row-major {@code [size, denseCount]}
 * @param scenario scenario index per impression
 * @param conversionType the impressed ad's conversion type index
 * @param userId the user's id (for GAUC), also present among the categorical fields
 * @param click 1 if clicked
 * @param conversion 1 if clicked and converted (the ad's conversion type)
 * @param relatedAction 1 if the related post-click action (e.g. long view) happened
 * @param amount the conversion's amount when it has one, otherwise 0
 */
public record ImpressionLog(
        FeatureSpec spec,
        long seed,
        int[] categorical,
        float[] dense,
        int[] scenario,
        int[] conversionType,
        int[] userId,
        byte[] click,
        byte[] conversion,
        byte[] relatedAction,
        float[] amount) {

    public ImpressionLog {
        Objects.requireNonNull(spec, "spec");
        int n = scenario.length;
        if (categorical.length != n * spec.categoricalCount()
                || dense.length != n * spec.denseCount()
                || conversionType.length != n
                || userId.length != n
                || click.length != n
                || conversion.length != n
                || relatedAction.length != n
                || amount.length != n) {
            throw new IllegalArgumentException("columns disagree on the number of impressions " + n);
        }
    }

    /** Number of impressions. */
    public int size() {
        return scenario.length;
    }

    /** The impressions at {@code rows}, in that order. */
    public ImpressionLog select(int[] rows) {
        int f = spec.categoricalCount();
        int d = spec.denseCount();
        int n = rows.length;
        int[] cat = new int[n * f];
        float[] den = new float[n * d];
        int[] sc = new int[n];
        int[] ct = new int[n];
        int[] uid = new int[n];
        byte[] cl = new byte[n];
        byte[] cv = new byte[n];
        byte[] ra = new byte[n];
        float[] am = new float[n];
        for (int k = 0; k < n; k++) {
            int r = rows[k];
            System.arraycopy(categorical, r * f, cat, k * f, f);
            System.arraycopy(dense, r * d, den, k * d, d);
            sc[k] = scenario[r];
            ct[k] = conversionType[r];
            uid[k] = userId[r];
            cl[k] = click[r];
            cv[k] = conversion[r];
            ra[k] = relatedAction[r];
            am[k] = amount[r];
        }
        return new ImpressionLog(spec, seed, cat, den, sc, ct, uid, cl, cv, ra, am);
    }

    /** Rows {@code [from, to)}. */
    public ImpressionLog slice(int from, int to) {
        return select(java.util.stream.IntStream.range(from, to).toArray());
    }
}
