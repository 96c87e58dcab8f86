package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.splitrank.models.data.FeatureSpec;
import java.util.List;

/**
 * EKTM, Effective Knowledge Transfer across CTR and several CVR tasks (Cai, Yuan, Dong, arXiv
 * 2605.05730): a router, a transmitter per CVR task and an enhanced module.
 *
 * <p><b>Interpretation, not the paper's equations</b> (they are not public; this is the reading
 * that models/README.md also gives):
 *
 * <ul>
 *   <li>task representations {@code r_0} (CTR), {@code r_1..r_T} (one per conversion type) and a
 *       value representation come from an MMoE over the shared embeddings;
 *   <li>router ({@link TaskRouter}): {@code o_i = sum_j softmax_j(score_ij) r_j} over CTR and all
 *       CVR tasks — sequential (click to convert: CTR is in the mix) and parallel (types side by
 *       side) transfer in one place; computed for the CVR tasks {@code i} only, since the paper has
 *       a transmitter per CVR task and none for CTR (CTR gives knowledge, it does not receive it);
 *   <li>transmitter {@code i} ({@link AttentionFusion}, AITM-style): attention with query {@code
 *       r_i} over {@code [o_i, r_i]}, giving the transferred vector {@code t_i};
 *   <li>enhanced module: {@code z_i = r_i + sigmoid(W_i [r_i; t_i]) * t_i} feeds CVR tower {@code
 *       i} (gated residual), and an auxiliary head on {@code t_i} alone is trained on the
 *       entire-space conversion label, so the transferred knowledge must be useful for task {@code
 *       i} by itself.
 * </ul>
 *
 * <p>Extra output 3: auxiliary post-click probabilities from the transferred vectors {@code [B,
 * T]}.
 */
public final class EktmBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    /** Index of the auxiliary (transferred-vector) pCVR output. */
    public static final int P_CVR_TRANSFERRED = 3;

    private final int width;

    private EktmBlock(Builder builder) {
        super(VERSION, builder.spec.conversionTypes().size());
        NetworkDimensions dims = builder.dims;
        FeatureEmbedding embedding =
                addChildBlock(
                        "embedding",
                        FeatureEmbedding.builder()
                                .setSpec(builder.spec)
                                .optDim(dims.embeddingDim())
                                .build());
        MixtureOfExperts mmoe =
                addChildBlock(
                        "mmoe",
                        MixtureOfExperts.builder()
                                .setInputSize(embedding.outputSize())
                                .setGates(conversionTypes + 2)
                                .optExperts(dims.experts())
                                .optExpertUnits(dims.expertHidden(), dims.expertWidth())
                                .build());
        this.width = mmoe.outputSize();
        addChildBlock(
                "router",
                TaskRouter.builder()
                        .setTasks(conversionTypes + 1)
                        .optTargets(conversionTypes)
                        .setWidth(width)
                        .build());
        addChildBlock("ctrTower", BaselineMmoeBlock.tower(width, dims.towerHidden()));
        for (int t = 0; t < conversionTypes; t++) {
            addChildBlock("transmitter" + t, AttentionFusion.builder().setWidth(width).build());
            addChildBlock(
                    "enhanceGate" + t,
                    Mlp.builder()
                            .setInputSize(2 * width)
                            .setUnits(width)
                            .optActivateLast(false)
                            .build());
            addChildBlock("cvrTower" + t, BaselineMmoeBlock.tower(width, dims.towerHidden()));
            addChildBlock(
                    "transferHead" + t,
                    Mlp.builder().setInputSize(width).setUnits(1).optActivateLast(false).build());
        }
        addChildBlock("valueTower", BaselineMmoeBlock.tower(width, dims.towerHidden()));
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ai.djl.nn.Parameter valueOutputBias() {
        return ((Mlp) ChildBlocks.find(children, "valueTower")).outputBias();
    }

    @Override
    public List<String> sharedCopyTasks() {
        return List.of("all");
    }

    @Override
    protected int[] extraOutputWidths() {
        return new int[] {conversionTypes};
    }

    @Override
    public NDList encode(ParameterStore parameterStore, NDList features, boolean training) {
        return new NDList(runList("embedding", parameterStore, features, training).head());
    }

    @Override
    public NDList heads(
            ParameterStore parameterStore,
            NDList sharedCopies,
            NDList encoded,
            NDList features,
            boolean training) {
        NDList reps = runList("mmoe", parameterStore, new NDList(sharedCopies.head()), training);
        NDArray ctrRep = reps.get(0);
        NDList transferTasks = new NDList(reps.subNDList(0, conversionTypes + 1));
        NDArray routed =
                runList(
                                "router",
                                parameterStore,
                                new NDList(NDArrays.stack(transferTasks, 1)),
                                training)
                        .singletonOrThrow(); // [B, T, w]: CVR tasks only (CTR is a source)
        NDList cvrLogits = new NDList(conversionTypes);
        NDList transferLogits = new NDList(conversionTypes);
        for (int t = 0; t < conversionTypes; t++) {
            NDArray own = reps.get(1 + t);
            NDArray routedToT = routed.get(":, " + t + ", :");
            NDArray transferred =
                    runList(
                                    "transmitter" + t,
                                    parameterStore,
                                    new NDList(own, NDArrays.stack(new NDList(routedToT, own), 1)),
                                    training)
                            .singletonOrThrow();
            NDArray gate =
                    Activation.sigmoid(
                            run(
                                    "enhanceGate" + t,
                                    parameterStore,
                                    NDArrays.concat(new NDList(own, transferred), 1),
                                    training));
            NDArray enhanced = own.add(gate.mul(transferred));
            cvrLogits.add(run("cvrTower" + t, parameterStore, enhanced, training));
            transferLogits.add(run("transferHead" + t, parameterStore, transferred, training));
        }
        NDArray pCtr = probability(run("ctrTower", parameterStore, ctrRep, training));
        NDArray pCvr = Activation.sigmoid(NDArrays.concat(cvrLogits, 1));
        NDArray value =
                run("valueTower", parameterStore, reps.get(conversionTypes + 1), training)
                        .reshape(-1);
        NDArray pTransferred = Activation.sigmoid(NDArrays.concat(transferLogits, 1));
        return new NDList(pCtr, pCvr, value, pTransferred);
    }

    /** Builds an {@link EktmBlock}; the feature spec is required. */
    public static final class Builder {
        private FeatureSpec spec;
        private NetworkDimensions dims = NetworkDimensions.DEFAULT;

        private Builder() {}

        public Builder setSpec(FeatureSpec spec) {
            this.spec = spec;
            return this;
        }

        /** Layer sizes (default {@link NetworkDimensions#DEFAULT}). */
        public Builder optDimensions(NetworkDimensions dims) {
            this.dims = dims;
            return this;
        }

        public EktmBlock build() {
            if (spec == null) {
                throw new IllegalArgumentException("EKTM needs a feature spec");
            }
            return new EktmBlock(this);
        }
    }
}
