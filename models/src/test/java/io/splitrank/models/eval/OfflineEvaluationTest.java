package io.splitrank.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.marketplace.GroundTruth;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class OfflineEvaluationTest {

    private static final Marketplace WORLD =
            new Marketplace(MarketplaceConfig.defaults().withNumUsers(2_000).withNumAds(300));
    private static final ImpressionLog LOG = WORLD.generate(60_000, 8L);

    @Test
    void theGroundTruthScoresBetterThanAConstantOnEveryTask() {
        OfflineReport oracle = OfflineEvaluation.evaluate(LOG, oracle());
        OfflineReport constant = OfflineEvaluation.evaluate(LOG, constant());

        assertThat(oracle.classification())
                .containsKeys(
                        "ctr",
                        "cvr:install",
                        "cvr:register",
                        "cvr:purchase",
                        "ctcvr:install",
                        "ctcvr:register",
                        "ctcvr:purchase",
                        "related");
        assertThat(oracle.classification().get("ctr").auc().value()).isGreaterThan(0.6);
        assertThat(constant.classification().get("ctr").auc().value()).isEqualTo(0.5);
        assertThat(oracle.classification().get("ctr").logLoss().value())
                .isLessThan(constant.classification().get("ctr").logLoss().value());
        assertThat(oracle.classification().get("ctr").gauc().users()).isPositive();
        assertThat(oracle.value().nrmse().value()).isLessThan(constant.value().nrmse().value());
    }

    @Test
    void reportMapHasTheArtifactMetadataShapeAndOmitsUndefinedNumbers() {
        Map<String, Object> map = OfflineEvaluation.evaluate(LOG, oracle()).toMap();
        assertThat(map).containsKeys("ctr", "cvr:purchase", "value");
        @SuppressWarnings("unchecked")
        Map<String, Object> ctr = (Map<String, Object>) map.get("ctr");
        assertThat(ctr).containsKeys("auc", "logloss", "gauc", "samples", "positives");
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) map.get("value");
        assertThat(value).containsKey("nrmse");
        map.values()
                .forEach(
                        task ->
                                ((Map<?, ?>) task)
                                        .values()
                                        .forEach(
                                                v ->
                                                        assertThat(
                                                                        v instanceof Double d
                                                                                && !Double.isFinite(
                                                                                        d))
                                                                .isFalse()));
    }

    private static Predictions oracle() {
        int n = LOG.size();
        int nc = LOG.spec().categoricalCount();
        int adColumn = LOG.spec().categoricalIndex("ad_id");
        float[] ctr = new float[n];
        float[] cvr = new float[n];
        float[] related = new float[n];
        float[] amount = new float[n];
        for (int i = 0; i < n; i++) {
            GroundTruth t =
                    WORLD.truth(
                            LOG.userId()[i],
                            LOG.categorical()[i * nc + adColumn] - 1,
                            LOG.scenario()[i]);
            ctr[i] = (float) t.pClick();
            cvr[i] = (float) t.pConversion();
            related[i] = (float) t.pRelatedAction();
            amount[i] = (float) t.expectedAmount();
        }
        return new Predictions(ctr, cvr, related, amount);
    }

    private static Predictions constant() {
        int n = LOG.size();
        float[] ctr = new float[n];
        float[] cvr = new float[n];
        float[] related = new float[n];
        float[] amount = new float[n];
        Arrays.fill(ctr, 0.04f);
        Arrays.fill(cvr, 0.03f);
        Arrays.fill(related, 0.25f);
        Arrays.fill(amount, 60f);
        return new Predictions(ctr, cvr, related, amount);
    }
}
