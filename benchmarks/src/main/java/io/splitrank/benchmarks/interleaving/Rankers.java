package io.splitrank.benchmarks.interleaving;

import io.splitrank.models.artifact.ModelMetadata;
import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.artifact.ShippedArtifacts;
import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.EncodedFeatures;
import io.splitrank.models.marketplace.FeatureEncoder;
import io.splitrank.models.marketplace.GroundTruth;
import io.splitrank.models.marketplace.LiveTraffic;
import io.splitrank.models.marketplace.Marketplace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The rankers of the benchmark, scoring candidates as the app's {@code RankService} does: a shipped
 * model's eCPM under the ad's bid ({@code 1000 · Bid.expectedRevenue(pCtr, pCvr, E[value])}, with
 * the model's float predictions, features encoded as {@code DjlRanker} encodes them), the {@code
 * oracle} reference ranker's eCPM under the world's true probabilities (as {@code
 * ReferenceRankers.oracle}, truth rounded to float), and the {@code random} reference ranker's
 * uniform order key. {@link #order} sorts as the app does: by score, highest first, ties in
 * candidate order (a stable sort).
 */
final class Rankers {

    private Rankers() {}

    /** Something that scores the candidate ads of one request; thread-safe. */
    interface CandidateRanker extends AutoCloseable {

        String key();

        /** A description for the printed provenance. */
        String describe();

        /**
         * One score per candidate, higher ranks first.
         *
         * @param seed a seed for rankers that draw (random), derived from the unit and request
         */
        double[] scores(LiveTraffic.Request request, int[] ads, long seed);

        /**
         * The scores of several requests. A model scores them in one forward pass (rows are
         * independent, so only float rounding can differ from one pass per request, as the app
         * makes them; the benchmark measures that difference); the others one by one.
         */
        default double[][] scores(
                List<LiveTraffic.Request> requests, List<int[]> ads, long[] seeds) {
            double[][] out = new double[requests.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = scores(requests.get(i), ads.get(i), seeds[i]);
            }
            return out;
        }

        /** Whether {@link #scores(List, List, long[])} batches (a model's forward pass). */
        default boolean batches() {
            return false;
        }

        @Override
        default void close() {}
    }

    /**
     * The candidates' indices in ranked order: score descending, ties in candidate order, as the
     * app's stable sort of its candidates.
     */
    static int[] order(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** A shipped artifact, extracted and loaded as the app's registry loads it. */
    static CandidateRanker shipped(String key, Path tmp, Marketplace world) throws IOException {
        RankingModel model = RankingModel.load(ShippedArtifacts.extract(key, tmp));
        try {
            return new ModelRanker(model, world);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The oracle: the world's true pClick, pConversion and E[amount | conversion] as predictions.
     */
    static CandidateRanker oracle(Marketplace world) {
        return new CandidateRanker() {
            @Override
            public String key() {
                return "oracle";
            }

            @Override
            public String describe() {
                return "reference ranker: eCPM under the ground truth's probabilities";
            }

            @Override
            public double[] scores(LiveTraffic.Request request, int[] ads, long seed) {
                double[] s = new double[ads.length];
                for (int i = 0; i < ads.length; i++) {
                    GroundTruth t = world.truth(request.user(), ads[i], request.scenario());
                    // the app's oracle returns float predictions, priced like a model's
                    float pCtr = (float) t.pClick();
                    float pCvr = (float) t.pConversion();
                    float value = (float) t.expectedAmount();
                    s[i] = 1000 * world.bidOf(ads[i]).expectedRevenue(pCtr, pCvr, value);
                }
                return s;
            }
        };
    }

    /** The random ranker: a uniform order key per candidate (seeded here, for reproducibility). */
    static CandidateRanker random() {
        return new CandidateRanker() {
            @Override
            public String key() {
                return "random";
            }

            @Override
            public String describe() {
                return "reference ranker: uniformly random order";
            }

            @Override
            public double[] scores(LiveTraffic.Request request, int[] ads, long seed) {
                return new SplittableRandom(seed).doubles(ads.length).toArray();
            }
        };
    }

    private static final class ModelRanker implements CandidateRanker {

        private final RankingModel model;
        private final Marketplace world;
        private final FeatureEncoder encoder;
        private final int scenarioColumn;

        ModelRanker(RankingModel model, Marketplace world) {
            this.model = model;
            this.world = world;
            this.encoder = new FeatureEncoder(model.featureSpec());
            this.scenarioColumn = model.featureSpec().categoricalIndex("scenario");
        }

        @Override
        public String key() {
            return model.metadata().key();
        }

        @Override
        public boolean batches() {
            return true;
        }

        @Override
        public String describe() {
            ModelMetadata m = model.metadata();
            return String.format(
                    "shipped artifact %s (architecture %s, version %d, trained %s on %,d rows)",
                    m.key(), m.architecture(), m.version(), m.trainedAt(), m.trainingRows());
        }

        @Override
        public double[] scores(LiveTraffic.Request request, int[] ads, long seed) {
            return scores(List.of(request), List.of(ads), new long[] {seed})[0];
        }

        @Override
        public double[][] scores(
                List<LiveTraffic.Request> requests, List<int[]> ads, long[] seeds) {
            FeatureSpec spec = model.featureSpec();
            int rows = 0;
            for (int[] a : ads) {
                rows += a.length;
            }
            int nc = spec.categoricalCount();
            int nd = spec.denseCount();
            int[] categorical = new int[rows * nc];
            float[] dense = new float[rows * nd];
            int[] scenarios = new int[rows];
            int[] types = new int[rows];
            int row = 0;
            for (int q = 0; q < requests.size(); q++) {
                LiveTraffic.Request request = requests.get(q);
                int scenario = spec.scenarios().indexOf(request.scenarioName());
                if (scenario < 0) {
                    throw new IllegalStateException(
                            "model " + key() + " does not know scenario " + request.scenarioName());
                }
                Map<String, Object> user = request.userFeatures();
                for (int ad : ads.get(q)) {
                    // as DjlRanker: the model's encoder on the raw features the rank call carries
                    EncodedFeatures f =
                            encoder.encode(user, world.adFeatures(ad), request.scenarioName());
                    if (f.conversionType() < 0) {
                        throw new IllegalStateException(
                                "model " + key() + " does not know the type of ad " + ad);
                    }
                    System.arraycopy(f.categorical(), 0, categorical, row * nc, nc);
                    categorical[row * nc + scenarioColumn] = scenario + 1;
                    System.arraycopy(f.dense(), 0, dense, row * nd, nd);
                    scenarios[row] = scenario;
                    types[row] = f.conversionType();
                    row++;
                }
            }
            RankingModel.Scores p = model.predict(categorical, dense, scenarios, types);
            double[][] out = new double[requests.size()][];
            row = 0;
            for (int q = 0; q < requests.size(); q++) {
                int[] a = ads.get(q);
                out[q] = new double[a.length];
                for (int i = 0; i < a.length; i++, row++) {
                    Bid bid = world.bidOf(a[i]);
                    // RankService: 1000 · Bid.expectedRevenue of the model's float predictions
                    out[q][i] =
                            1000
                                    * bid.expectedRevenue(
                                            p.pCtr()[row], p.pCvr()[row], p.expectedValue()[row]);
                }
            }
            return out;
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
