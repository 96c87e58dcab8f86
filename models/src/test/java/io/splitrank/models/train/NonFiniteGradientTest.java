package io.splitrank.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** A batch with a non-finite gradient is skipped, and its NaN must not stay in the gradients. */
class NonFiniteGradientTest {

    @Test
    void aNanGradientIsDetectedAndThenClearedSoTheNextBatchIsFinite() {
        try (Model model = Model.newInstance("nan", "PyTorch")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            try (Trainer trainer =
                    model.newTrainer(
                            new DefaultTrainingConfig(Loss.l2Loss())
                                    .optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(new Shape(1, 2));
                NDArray nan =
                        model.getNDManager().create(new float[] {Float.NaN, 1f}, new Shape(1, 2));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    collector.backward(trainer.forward(new NDList(nan)).head().sum());
                }
                double norm =
                        RankingTrainer.clipGradients(model.getBlock(), model.getNDManager(), 5.0);
                assertThat(norm).isNaN();
                RankingTrainer.resetGradients(model.getBlock());
                NDArray ok = model.getNDManager().create(new float[] {3f, 4f}, new Shape(1, 2));
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    collector.backward(trainer.forward(new NDList(ok)).head().sum());
                }
                // d(w.x + b)/dw = x = [3, 4]: norm sqrt(9 + 16 + 1), clipped to 2
                assertThat(
                                RankingTrainer.clipGradients(
                                        model.getBlock(), model.getNDManager(), 2.0))
                        .isCloseTo(Math.sqrt(26), org.assertj.core.api.Assertions.within(1e-5));
                for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                    for (float g : p.getValue().getArray().getGradient().toFloatArray()) {
                        assertThat(g).isFinite();
                    }
                }
                assertThat(
                                RankingTrainer.clipGradients(
                                        model.getBlock(), model.getNDManager(), 100.0))
                        .isCloseTo(2.0, org.assertj.core.api.Assertions.within(1e-5));
            }
        }
    }
}
