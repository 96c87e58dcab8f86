package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-gate mixture of experts (MMoE): {@code k} expert MLPs over the same input and one softmax
 * gate per task. Output: one {@code [B, expertWidth]} mixture per gate, in gate order.
 */
public final class MixtureOfExperts extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputSize;
    private final int experts;
    private final int gates;
    private final int expertWidth;

    private MixtureOfExperts(Builder builder) {
        super(VERSION);
        this.inputSize = builder.inputSize;
        this.experts = builder.experts;
        this.gates = builder.gates;
        this.expertWidth = builder.expertUnits[builder.expertUnits.length - 1];
        for (int e = 0; e < experts; e++) {
            addChildBlock(
                    "expert" + e,
                    Mlp.builder().setInputSize(inputSize).setUnits(builder.expertUnits).build());
        }
        for (int g = 0; g < gates; g++) {
            addChildBlock("gate" + g, Linear.builder().setUnits(experts).build());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int outputSize() {
        return expertWidth;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList outputs = new NDList(experts);
        for (int e = 0; e < experts; e++) {
            outputs.add(
                    ChildBlocks.find(children, "expert" + e)
                            .forward(parameterStore, new NDList(x), training)
                            .singletonOrThrow());
        }
        NDArray stacked = NDArrays.stack(outputs, 1); // [B, k, w]
        NDList mixtures = new NDList(gates);
        for (int g = 0; g < gates; g++) {
            NDArray logits =
                    ChildBlocks.find(children, "gate" + g)
                            .forward(parameterStore, new NDList(x), training)
                            .singletonOrThrow();
            NDArray weights = logits.softmax(-1).expandDims(-1); // [B, k, 1]
            mixtures.add(stacked.mul(weights).sum(new int[] {1}));
        }
        return mixtures;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = new Shape[gates];
        java.util.Arrays.fill(shapes, new Shape(inputShapes[0].get(0), expertWidth));
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : children.values()) {
            child.initialize(manager, dataType, new Shape(1, inputSize));
        }
    }

    /** Builds a {@link MixtureOfExperts}; input size and gate count are required. */
    public static final class Builder {
        private int inputSize;
        private int experts = 4;
        private int gates;
        private int[] expertUnits = {64, 32};

        private Builder() {}

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        /** One gate per task. */
        public Builder setGates(int gates) {
            this.gates = gates;
            return this;
        }

        /** Number of experts (default 4). */
        public Builder optExperts(int experts) {
            this.experts = experts;
            return this;
        }

        /** Expert layer widths (default 64, 32). */
        public Builder optExpertUnits(int... expertUnits) {
            this.expertUnits = expertUnits.clone();
            return this;
        }

        public MixtureOfExperts build() {
            if (inputSize < 1 || gates < 1 || experts < 1) {
                throw new IllegalArgumentException("MMoE needs an input size, experts and gates");
            }
            return new MixtureOfExperts(this);
        }
    }
}
