package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * AEM2TL's tower with personalised gating on every layer: the input of layer {@code l} is
 * multiplied by {@code delta_l = 2 * sigmoid(MLP_l(context))}, where the context is the
 * concatenation of user, item and scenario prior embeddings and the stop-gradient main embedding
 * (built by the caller). {@code delta = 1} leaves the layer unchanged, so the gate can amplify or
 * damp each input unit.
 *
 * <p>Input: {@code [x [B, inputSize], context [B, contextSize]]}. Output: {@code [B, last unit]};
 * the last layer has no activation.
 */
public final class PersonalisedTower extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inputSize;
    private final int contextSize;
    private final int[] units;
    private final int gateHidden;

    private PersonalisedTower(Builder builder) {
        super(VERSION);
        this.inputSize = builder.inputSize;
        this.contextSize = builder.contextSize;
        this.units = builder.units.clone();
        this.gateHidden = builder.gateHidden;
        int width = inputSize;
        for (int l = 0; l < units.length; l++) {
            addChildBlock(
                    "gate" + l,
                    Mlp.builder()
                            .setInputSize(contextSize)
                            .setUnits(gateHidden, width)
                            .optActivateLast(false)
                            .build());
            addChildBlock("dense" + l, Linear.builder().setUnits(units[l]).build());
            width = units[l];
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bias of the output layer. */
    public Parameter outputBias() {
        return Mlp.lastBias(ChildBlocks.find(children, "dense" + (units.length - 1)));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray context = inputs.get(1);
        for (int l = 0; l < units.length; l++) {
            NDArray gate =
                    ChildBlocks.find(children, "gate" + l)
                            .forward(parameterStore, new NDList(context), training)
                            .singletonOrThrow();
            NDArray delta = Activation.sigmoid(gate).mul(2f);
            x =
                    ChildBlocks.find(children, "dense" + l)
                            .forward(parameterStore, new NDList(x.mul(delta)), training)
                            .singletonOrThrow();
            if (l < units.length - 1) {
                x = Activation.relu(x);
            }
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units[units.length - 1])};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int width = inputSize;
        for (int l = 0; l < units.length; l++) {
            ChildBlocks.find(children, "gate" + l)
                    .initialize(manager, dataType, new Shape(1, contextSize));
            ChildBlocks.find(children, "dense" + l)
                    .initialize(manager, dataType, new Shape(1, width));
            width = units[l];
        }
    }

    /** Builds a {@link PersonalisedTower}; input size, context size and units are required. */
    public static final class Builder {
        private int inputSize;
        private int contextSize;
        private int[] units;
        private int gateHidden = 16;

        private Builder() {}

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder setContextSize(int contextSize) {
            this.contextSize = contextSize;
            return this;
        }

        /** Layer widths; the last is the output (e.g. 1 for a logit). */
        public Builder setUnits(int... units) {
            this.units = units.clone();
            return this;
        }

        /** Hidden width of each gate MLP (default 16). */
        public Builder optGateHidden(int gateHidden) {
            this.gateHidden = gateHidden;
            return this;
        }

        public PersonalisedTower build() {
            if (inputSize < 1 || contextSize < 1 || units == null || units.length == 0) {
                throw new IllegalArgumentException("a tower needs input, context and units");
            }
            return new PersonalisedTower(this);
        }
    }
}
