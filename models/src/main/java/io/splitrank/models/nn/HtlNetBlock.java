package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.splitrank.models.data.FeatureSpec;
import java.util.List;

/**
 * HTLNet, Hybrid Targets Learning Network (RecSys 2024, arXiv 2403.17442): ordered tasks click,
 * conversion, value. A shared bottom gives {@code h}; each task has its own representation MLP on
 * its copy of {@code h}. A label-embedding unit per classification task turns its prediction into a
 * vector; an information-fusion unit (attention) over the earlier tasks' representations and label
 * embeddings feeds the next task's head. The transfer paths carry stop-gradient (earlier
 * representations and the probabilities behind label embeddings), so a later task's loss does not
 * train an earlier task's tower. The gradient adjustment between the value task and the
 * classification tasks happens in the trainer, on the three copies of {@code h} (see {@code
 * io.splitrank.models.train.GradientProjection}).
 */
public final class HtlNetBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    private final float initialTemperature;
    private final float minTemperature;
    private final float annealRate;

    private HtlNetBlock(Builder builder) {
        super(VERSION, builder.spec.conversionTypes().size());
        NetworkDimensions dims = builder.dims;
        this.initialTemperature = builder.initialTemperature;
        this.minTemperature = builder.minTemperature;
        this.annealRate = builder.annealRate;
        FeatureEmbedding embedding =
                addChildBlock(
                        "embedding",
                        FeatureEmbedding.builder()
                                .setSpec(builder.spec)
                                .optDim(dims.embeddingDim())
                                .build());
        int w = dims.expertWidth();
        addChildBlock(
                "bottom",
                Mlp.builder()
                        .setInputSize(embedding.outputSize())
                        .setUnits(dims.expertHidden(), w)
                        .build());
        for (String task : sharedCopyTasks()) {
            addChildBlock(
                    task + "Rep",
                    Mlp.builder().setInputSize(w).setUnits(dims.towerHidden(), w).build());
        }
        addChildBlock(
                "ctrHead",
                Mlp.builder().setInputSize(w).setUnits(1).optActivateLast(false).build());
        addChildBlock("ctrLabel", LabelEmbedding.builder().setWidth(w).build());
        addChildBlock("cvrFusion", AttentionFusion.builder().setWidth(w).build());
        addChildBlock(
                "cvrHead",
                Mlp.builder()
                        .setInputSize(2 * w)
                        .setUnits(dims.towerHidden(), conversionTypes)
                        .optActivateLast(false)
                        .build());
        addChildBlock("cvrLabel", LabelEmbedding.builder().setWidth(w).build());
        addChildBlock("valueFusion", AttentionFusion.builder().setWidth(w).build());
        addChildBlock(
                "valueHead",
                Mlp.builder()
                        .setInputSize(2 * w)
                        .setUnits(dims.towerHidden(), 1)
                        .optActivateLast(false)
                        .build());
        onTrainingStep(0);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ai.djl.nn.Parameter valueOutputBias() {
        return ((Mlp) ChildBlocks.find(children, "valueHead")).outputBias();
    }

    @Override
    public List<String> sharedCopyTasks() {
        return List.of("ctr", "cvr", "value");
    }

    /** Anneals the Gumbel-softmax temperature: {@code max(min, initial * exp(-rate * step))}. */
    @Override
    public void onTrainingStep(long step) {
        float t =
                (float) Math.max(minTemperature, initialTemperature * Math.exp(-annealRate * step));
        ((LabelEmbedding) ChildBlocks.find(children, "ctrLabel")).setTemperature(t);
        ((LabelEmbedding) ChildBlocks.find(children, "cvrLabel")).setTemperature(t);
    }

    @Override
    public NDList encode(ParameterStore parameterStore, NDList features, boolean training) {
        NDArray embedded = runList("embedding", parameterStore, features, training).head();
        return new NDList(run("bottom", parameterStore, embedded, training));
    }

    @Override
    public NDList heads(
            ParameterStore parameterStore,
            NDList sharedCopies,
            NDList encoded,
            NDList features,
            boolean training) {
        NDArray ctrRep = run("ctrRep", parameterStore, sharedCopies.get(0), training);
        NDArray pCtr = probability(run("ctrHead", parameterStore, ctrRep, training));
        NDArray ctrLabel = run("ctrLabel", parameterStore, pCtr, training);

        NDArray cvrRep = run("cvrRep", parameterStore, sharedCopies.get(1), training);
        NDArray cvrIn =
                fuse(
                        "cvrFusion",
                        parameterStore,
                        cvrRep,
                        new NDList(cvrRep, ctrRep.stopGradient(), ctrLabel),
                        training);
        NDArray pCvr = Activation.sigmoid(run("cvrHead", parameterStore, cvrIn, training));
        NDArray cvrLabel =
                run("cvrLabel", parameterStore, ofOwnType(pCvr, features.get(3)), training);

        NDArray valueRep = run("valueRep", parameterStore, sharedCopies.get(2), training);
        NDArray valueIn =
                fuse(
                        "valueFusion",
                        parameterStore,
                        valueRep,
                        new NDList(
                                valueRep,
                                ctrRep.stopGradient(),
                                ctrLabel,
                                cvrRep.stopGradient(),
                                cvrLabel),
                        training);
        NDArray value = run("valueHead", parameterStore, valueIn, training).reshape(-1);
        return new NDList(pCtr, pCvr, value);
    }

    private NDArray fuse(
            String unit,
            ParameterStore parameterStore,
            NDArray own,
            NDList items,
            boolean training) {
        NDArray fused =
                runList(unit, parameterStore, new NDList(own, NDArrays.stack(items, 1)), training)
                        .singletonOrThrow();
        return NDArrays.concat(new NDList(own, fused), 1);
    }

    /** Builds an {@link HtlNetBlock}; the feature spec is required. */
    public static final class Builder {
        private FeatureSpec spec;
        private NetworkDimensions dims = NetworkDimensions.DEFAULT;
        private float initialTemperature = 1f;
        private float minTemperature = 0.1f;
        private float annealRate = 1e-3f;

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

        /**
         * Gumbel-softmax temperature schedule (default 1.0 annealed at 1e-3 per step down to 0.1).
         */
        public Builder optTemperature(float initial, float min, float annealRate) {
            this.initialTemperature = initial;
            this.minTemperature = min;
            this.annealRate = annealRate;
            return this;
        }

        public HtlNetBlock build() {
            if (spec == null) {
                throw new IllegalArgumentException("HTLNet needs a feature spec");
            }
            return new HtlNetBlock(this);
        }
    }
}
