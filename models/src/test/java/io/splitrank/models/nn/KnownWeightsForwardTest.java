package io.splitrank.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.splitrank.models.Architecture;
import io.splitrank.models.PlantedLogs;
import io.splitrank.models.train.ImpressionBatches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KnownWeightsForwardTest {

    static final NetworkDimensions TINY = new NetworkDimensions(4, 2, 8, 4, 4);

    @Test
    void mlpComputesReluLayersByHand() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Mlp mlp = Mlp.builder().setInputSize(2).setUnits(2, 1).optActivateLast(false).build();
            mlp.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            // DJL Linear weights are [units, inputs]
            set(mlp, "dense0_weight", 1f, -1f, 0.5f, 0.5f);
            set(mlp, "dense0_bias", 0f, 1f);
            set(mlp, "dense1_weight", 2f, -1f);
            set(mlp, "dense1_bias", 0.5f);
            NDArray x = manager.create(new float[] {1f, 2f}, new Shape(1, 2));
            float out =
                    mlp.forward(new ParameterStore(manager, false), new NDList(x), false)
                            .head()
                            .getFloat();
            // h = relu([1 - 2, 0.5 + 1 + 1]) = [0, 2.5]; out = 2*0 - 2.5 + 0.5
            assertThat(out).isCloseTo(-2.0f, within(1e-6f));
        }
    }

    @Test
    void labelEmbeddingMixesTheTwoRowsByTheProbabilityAtInference() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            LabelEmbedding unit = LabelEmbedding.builder().setWidth(2).build();
            unit.initialize(manager, DataType.FLOAT32, new Shape(1));
            set(unit, "labels", 1f, 2f, 3f, 4f);
            NDArray p = manager.create(new float[] {0.25f});
            float[] le =
                    unit.forward(new ParameterStore(manager, false), new NDList(p), false)
                            .head()
                            .toFloatArray();
            // [0.25, 0.75] . [[1, 2], [3, 4]]
            assertThat(le).containsExactly(new float[] {2.5f, 3.5f}, within(1e-6f));
        }
    }

    @Test
    void ownTypeSelectsEachRowsConversionTypeColumn() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray perType =
                    manager.create(
                            new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, new Shape(2, 3));
            NDArray type = manager.create(new int[] {2, 0});
            assertThat(MultiTaskBlock.ofOwnType(perType, type).toFloatArray())
                    .containsExactly(new float[] {0.3f, 0.4f}, within(1e-7f));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void allZeroWeightsGiveOneHalfProbabilitiesAndZeroLogAmount(Architecture architecture) {
        try (Model model = Model.newInstance("zero", "PyTorch")) {
            MultiTaskBlock block = architecture.newBlock(PlantedLogs.SPEC, TINY);
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(
                    manager, DataType.FLOAT32, ImpressionBatches.inputShapes(PlantedLogs.SPEC));
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                array.subi(array);
            }
            var log = PlantedLogs.planted(5, 3);
            NDList out =
                    block.forward(
                            new ParameterStore(manager, false),
                            ImpressionBatches.features(manager, log, null, 0, 5),
                            false);
            assertThat(out.get(MultiTaskBlock.P_CTR).getShape()).isEqualTo(new Shape(5));
            assertThat(out.get(MultiTaskBlock.P_CVR).getShape()).isEqualTo(new Shape(5, 2));
            assertThat(out.get(MultiTaskBlock.VALUE).getShape()).isEqualTo(new Shape(5));
            assertThat(out.get(MultiTaskBlock.P_CTR).toFloatArray()).containsOnly(0.5f);
            assertThat(out.get(MultiTaskBlock.P_CVR).toFloatArray()).containsOnly(0.5f);
            assertThat(out.get(MultiTaskBlock.VALUE).toFloatArray()).containsOnly(0f);
            for (int i = 3; i < out.size(); i++) {
                assertThat(out.get(i).toFloatArray()).containsOnly(0.5f);
            }
        }
    }

    private static void set(Block block, String suffix, float... values) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                p.getValue().getArray().set(values);
                return;
            }
        }
        throw new IllegalArgumentException(
                "no parameter " + suffix + " in " + block.getParameters().keys());
    }
}
