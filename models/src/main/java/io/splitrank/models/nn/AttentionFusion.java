package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Single-query scaled dot-product attention over a short list of vectors, as in AITM's transfer
 * unit: HTLNet's information-fusion unit and EKTM's transmitters use it.
 *
 * <p>Input: {@code [query [B, w], items [B, n, w]]}. Output: {@code [B, w]}, the attention-weighted
 * sum of the projected items.
 */
public final class AttentionFusion extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;

    private AttentionFusion(Builder builder) {
        super(VERSION);
        this.width = builder.width;
        addChildBlock("query", Linear.builder().setUnits(width).optBias(false).build());
        addChildBlock("key", Linear.builder().setUnits(width).optBias(false).build());
        addChildBlock("value", Linear.builder().setUnits(width).optBias(false).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray query =
                project("query", parameterStore, inputs.get(0), training).expandDims(1); // [B,1,w]
        NDArray items = inputs.get(1);
        NDArray keys = project("key", parameterStore, items, training); // [B,n,w]
        NDArray values = project("value", parameterStore, items, training);
        NDArray scores = keys.mul(query).sum(new int[] {2}).div(Math.sqrt(width)); // [B,n]
        NDArray weights = scores.softmax(-1).expandDims(-1);
        return new NDList(values.mul(weights).sum(new int[] {1}));
    }

    private NDArray project(
            String name, ParameterStore parameterStore, NDArray x, boolean training) {
        return ChildBlocks.find(children, name)
                .forward(parameterStore, new NDList(x), training)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : children.values()) {
            child.initialize(manager, dataType, new Shape(1, width));
        }
    }

    /** Builds an {@link AttentionFusion}; the width is required. */
    public static final class Builder {
        private int width;

        private Builder() {}

        /** Width of the query, of every item and of the output. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public AttentionFusion build() {
            if (width < 1) {
                throw new IllegalArgumentException("AttentionFusion needs a width");
            }
            return new AttentionFusion(this);
        }
    }
}
