package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A stack of dense layers with ReLU between them: the expert, tower and bottom networks of every
 * model. The input width is fixed at build time so the block initialises without a sample batch.
 */
public final class Mlp extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputSize;
    private final int[] units;
    private final boolean activateLast;

    private Mlp(Builder builder) {
        super(VERSION);
        this.inputSize = builder.inputSize;
        this.units = builder.units.clone();
        this.activateLast = builder.activateLast;
        for (int i = 0; i < units.length; i++) {
            addChildBlock("dense" + i, Linear.builder().setUnits(units[i]).build());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Width of the output. */
    public int outputSize() {
        return units[units.length - 1];
    }

    /** The bias of the last layer (the trainer sets a value head's bias to the mean log amount). */
    public Parameter outputBias() {
        return lastBias(children.values().get(children.size() - 1));
    }

    static Parameter lastBias(Block linear) {
        for (ai.djl.util.Pair<String, Parameter> p : linear.getParameters()) {
            if (p.getKey().endsWith("bias")) {
                return p.getValue();
            }
        }
        throw new IllegalStateException("layer without a bias");
    }

    /** Applies the layers to {@code x} ({@code [..., inputSize]}). */
    public NDArray apply(ParameterStore parameterStore, NDArray x, boolean training) {
        NDArray out = x;
        int i = 0;
        for (Block layer : children.values()) {
            out = layer.forward(parameterStore, new NDList(out), training).singletonOrThrow();
            if (i < units.length - 1 || activateLast) {
                out = Activation.relu(out);
            }
            i++;
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(parameterStore, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] dims = inputShapes[0].getShape().clone();
        dims[dims.length - 1] = outputSize();
        return new Shape[] {new Shape(dims)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int width = inputSize;
        int i = 0;
        for (Block layer : children.values()) {
            layer.initialize(manager, dataType, new Shape(1, width));
            width = units[i++];
        }
    }

    @Override
    public String toString() {
        return "Mlp(" + inputSize + " -> " + Arrays.toString(units) + ")";
    }

    /** Builds an {@link Mlp}; {@code setInputSize} and {@code setUnits} are required. */
    public static final class Builder {
        private int inputSize;
        private int[] units;
        private boolean activateLast = true;

        private Builder() {}

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder setUnits(int... units) {
            this.units = units.clone();
            return this;
        }

        /** Whether the last layer is followed by a ReLU (default true; false for logit heads). */
        public Builder optActivateLast(boolean activateLast) {
            this.activateLast = activateLast;
            return this;
        }

        public Mlp build() {
            if (inputSize < 1 || units == null || units.length == 0) {
                throw new IllegalArgumentException(
                        "an Mlp needs an input size and at least one layer");
            }
            return new Mlp(this);
        }
    }
}
