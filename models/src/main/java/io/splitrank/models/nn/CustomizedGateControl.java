package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Customized gate control (CGC, from PLE): shared experts, a few experts specific to each group
 * (scenario or task), and softmax gates per group. AEM2TL uses it twice.
 *
 * <ul>
 *   <li>{@code SPLIT} (Scenario-CGC): a group's output is {@code concat(shared mixture, specific
 *       mixture)}, each mixed by its own gate.
 *   <li>{@code MIXED} (Task-CGC): a group's output is one gate over shared and specific experts
 *       together. With {@code gatesPerGroup > 1} a group has several gates over the same experts
 *       (AEM2TL: one per scenario for each task, experts shared across scenarios).
 * </ul>
 *
 * <p>Output of {@link #forward}: {@code groups * gatesPerGroup} arrays {@code [B, outputSize]},
 * group major; {@link #forwardGroup} computes one group only (its experts and gates, nothing else).
 */
public final class CustomizedGateControl extends AbstractBlock {

    private static final byte VERSION = 1;

    /** How a group's output combines shared and specific experts. */
    public enum Mode {
        SPLIT,
        MIXED
    }

    private final int inputSize;
    private final int groups;
    private final int sharedExperts;
    private final int specificExperts;
    private final int gatesPerGroup;
    private final int expertWidth;
    private final Mode mode;

    private CustomizedGateControl(Builder builder) {
        super(VERSION);
        this.inputSize = builder.inputSize;
        this.groups = builder.groups;
        this.sharedExperts = builder.sharedExperts;
        this.specificExperts = builder.specificExperts;
        this.gatesPerGroup = builder.gatesPerGroup;
        this.expertWidth = builder.expertUnits[builder.expertUnits.length - 1];
        this.mode = builder.mode;
        for (int e = 0; e < sharedExperts; e++) {
            addChildBlock("shared" + e, expert(builder));
        }
        for (int g = 0; g < groups; g++) {
            for (int e = 0; e < specificExperts; e++) {
                addChildBlock("group" + g + "expert" + e, expert(builder));
            }
            for (int v = 0; v < gatesPerGroup; v++) {
                if (mode == Mode.MIXED) {
                    addChildBlock(gateName(g, v, "gate"), gate(sharedExperts + specificExperts));
                } else {
                    addChildBlock(gateName(g, v, "sharedGate"), gate(sharedExperts));
                    addChildBlock(gateName(g, v, "specificGate"), gate(specificExperts));
                }
            }
        }
    }

    private static Mlp expert(Builder builder) {
        return Mlp.builder().setInputSize(builder.inputSize).setUnits(builder.expertUnits).build();
    }

    private static Linear gate(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static String gateName(int group, int variant, String kind) {
        return kind + group + "_" + variant;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Width of each output. */
    public int outputSize() {
        return mode == Mode.SPLIT ? 2 * expertWidth : expertWidth;
    }

    /** The {@code gatesPerGroup} outputs of one group. */
    public NDList forwardGroup(
            ParameterStore parameterStore, NDArray x, int group, boolean training) {
        NDList shared = new NDList(sharedExperts);
        for (int e = 0; e < sharedExperts; e++) {
            shared.add(run("shared" + e, parameterStore, x, training));
        }
        NDList specific = new NDList(specificExperts);
        for (int e = 0; e < specificExperts; e++) {
            specific.add(run("group" + group + "expert" + e, parameterStore, x, training));
        }
        NDList outputs = new NDList(gatesPerGroup);
        if (mode == Mode.MIXED) {
            NDList all = new NDList(shared);
            all.addAll(specific);
            NDArray stacked = NDArrays.stack(all, 1);
            for (int v = 0; v < gatesPerGroup; v++) {
                outputs.add(
                        mix(stacked, run(gateName(group, v, "gate"), parameterStore, x, training)));
            }
        } else {
            NDArray sharedStack = NDArrays.stack(shared, 1);
            NDArray specificStack = NDArrays.stack(specific, 1);
            for (int v = 0; v < gatesPerGroup; v++) {
                NDArray s =
                        mix(
                                sharedStack,
                                run(gateName(group, v, "sharedGate"), parameterStore, x, training));
                NDArray p =
                        mix(
                                specificStack,
                                run(
                                        gateName(group, v, "specificGate"),
                                        parameterStore,
                                        x,
                                        training));
                outputs.add(NDArrays.concat(new NDList(s, p), 1));
            }
        }
        return outputs;
    }

    private static NDArray mix(NDArray stackedExperts, NDArray gateLogits) {
        return stackedExperts.mul(gateLogits.softmax(-1).expandDims(-1)).sum(new int[] {1});
    }

    private NDArray run(String child, ParameterStore parameterStore, NDArray x, boolean training) {
        return ChildBlocks.find(children, child)
                .forward(parameterStore, new NDList(x), training)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList outputs = new NDList(groups * gatesPerGroup);
        for (int g = 0; g < groups; g++) {
            outputs.addAll(forwardGroup(parameterStore, x, g, training));
        }
        return outputs;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = new Shape[groups * gatesPerGroup];
        java.util.Arrays.fill(shapes, new Shape(inputShapes[0].get(0), outputSize()));
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : children.values()) {
            child.initialize(manager, dataType, new Shape(1, inputSize));
        }
    }

    /** Builds a {@link CustomizedGateControl}; input size and groups are required. */
    public static final class Builder {
        private int inputSize;
        private int groups;
        private int sharedExperts = 2;
        private int specificExperts = 1;
        private int gatesPerGroup = 1;
        private int[] expertUnits = {64, 32};
        private Mode mode = Mode.MIXED;

        private Builder() {}

        public Builder setInputSize(int inputSize) {
            this.inputSize = inputSize;
            return this;
        }

        public Builder setGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Shared experts (default 2). */
        public Builder optSharedExperts(int sharedExperts) {
            this.sharedExperts = sharedExperts;
            return this;
        }

        /** Experts per group (default 1). */
        public Builder optSpecificExperts(int specificExperts) {
            this.specificExperts = specificExperts;
            return this;
        }

        /** Gates per group over the same experts (default 1). */
        public Builder optGatesPerGroup(int gatesPerGroup) {
            this.gatesPerGroup = gatesPerGroup;
            return this;
        }

        /** Expert layer widths (default 64, 32). */
        public Builder optExpertUnits(int... expertUnits) {
            this.expertUnits = expertUnits.clone();
            return this;
        }

        /** SPLIT for Scenario-CGC, MIXED (default) for Task-CGC. */
        public Builder optMode(Mode mode) {
            this.mode = mode;
            return this;
        }

        public CustomizedGateControl build() {
            if (inputSize < 1
                    || groups < 1
                    || sharedExperts < 1
                    || specificExperts < 1
                    || gatesPerGroup < 1) {
                throw new IllegalArgumentException("CGC needs an input size, groups and experts");
            }
            return new CustomizedGateControl(this);
        }
    }
}
