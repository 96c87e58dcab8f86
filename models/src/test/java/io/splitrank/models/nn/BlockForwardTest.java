package io.splitrank.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/**
 * Forward passes of the shared blocks with known, non-trivial weights against values computed by
 * hand (each case is chosen so that swapping two inputs, gates, experts or projections changes the
 * result). DJL {@code Linear} weights are {@code [units, inputs]}: {@code y = x W^T + b}.
 */
class BlockForwardTest {

    private static final float LN3 = (float) Math.log(3);

    @Test
    void attentionFusionWeighsTheProjectedValuesByQueryKeySimilarity() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            AttentionFusion fusion = AttentionFusion.builder().setWidth(2).build();
            fusion.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2, 2));
            set(fusion, "query_weight", 1f, 0f, 0f, 1f);
            set(fusion, "key_weight", 1f, 0f, 0f, 1f);
            set(fusion, "value_weight", 0f, 1f, 1f, 0f); // swaps the two coordinates
            NDArray query = manager.create(new float[] {1f, 0f}, new Shape(1, 2));
            NDArray items = manager.create(new float[] {2f, 0f, 0f, 2f}, new Shape(1, 2, 2));
            float[] out = forward(fusion, manager, query, items);
            // scores [2, 0] / sqrt 2; weights w0 = sigmoid(sqrt 2), w1 = 1 - w0;
            // values [[0, 2], [2, 0]] -> [2 w1, 2 w0]
            double w0 = 1 / (1 + Math.exp(-Math.sqrt(2)));
            assertThat(out)
                    .containsExactly(
                            new float[] {(float) (2 * (1 - w0)), (float) (2 * w0)}, within(1e-5f));
        }
    }

    @Test
    void taskRouterMixesAllTasksForTheTargetRowsOnly() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            TaskRouter router = TaskRouter.builder().setTasks(3).optTargets(2).setWidth(2).build();
            router.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2));
            set(router, "query_weight", 1f, 0f, 0f, 1f);
            set(router, "key_weight", 2f, 0f, 0f, 2f);
            set(router, "pairScores", 1f, 0f, 0f, 0f, 0f, -1f); // [targets 2, sources 3]
            float[][] r = {{1f, 0f}, {0f, 1f}, {1f, 1f}};
            NDArray reps = manager.create(new float[] {1f, 0f, 0f, 1f, 1f, 1f}, new Shape(1, 3, 2));
            NDArray out =
                    router.forward(new ParameterStore(manager, false), new NDList(reps), false)
                            .singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(1, 2, 2));
            float[] got = out.toFloatArray();
            double[][] s = {{1, 0, 0}, {0, 0, -1}};
            for (int target = 0; target < 2; target++) {
                float[] q = r[1 + target]; // targets are the last two tasks
                double[] score = new double[3];
                double z = 0;
                for (int j = 0; j < 3; j++) {
                    score[j] =
                            Math.exp(
                                    (q[0] * 2 * r[j][0] + q[1] * 2 * r[j][1]) / Math.sqrt(2)
                                            + s[target][j]);
                    z += score[j];
                }
                for (int c = 0; c < 2; c++) {
                    double expected = 0;
                    for (int j = 0; j < 3; j++) {
                        expected += score[j] / z * r[j][c];
                    }
                    assertThat(got[target * 2 + c]).isCloseTo((float) expected, within(1e-5f));
                }
            }
        }
    }

    @Test
    void mixtureOfExpertsMixesExpertsByEachGatesSoftmax() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MixtureOfExperts moe =
                    MixtureOfExperts.builder()
                            .setInputSize(2)
                            .setGates(2)
                            .optExperts(2)
                            .optExpertUnits(2)
                            .build();
            moe.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            set(moe, "expert0_dense0_weight", 1f, 0f, 0f, 1f); // relu(x)
            set(moe, "expert0_dense0_bias", 0f, 0f);
            set(moe, "expert1_dense0_weight", -1f, 0f, 0f, -1f); // relu(1 - x)
            set(moe, "expert1_dense0_bias", 1f, 1f);
            set(moe, "gate0_weight", 0f, 0f, 0f, 0f);
            set(moe, "gate0_bias", 0f, LN3); // weights [1/4, 3/4]
            set(moe, "gate1_weight", 1f, 0f, 0f, 0f); // logits [x0, 0]
            set(moe, "gate1_bias", 0f, 0f);
            NDArray x = manager.create(new float[] {0.5f, 2f}, new Shape(1, 2));
            NDList out = moe.forward(new ParameterStore(manager, false), new NDList(x), false);
            // experts: [0.5, 2] and [0.5, 0]
            assertThat(out.get(0).toFloatArray())
                    .containsExactly(new float[] {0.5f, 0.5f}, within(1e-5f));
            double w = 1 / (1 + Math.exp(-0.5));
            assertThat(out.get(1).toFloatArray())
                    .containsExactly(new float[] {0.5f, (float) (2 * w)}, within(1e-5f));
        }
    }

    @Test
    void mixedCgcGroupUsesTheSharedAndItsOwnExpertsWithOneGatePerVariant() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CustomizedGateControl cgc =
                    CustomizedGateControl.builder()
                            .setInputSize(2)
                            .setGroups(2)
                            .optSharedExperts(1)
                            .optGatesPerGroup(2)
                            .optExpertUnits(2)
                            .build();
            cgc.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            set(cgc, "shared0_dense0_weight", 1f, 0f, 0f, 1f); // relu(x)
            set(cgc, "shared0_dense0_bias", 0f, 0f);
            set(cgc, "group0expert0_dense0_weight", 3f, 0f, 0f, 3f); // another group's expert
            set(cgc, "group0expert0_dense0_bias", 0f, 0f);
            set(cgc, "group1expert0_dense0_weight", -1f, 0f, 0f, -1f); // relu(1 - x)
            set(cgc, "group1expert0_dense0_bias", 1f, 1f);
            set(cgc, "gate1_0_weight", 0f, 0f, 0f, 0f);
            set(cgc, "gate1_0_bias", 0f, LN3); // [shared 1/4, own 3/4]
            set(cgc, "gate1_1_weight", 0f, 0f, 0f, 0f);
            set(cgc, "gate1_1_bias", LN3, 0f); // [shared 3/4, own 1/4]
            NDArray x = manager.create(new float[] {0.5f, 2f}, new Shape(1, 2));
            NDList group = cgc.forwardGroup(new ParameterStore(manager, false), x, 1, false);
            // shared [0.5, 2], own [0.5, 0]
            assertThat(group.get(0).toFloatArray())
                    .containsExactly(new float[] {0.5f, 0.5f}, within(1e-5f));
            assertThat(group.get(1).toFloatArray())
                    .containsExactly(new float[] {0.5f, 1.5f}, within(1e-5f));
            NDList all = cgc.forward(new ParameterStore(manager, false), new NDList(x), false);
            assertThat(all).hasSize(4);
            assertThat(all.get(2).toFloatArray())
                    .containsExactly(group.get(0).toFloatArray(), within(1e-6f));
            assertThat(all.get(3).toFloatArray())
                    .containsExactly(group.get(1).toFloatArray(), within(1e-6f));
        }
    }

    @Test
    void splitCgcConcatenatesTheSharedMixtureAndTheGroupsOwnMixture() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            CustomizedGateControl cgc =
                    CustomizedGateControl.builder()
                            .setInputSize(2)
                            .setGroups(2)
                            .optSharedExperts(2)
                            .optExpertUnits(2)
                            .optMode(CustomizedGateControl.Mode.SPLIT)
                            .build();
            cgc.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            set(cgc, "shared0_dense0_weight", 1f, 0f, 0f, 1f); // relu(x)
            set(cgc, "shared0_dense0_bias", 0f, 0f);
            set(cgc, "shared1_dense0_weight", -1f, 0f, 0f, -1f); // relu(1 - x)
            set(cgc, "shared1_dense0_bias", 1f, 1f);
            set(cgc, "group1expert0_dense0_weight", 2f, 0f, 0f, 2f); // relu(2x)
            set(cgc, "group1expert0_dense0_bias", 0f, 0f);
            set(cgc, "sharedGate1_0_weight", 0f, 0f, 0f, 0f);
            set(cgc, "sharedGate1_0_bias", 0f, LN3);
            NDArray x = manager.create(new float[] {0.5f, 2f}, new Shape(1, 2));
            NDList group = cgc.forwardGroup(new ParameterStore(manager, false), x, 1, false);
            // shared mixture 1/4 [0.5, 2] + 3/4 [0.5, 0]; own (a single expert) [1, 4]
            assertThat(group.singletonOrThrow().toFloatArray())
                    .containsExactly(new float[] {0.5f, 0.5f, 1f, 4f}, within(1e-5f));
        }
    }

    @Test
    void personalisedTowerScalesEachLayersInputByTwiceTheSigmoidOfItsGate() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PersonalisedTower tower =
                    PersonalisedTower.builder()
                            .setInputSize(2)
                            .setContextSize(1)
                            .setUnits(2, 1)
                            .optGateHidden(1)
                            .build();
            tower.initialize(manager, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 1));
            // layer 0: gate logits [relu(c), 0] with c = ln 3 -> delta [1.5, 1]
            set(tower, "gate0_dense0_weight", 1f);
            set(tower, "gate0_dense0_bias", 0f);
            set(tower, "gate0_dense1_weight", 1f, 0f);
            set(tower, "gate0_dense1_bias", 0f, 0f);
            set(tower, "dense0_weight", 1f, 1f, 1f, -1f);
            set(tower, "dense0_bias", 0f, 0f);
            // layer 1: gate logits [0, -ln 3] -> delta [1, 0.5]
            set(tower, "gate1_dense0_weight", 0f);
            set(tower, "gate1_dense0_bias", 0f);
            set(tower, "gate1_dense1_weight", 0f, 0f);
            set(tower, "gate1_dense1_bias", 0f, -LN3);
            set(tower, "dense1_weight", 1f, 2f);
            set(tower, "dense1_bias", 0.5f);
            NDArray x = manager.create(new float[] {2f, 1f}, new Shape(1, 2));
            NDArray c = manager.create(new float[] {LN3}, new Shape(1, 1));
            float out =
                    tower.forward(new ParameterStore(manager, false), new NDList(x, c), false)
                            .singletonOrThrow()
                            .getFloat();
            // x * delta0 = [3, 1] -> relu([4, 2]); * delta1 = [4, 1] -> 4 + 2 + 0.5
            assertThat(out).isCloseTo(6.5f, within(1e-5f));
        }
    }

    private static float[] forward(Block block, NDManager manager, NDArray... inputs) {
        return block.forward(new ParameterStore(manager, false), new NDList(inputs), false)
                .singletonOrThrow()
                .toFloatArray();
    }

    /**
     * Sets the parameter whose path, without DJL's two-digit child prefixes, is {@code path} (e.g.
     * {@code expert1_dense0_weight}).
     */
    static void set(Block block, String path, float... values) {
        Parameter found = null;
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = p.getKey().replaceAll("(^|_)\\d\\d(?=[a-zA-Z])", "$1");
            if (key.equals(path)) {
                found = p.getValue();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(
                    "no parameter " + path + " in " + block.getParameters().keys());
        }
        NDArray array = found.getArray();
        assertThat(array.size()).as(path).isEqualTo(values.length);
        array.set(values);
    }
}
