package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.splitrank.models.data.FeatureSpec;

/**
 * Embeds a row's features into field vectors: one table row per categorical id (all fields share
 * one table, offset per field), one for the scenario, and a dense projection of the dense features.
 *
 * <p>Input: {@code [categorical int [B, F], dense float [B, D], scenario int [B], ...]}. Output:
 * {@code [flat [B, fields * dim], fields [B, fields, dim]]} where {@code fields} is the number of
 * selected categorical fields, plus one for the scenario and one when dense features are used.
 */
public final class FeatureEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int[] fields;
    private final long[] offsets;
    private final int dim;
    private final boolean useDense;
    private final int denseCount;
    private final Parameter table;
    private final Parameter scenarioTable;

    private FeatureEmbedding(Builder builder) {
        super(VERSION);
        FeatureSpec spec = builder.spec;
        this.fields =
                builder.fields != null
                        ? builder.fields.clone()
                        : java.util.stream.IntStream.range(0, spec.categoricalCount()).toArray();
        this.dim = builder.dim;
        this.denseCount = spec.denseCount();
        this.useDense = builder.useDense && denseCount > 0;
        this.offsets = new long[fields.length];
        long total = 0;
        for (int i = 0; i < fields.length; i++) {
            offsets[i] = total;
            total += spec.categorical().get(fields[i]).cardinality();
        }
        NormalInitializer init = new NormalInitializer(0.05f);
        this.table =
                addParameter(
                        Parameter.builder()
                                .setName("table")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(total, dim))
                                .optInitializer(init)
                                .build());
        this.scenarioTable =
                addParameter(
                        Parameter.builder()
                                .setName("scenario")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(spec.scenarios().size(), dim))
                                .optInitializer(init)
                                .build());
        if (useDense) {
            addChildBlock("dense", Linear.builder().setUnits(dim).build());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of field vectors per row. */
    public int fieldCount() {
        return fields.length + 1 + (useDense ? 1 : 0);
    }

    /** Width of the flat output. */
    public int outputSize() {
        return fieldCount() * dim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray categorical = inputs.get(0);
        NDManager manager = categorical.getManager();
        long batch = categorical.getShape().get(0);
        NDArray ids =
                selectFields(categorical)
                        .toType(DataType.INT64, false)
                        .add(manager.create(offsets).reshape(1, fields.length));
        NDArray tableValue = parameterStore.getValue(table, categorical.getDevice(), training);
        NDArray embedded =
                Embedding.embedding(ids, tableValue, SparseFormat.DENSE).singletonOrThrow();
        NDArray scenarioIds = inputs.get(2).toType(DataType.INT64, false).reshape(batch, 1);
        NDArray scenarioValue =
                parameterStore.getValue(scenarioTable, categorical.getDevice(), training);
        NDArray scenario =
                Embedding.embedding(scenarioIds, scenarioValue, SparseFormat.DENSE)
                        .singletonOrThrow();
        NDList parts = new NDList(embedded, scenario);
        if (useDense) {
            NDArray dense =
                    ChildBlocks.find(children, "dense")
                            .forward(parameterStore, new NDList(inputs.get(1)), training)
                            .singletonOrThrow();
            parts.add(dense.reshape(batch, 1, dim));
        }
        NDArray all = NDArrays.concat(parts, 1);
        return new NDList(all.reshape(batch, (long) fieldCount() * dim), all);
    }

    private NDArray selectFields(NDArray categorical) {
        if (fields.length == categorical.getShape().get(1)) {
            boolean identity = true;
            for (int i = 0; i < fields.length; i++) {
                identity &= fields[i] == i;
            }
            if (identity) {
                return categorical;
            }
        }
        NDManager manager = categorical.getManager();
        long[] columns = new long[fields.length];
        for (int i = 0; i < fields.length; i++) {
            columns[i] = fields[i];
        }
        return categorical.transpose().get(manager.create(columns)).transpose();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {
            new Shape(batch, (long) outputSize()), new Shape(batch, fieldCount(), dim)
        };
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (useDense) {
            ChildBlocks.find(children, "dense")
                    .initialize(manager, dataType, new Shape(1, denseCount));
        }
    }

    /** Builds a {@link FeatureEmbedding}; {@code setSpec} is required. */
    public static final class Builder {
        private FeatureSpec spec;
        private int dim = 8;
        private int[] fields;
        private boolean useDense = true;

        private Builder() {}

        public Builder setSpec(FeatureSpec spec) {
            this.spec = spec;
            return this;
        }

        /** Embedding width per field (default 8). */
        public Builder optDim(int dim) {
            this.dim = dim;
            return this;
        }

        /** Embed only these categorical columns (default all). */
        public Builder optFields(int... fields) {
            this.fields = fields.clone();
            return this;
        }

        /** Whether to add the dense projection as a field (default true). */
        public Builder optUseDense(boolean useDense) {
            this.useDense = useDense;
            return this;
        }

        public FeatureEmbedding build() {
            if (spec == null) {
                throw new IllegalArgumentException("a FeatureEmbedding needs a feature spec");
            }
            return new FeatureEmbedding(this);
        }
    }
}
