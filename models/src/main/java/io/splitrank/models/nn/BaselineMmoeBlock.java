package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.splitrank.models.data.FeatureSpec;
import java.util.List;

/**
 * The baseline arm: MMoE (shared embeddings, {@code k} experts, one softmax gate per task) with
 * towers for CTR, for CVR per conversion type and for value, trained in the entire space ({@code
 * pCTCVR = pCTR * pCVR} on all impressions, as ESMM).
 */
public final class BaselineMmoeBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    private BaselineMmoeBlock(Builder builder) {
        super(VERSION, builder.spec.conversionTypes().size());
        FeatureEmbedding embedding =
                addChildBlock(
                        "embedding",
                        FeatureEmbedding.builder()
                                .setSpec(builder.spec)
                                .optDim(builder.dims.embeddingDim())
                                .build());
        MixtureOfExperts mmoe =
                addChildBlock(
                        "mmoe",
                        MixtureOfExperts.builder()
                                .setInputSize(embedding.outputSize())
                                .setGates(conversionTypes + 2)
                                .optExperts(builder.dims.experts())
                                .optExpertUnits(
                                        builder.dims.expertHidden(), builder.dims.expertWidth())
                                .build());
        int w = mmoe.outputSize();
        addChildBlock("ctrTower", tower(w, builder.dims.towerHidden()));
        for (int t = 0; t < conversionTypes; t++) {
            addChildBlock("cvrTower" + t, tower(w, builder.dims.towerHidden()));
        }
        addChildBlock("valueTower", tower(w, builder.dims.towerHidden()));
    }

    static Mlp tower(int input, int hidden) {
        return Mlp.builder().setInputSize(input).setUnits(hidden, 1).optActivateLast(false).build();
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
        NDList mixtures =
                runList("mmoe", parameterStore, new NDList(sharedCopies.head()), training);
        NDArray pCtr = probability(run("ctrTower", parameterStore, mixtures.get(0), training));
        NDList cvr = new NDList(conversionTypes);
        for (int t = 0; t < conversionTypes; t++) {
            cvr.add(run("cvrTower" + t, parameterStore, mixtures.get(1 + t), training));
        }
        NDArray pCvr = ai.djl.nn.Activation.sigmoid(NDArrays.concat(cvr, 1));
        NDArray value =
                run("valueTower", parameterStore, mixtures.get(conversionTypes + 1), training)
                        .reshape(-1);
        return new NDList(pCtr, pCvr, value);
    }

    /** Builds a {@link BaselineMmoeBlock}; the feature spec is required. */
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

        public BaselineMmoeBlock build() {
            if (spec == null) {
                throw new IllegalArgumentException("the baseline needs a feature spec");
            }
            return new BaselineMmoeBlock(this);
        }
    }
}
