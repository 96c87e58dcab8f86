package io.splitrank.models;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.data.FeatureSpec.CategoricalField;
import io.splitrank.models.data.ImpressionLog;
import java.util.List;
import java.util.Random;

/**
 * Small impression logs with a planted signal, for tests that must not wait for the marketplace.
 */
public final class PlantedLogs {

    public static final FeatureSpec SPEC =
            new FeatureSpec(
                    List.of(
                            new CategoricalField("user_id", 50),
                            new CategoricalField("user_segment", 4),
                            new CategoricalField("ad_id", 30),
                            new CategoricalField("ad_category", 5),
                            new CategoricalField("hour", 6)),
                    List.of("user_activity", "ad_bid"),
                    List.of("feed", "search"),
                    List.of("install", "purchase"));

    private PlantedLogs() {}

    /**
     * {@code n} impressions: clicks depend strongly on whether user segment and ad category match
     * and on the first dense feature; conversions (given a click) on the ad category; purchase
     * amounts on the user segment. Rates are high so a few hundred rows carry signal.
     */
    public static ImpressionLog planted(int n, long seed) {
        Random random = new Random(seed);
        int f = SPEC.categoricalCount();
        int d = SPEC.denseCount();
        int[] categorical = new int[n * f];
        float[] dense = new float[n * d];
        int[] scenario = new int[n];
        int[] type = new int[n];
        int[] user = new int[n];
        float[] click = new float[n];
        float[] conversion = new float[n];
        float[] related = new float[n];
        float[] amount = new float[n];
        for (int i = 0; i < n; i++) {
            int u = random.nextInt(50);
            int segment = u % 4;
            int ad = random.nextInt(30);
            int category = ad % 5;
            categorical[i * f] = u;
            categorical[i * f + 1] = segment;
            categorical[i * f + 2] = ad;
            categorical[i * f + 3] = category;
            categorical[i * f + 4] = random.nextInt(6);
            dense[i * d] = (float) random.nextGaussian();
            dense[i * d + 1] = (float) random.nextGaussian();
            scenario[i] = random.nextInt(2);
            type[i] = ad % 2;
            user[i] = u;
            double ctrLogit =
                    -1.0
                            + (segment == category % 4 ? 2.0 : -0.5)
                            + 0.8 * dense[i * d]
                            + 0.3 * scenario[i];
            boolean clicked = random.nextDouble() < sigmoid(ctrLogit);
            click[i] = clicked ? 1 : 0;
            if (clicked) {
                related[i] = random.nextDouble() < 0.5 ? 1 : 0;
                boolean converted =
                        random.nextDouble() < sigmoid(-1.0 + (category < 2 ? 1.5 : -1.0));
                conversion[i] = converted ? 1 : 0;
                if (converted && type[i] == 1) {
                    amount[i] = (float) Math.exp(2.0 + 0.5 * segment + 0.2 * random.nextGaussian());
                }
            }
        }
        return new ImpressionLog(
                SPEC,
                n,
                categorical,
                dense,
                scenario,
                type,
                user,
                click,
                conversion,
                related,
                amount);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
