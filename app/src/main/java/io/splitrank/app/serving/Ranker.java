package io.splitrank.app.serving;

import java.util.List;
import java.util.Map;

/** Something that scores candidate ads for a user: a trained model or a reference ranker. */
interface Ranker extends AutoCloseable {

    /** What the registry lists. */
    ModelInfo info();

    /**
     * The conversion types the ranker predicts for (a candidate of another type cannot be scored).
     */
    List<String> conversionTypes();

    /**
     * Scores every candidate in one pass; thread-safe.
     *
     * @param user the user's raw features by name (user_id, user_age, …)
     * @param scenario the scenario name, or null
     * @param ads each candidate's raw features by name (ad_id, conversion_type, ad_bid, …)
     */
    Predictions predict(Map<String, ?> user, String scenario, List<Map<String, Object>> ads);

    @Override
    void close();

    /**
     * Per-candidate predictions.
     *
     * @param pCtr P(click | impression), or null for a ranker that does not predict
     * @param pCvr P(conversion of the ad's type | click), or null
     * @param expectedValue E[value | conversion], or null
     * @param order an ordering key that replaces the priced score (the random ranker), or null
     */
    record Predictions(float[] pCtr, float[] pCvr, float[] expectedValue, double[] order) {}
}
