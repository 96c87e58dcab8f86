package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * EKTM's router: integrates the representations of all tasks (CTR and every CVR type) and sends a
 * mixture back to each task.
 *
 * <p>Interpretation (the paper's equations are not public; see models/README.md): router output for
 * target task {@code i} is {@code sum_j a_ij r_j} with {@code a_i = softmax_j(q_i . k_j / sqrt(w) +
 * s_ij)}, a per-row similarity of projected task representations plus a learned task-pair score
 * {@code s}; {@code j} runs over all {@code n} tasks (the sources), {@code i} over the last {@code
 * m} (the targets, default all). EKTM routes to its CVR tasks only: the paper has a transmitter per
 * CVR task and none for CTR, so CTR is a source of knowledge and not a receiver, and a CTR row
 * would be computed only to be discarded.
 *
 * <p>Input: {@code [reps [B, n, w]]}. Output: {@code [routed [B, m, w]]}, row {@code k} for task
 * {@code n - m + k}.
 */
public final class TaskRouter extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int tasks;
    private final int targets;
    private final int width;
    private final Parameter pairScores;

    private TaskRouter(Builder builder) {
        super(VERSION);
        this.tasks = builder.tasks;
        this.targets = builder.targets > 0 ? builder.targets : builder.tasks;
        this.width = builder.width;
        addChildBlock("query", Linear.builder().setUnits(width).optBias(false).build());
        addChildBlock("key", Linear.builder().setUnits(width).optBias(false).build());
        this.pairScores =
                addParameter(
                        Parameter.builder()
                                .setName("pairScores")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(targets, tasks))
                                .optInitializer(new ConstantInitializer(0f))
                                .build());
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
        NDArray reps = inputs.singletonOrThrow();
        NDArray queried = targets == tasks ? reps : reps.get(":, " + (tasks - targets) + ":, :");
        NDArray q =
                ChildBlocks.find(children, "query")
                        .forward(parameterStore, new NDList(queried), training)
                        .singletonOrThrow();
        NDArray k =
                ChildBlocks.find(children, "key")
                        .forward(parameterStore, new NDList(reps), training)
                        .singletonOrThrow();
        NDArray scores = q.batchMatMul(k.transpose(0, 2, 1)).div(Math.sqrt(width)); // [B, m, n]
        scores =
                scores.add(
                        parameterStore
                                .getValue(pairScores, reps.getDevice(), training)
                                .expandDims(0));
        return new NDList(scores.softmax(-1).batchMatMul(reps));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), targets, in.get(2))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        ChildBlocks.find(children, "query").initialize(manager, dataType, new Shape(1, width));
        ChildBlocks.find(children, "key").initialize(manager, dataType, new Shape(1, width));
    }

    /** Builds a {@link TaskRouter}; tasks and width are required. */
    public static final class Builder {
        private int tasks;
        private int targets;
        private int width;

        private Builder() {}

        /** Route to the last {@code targets} tasks only (default: all tasks). */
        public Builder optTargets(int targets) {
            this.targets = targets;
            return this;
        }

        public Builder setTasks(int tasks) {
            this.tasks = tasks;
            return this;
        }

        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public TaskRouter build() {
            if (tasks < 1 || width < 1 || targets < 0 || targets > tasks) {
                throw new IllegalArgumentException("a router needs tasks and a width");
            }
            return new TaskRouter(this);
        }
    }
}
