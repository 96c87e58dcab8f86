package io.splitrank.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import io.splitrank.models.Architecture;
import io.splitrank.models.PlantedLogs;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.nn.SharedRepresentationTap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gradient policies must change training: the same steps with a policy that only sums the
 * copies' gradients (and keeps the fixed weights) must end with different shared layers, while
 * HTLNet's heads, which the policy does not touch, end the same. And AEM2TL's copies hold one loss
 * term each, as GradNorm assumes.
 */
class GradientPolicyTrainingTest {

    static final NetworkDimensions TINY = new NetworkDimensions(4, 2, 8, 4, 4);

    /** A policy that does nothing: fixed weights, gradients summed unchanged. */
    static final SharedGradientPolicy NOTHING =
            new SharedGradientPolicy() {
                @Override
                public float[] termWeights(float[] fixedWeights) {
                    return fixedWeights;
                }

                @Override
                public float[] combine(float[][] copyGradients, double[] termLosses) {
                    float[] sum = new float[copyGradients[0].length];
                    for (float[] g : copyGradients) {
                        for (int i = 0; i < sum.length; i++) {
                            sum[i] += g[i];
                        }
                    }
                    return sum;
                }
            };

    @ParameterizedTest
    @EnumSource(
            value = Architecture.class,
            names = {"HTLNET", "AEM2TL"})
    void thePolicyChangesWhatTheSharedLayersLearn(Architecture architecture) {
        ImpressionLog train = PlantedLogs.planted(512, 1);
        ImpressionLog validation = PlantedLogs.planted(256, 2);
        Map<String, float[]> withPolicy =
                train(architecture, architecture.newGradientPolicy(), train, validation);
        Map<String, float[]> without = train(architecture, NOTHING, train, validation);
        double sharedDiff = 0;
        double headDiff = 0;
        int heads = 0;
        for (var e : withPolicy.entrySet()) {
            double d = maxAbsDiff(e.getValue(), without.get(e.getKey()));
            if (e.getKey().contains("embedding")) {
                sharedDiff = Math.max(sharedDiff, d);
            } else if (e.getKey().contains("Head")) {
                headDiff = Math.max(headDiff, d);
                heads++;
            }
        }
        assertThat(sharedDiff).as("shared embedding differs").isGreaterThan(1e-5);
        if (architecture == Architecture.HTLNET) {
            // the projection acts on the shared path only: heads get the same gradients in step 1;
            // afterwards they see different shared representations, so compare loosely
            assertThat(heads).as("head parameters compared").isPositive();
            assertThat(headDiff).as("heads still close").isLessThan(sharedDiff * 100);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void eachAem2tlCopyReceivesOnlyItsOwnLossTerm(int term) {
        Architecture aem2tl = Architecture.AEM2TL;
        MultiTaskLoss loss = aem2tl.newLoss();
        ImpressionLog log = PlantedLogs.planted(256, 3);
        try (Model model = Model.newInstance("copies", "PyTorch")) {
            MultiTaskBlock block = aem2tl.newBlock(PlantedLogs.SPEC, TINY);
            model.setBlock(block);
            try (Trainer trainer =
                    model.newTrainer(
                            new DefaultTrainingConfig(loss)
                                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(ImpressionBatches.inputShapes(PlantedLogs.SPEC));
                SharedRepresentationTap tap = new SharedRepresentationTap();
                block.setSharedRepresentationTap(tap);
                NDList features =
                        ImpressionBatches.features(model.getNDManager(), log, null, 0, 256);
                NDList labels = ImpressionBatches.labels(model.getNDManager(), log, null, 0, 256);
                // copies ctr, ctcvr, related, value; terms CTR, CTCVR, RELATED, VALUE
                assertThat(block.sharedCopyTasks()).hasSize(loss.terms().size());
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(features);
                    NDArray all = loss.termLosses(labels, predictions).get(term);
                    collector.backward(all);
                    float[][] grads = tap.copyGradients();
                    for (int copy = 0; copy < grads.length; copy++) {
                        double norm = norm(grads[copy]);
                        if (copy == term) {
                            assertThat(norm).as("copy %d", copy).isGreaterThan(0);
                        } else {
                            assertThat(norm).as("copy %d", copy).isZero();
                        }
                    }
                }
                block.setSharedRepresentationTap(null);
            }
        }
    }

    private static Map<String, float[]> train(
            Architecture architecture,
            SharedGradientPolicy policy,
            ImpressionLog train,
            ImpressionLog validation) {
        // GradNorm's weights move only after its warm-up: run AEM2TL past it
        int steps = architecture == Architecture.AEM2TL ? Architecture.GRADNORM_WARMUP + 30 : 4;
        int batch = architecture == Architecture.AEM2TL ? 32 : 128;
        RankingTrainer trainer =
                RankingTrainer.builder()
                        .optMaxSamples((long) steps * batch)
                        .optBatchSize(batch)
                        .optLearningRate(5e-3f)
                        .optLogEvery(0)
                        .optSeed(5)
                        .build();
        try (Model model = Model.newInstance(architecture.key(), "PyTorch")) {
            model.setBlock(architecture.newBlock(PlantedLogs.SPEC, TINY));
            TrainingReport report =
                    trainer.fit(
                            architecture.key(),
                            model,
                            architecture.newLoss(),
                            policy,
                            train,
                            validation);
            assertThat(report.steps()).isEqualTo(steps);
            if (architecture == Architecture.AEM2TL && policy != NOTHING) {
                float[] fixed = {1, 1, 1, 0.5f};
                float[] weights = report.finalTermWeights();
                assertThat(weights).isNotEqualTo(fixed);
                // GradNorm's weights (final / fixed) sum to the term count, none near 0
                double sum = 0;
                for (int i = 0; i < fixed.length; i++) {
                    double w = weights[i] / fixed[i];
                    assertThat(w).isGreaterThanOrEqualTo(Architecture.GRADNORM_MIN_WEIGHT - 1e-5);
                    sum += w;
                }
                assertThat(sum).isCloseTo(4.0, org.assertj.core.api.Assertions.within(1e-4));
            }
            Map<String, float[]> params = new LinkedHashMap<>();
            for (Pair<String, ai.djl.nn.Parameter> p : model.getBlock().getParameters()) {
                params.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            return params;
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double norm(float[] g) {
        double s = 0;
        for (float x : g) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
