package io.splitrank.app.serving;

import io.splitrank.models.marketplace.EncodedFeatures;
import io.splitrank.models.marketplace.FeatureEncoder;
import io.splitrank.models.marketplace.GroundTruth;
import io.splitrank.models.marketplace.Marketplace;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reference rankers of the simulated marketplace, the bounds a model's online result is read
 * between: {@code random} orders candidates uniformly at random (it predicts nothing), and {@code
 * oracle} predicts the world's true probabilities, so its ranking by expected eCPM is the best any
 * model can do. Both only mean something when the traffic comes from that same world (the
 * simulator, the demo); a user or ad the world does not know gets probability 0 from the oracle.
 */
final class ReferenceRankers {

    static final String RANDOM = "random";
    static final String ORACLE = "oracle";

    private ReferenceRankers() {}

    static Ranker random(Marketplace world) {
        ModelInfo info =
                new ModelInfo(
                        RANDOM, "reference", 1, null, 0, world.config().seed(), Map.of(), true);
        List<String> types = world.featureSpec().conversionTypes();
        return new Ranker() {
            @Override
            public ModelInfo info() {
                return info;
            }

            @Override
            public List<String> conversionTypes() {
                return types;
            }

            @Override
            public Predictions predict(
                    Map<String, ?> user, String scenario, List<Map<String, Object>> ads) {
                double[] order = ThreadLocalRandom.current().doubles(ads.size()).toArray();
                return new Predictions(null, null, null, order);
            }

            @Override
            public void close() {}
        };
    }

    static Ranker oracle(Marketplace world) {
        ModelInfo info =
                new ModelInfo(
                        ORACLE, "reference", 1, null, 0, world.config().seed(), Map.of(), true);
        FeatureEncoder encoder = world.encoder();
        int userColumn = encoder.spec().categoricalIndex("user_id");
        int adColumn = encoder.spec().categoricalIndex("ad_id");
        int scenarios = encoder.spec().scenarios().size();
        return new Ranker() {
            @Override
            public ModelInfo info() {
                return info;
            }

            @Override
            public List<String> conversionTypes() {
                return encoder.spec().conversionTypes();
            }

            @Override
            public Predictions predict(
                    Map<String, ?> user, String scenario, List<Map<String, Object>> ads) {
                int n = ads.size();
                float[] pCtr = new float[n];
                float[] pCvr = new float[n];
                float[] value = new float[n];
                for (int i = 0; i < n; i++) {
                    EncodedFeatures f = encoder.encode(user, ads.get(i), scenario);
                    int u = f.categorical()[userColumn] - 1;
                    int ad = f.categorical()[adColumn] - 1;
                    if (u < 0 || ad < 0) {
                        continue;
                    }
                    // an unknown scenario: the mean over the world's scenarios, like the models
                    int from = f.scenario() >= 0 ? f.scenario() : 0;
                    int to = f.scenario() >= 0 ? f.scenario() + 1 : scenarios;
                    for (int s = from; s < to; s++) {
                        GroundTruth truth = world.truth(u, ad, s);
                        pCtr[i] += (float) (truth.pClick() / (to - from));
                        pCvr[i] += (float) (truth.pConversion() / (to - from));
                        value[i] += (float) (truth.expectedAmount() / (to - from));
                    }
                }
                return new Predictions(pCtr, pCvr, value, null);
            }

            @Override
            public void close() {}
        };
    }
}
