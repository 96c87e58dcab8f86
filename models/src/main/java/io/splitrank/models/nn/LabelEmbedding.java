package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * HTLNet's label-embedding unit: {@code le = [p~, 1 - p~] . E} with {@code E} a learned {@code 2 x
 * w} table. In training {@code p~} is a Gumbel-softmax sample of the (stop-gradient) predicted
 * probability at the current temperature; in inference it is the probability itself, so predictions
 * are deterministic.
 *
 * <p>Input: {@code [p [B]]}. Output: {@code [le [B, w]]}.
 */
public final class LabelEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-6f;

    private final int width;
    private final Parameter table;
    private volatile float temperature = 1f;

    private LabelEmbedding(Builder builder) {
        super(VERSION);
        this.width = builder.width;
        this.table =
                addParameter(
                        Parameter.builder()
                                .setName("labels")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(2, width))
                                .optInitializer(new NormalInitializer(0.1f))
                                .build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Gumbel-softmax temperature for training; the trainer anneals it. */
    public void setTemperature(float temperature) {
        this.temperature = temperature;
    }

    public float temperature() {
        return temperature;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray p = inputs.singletonOrThrow().stopGradient().clip(EPS, 1 - EPS);
        NDArray twoWay = NDArrays.stack(new NDList(p, p.neg().add(1f)), 1); // [B, 2]
        if (training) {
            NDArray u = p.getManager().randomUniform(EPS, 1f - EPS, twoWay.getShape());
            NDArray gumbel = u.log().neg().log().neg();
            twoWay = twoWay.log().add(gumbel).div(temperature).softmax(-1);
        }
        NDArray e = parameterStore.getValue(table, p.getDevice(), training);
        return new NDList(twoWay.matMul(e));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    /** Builds a {@link LabelEmbedding}; the width is required. */
    public static final class Builder {
        private int width;

        private Builder() {}

        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public LabelEmbedding build() {
            if (width < 1) {
                throw new IllegalArgumentException("a label embedding needs a width");
            }
            return new LabelEmbedding(this);
        }
    }
}
