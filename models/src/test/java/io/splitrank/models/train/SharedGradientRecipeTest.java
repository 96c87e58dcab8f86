package io.splitrank.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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
import org.junit.jupiter.api.Test;

/** The per-task gradient recipe of models/README.md, step by step, on HTLNet. */
class SharedGradientRecipeTest {

    @Test
    void taskLossesStopAtTheCopiesAndTheCombinedGradientReachesTheSharedLayers() {
        Architecture htlnet = Architecture.HTLNET;
        MultiTaskLoss loss = htlnet.newLoss();
        try (Model model = Model.newInstance("recipe", "PyTorch")) {
            MultiTaskBlock block =
                    htlnet.newBlock(PlantedLogs.SPEC, new NetworkDimensions(4, 2, 8, 4, 4));
            model.setBlock(block);
            try (Trainer trainer =
                    model.newTrainer(
                            new DefaultTrainingConfig(loss)
                                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(ImpressionBatches.inputShapes(PlantedLogs.SPEC));
                SharedRepresentationTap tap = new SharedRepresentationTap();
                block.setSharedRepresentationTap(tap);
                ImpressionLog log = PlantedLogs.planted(64, 5);
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDList features = ImpressionBatches.features(batch, log, null, 0, 64);
                    NDList labels = ImpressionBatches.labels(batch, log, null, 0, 64);
                    NDArray table = parameter(block, "embedding_table");
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList predictions = trainer.forward(features);
                        collector.backward(loss.evaluate(labels, predictions));
                        float[][] perTask = tap.copyGradients();
                        assertThat(perTask).hasNumberOfRows(3);
                        for (float[] g : perTask) {
                            assertThat(norm(g)).isPositive();
                        }
                        assertThat(norm(table.getGradient().toFloatArray())).isZero();

                        float[] combined =
                                SharedGradientPolicy.htlNet(new GradientProjection(0.3, 2))
                                        .combine(perTask, new double[] {1, 1, 1});
                        NDArray g = batch.create(combined, tap.shared().getShape());
                        collector.backward(tap.shared().mul(g).sum());
                    }
                    assertThat(norm(table.getGradient().toFloatArray())).isPositive();
                }
            }
        }
    }

    private static NDArray parameter(MultiTaskBlock block, String suffix) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new IllegalArgumentException(suffix + " not in " + block.getParameters().keys());
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
