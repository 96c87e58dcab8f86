package io.splitrank.app.serving;

import io.splitrank.models.artifact.ModelMetadata;
import io.splitrank.models.artifact.RankingModel;
import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.marketplace.EncodedFeatures;
import io.splitrank.models.marketplace.FeatureEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A trained model from its artifact: features encoded with the model's own feature spec (unknown
 * values fall into its unknown bucket), every candidate scored in one batched forward pass. A
 * request whose scenario the model does not know is scored in every known scenario at once and the
 * predictions averaged, rather than failed: the models have no unknown-scenario bucket.
 */
final class DjlRanker implements Ranker {

    private final RankingModel model;
    private final FeatureEncoder encoder;
    private final ModelInfo info;
    private final int scenarioColumn;

    private DjlRanker(RankingModel model) {
        this.model = model;
        this.encoder = new FeatureEncoder(model.featureSpec());
        ModelMetadata m = model.metadata();
        this.info =
                new ModelInfo(
                        m.key(),
                        m.architecture(),
                        m.version(),
                        m.trainedAt(),
                        m.parameterCount(),
                        m.trainingDataSeed(),
                        m.offlineMetrics(),
                        false);
        this.scenarioColumn = model.featureSpec().categoricalIndex("scenario");
    }

    /**
     * Loads an artifact directory; the model is closed again if it does not fit the marketplace's
     * features.
     */
    static DjlRanker load(Path dir) throws IOException {
        RankingModel model = RankingModel.load(dir);
        try {
            return new DjlRanker(model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<String> conversionTypes() {
        return model.featureSpec().conversionTypes();
    }

    @Override
    public Predictions predict(
            Map<String, ?> user, String scenario, List<Map<String, Object>> ads) {
        FeatureSpec spec = model.featureSpec();
        int n = ads.size();
        int scenarioIndex = scenario == null ? -1 : spec.scenarios().indexOf(scenario);
        // an unknown scenario: every candidate once per known scenario, averaged below
        int copies = scenarioIndex >= 0 ? 1 : spec.scenarios().size();
        int nc = spec.categoricalCount();
        int nd = spec.denseCount();
        int rows = n * copies;
        int[] categorical = new int[rows * nc];
        float[] dense = new float[rows * nd];
        int[] scenarios = new int[rows];
        int[] types = new int[rows];
        for (int i = 0; i < n; i++) {
            EncodedFeatures f = encoder.encode(user, ads.get(i), scenario);
            if (f.conversionType() < 0) {
                throw new IllegalArgumentException(
                        "candidate " + i + " has a conversion type the model does not know");
            }
            for (int c = 0; c < copies; c++) {
                int row = c * n + i;
                int s = scenarioIndex >= 0 ? scenarioIndex : c;
                System.arraycopy(f.categorical(), 0, categorical, row * nc, nc);
                categorical[row * nc + scenarioColumn] = s + 1;
                System.arraycopy(f.dense(), 0, dense, row * nd, nd);
                scenarios[row] = s;
                types[row] = f.conversionType();
            }
        }
        RankingModel.Scores scores = model.predict(categorical, dense, scenarios, types);
        return new Predictions(
                mean(scores.pCtr(), n, copies),
                mean(scores.pCvr(), n, copies),
                mean(scores.expectedValue(), n, copies),
                null);
    }

    private static float[] mean(float[] values, int n, int copies) {
        if (copies == 1) {
            return values;
        }
        float[] out = new float[n];
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < n; i++) {
                out[i] += values[c * n + i] / copies;
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
