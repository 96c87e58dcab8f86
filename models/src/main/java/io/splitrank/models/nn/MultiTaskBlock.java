package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A multi-task ranking network, split at its shared representation so the trainer can adjust
 * per-task gradients there (HTLNet, GradNorm).
 *
 * <p>Features: {@code [categorical int [B, F], dense float [B, D], scenario int [B], conversionType
 * int [B]]}. Outputs, in order: {@link #P_CTR} {@code [B]}, {@link #P_CVR} {@code [B, types]}
 * (post-click, one column per conversion type), {@link #VALUE} {@code [B]} (predicted mean log
 * amount of a conversion), then architecture-specific auxiliaries.
 *
 * <p>{@link #encode} computes the shared representation {@code h} (first element) and anything the
 * heads need that carries no gradient; {@link #heads} reads one copy of {@code h} per name in
 * {@link #sharedCopyTasks()}. Heads must not reach the graph behind {@code h} by any other path, so
 * that the trainer can backward the task losses into detached copies and then push the combined
 * gradient through {@code h} in a second backward.
 */
public abstract class MultiTaskBlock extends AbstractBlock {

    public static final int P_CTR = 0;
    public static final int P_CVR = 1;
    public static final int VALUE = 2;

    protected final int conversionTypes;
    private SharedRepresentationTap tap;

    protected MultiTaskBlock(byte version, int conversionTypes) {
        super(version);
        this.conversionTypes = conversionTypes;
    }

    /** Number of conversion types (columns of pCVR). */
    public int conversionTypes() {
        return conversionTypes;
    }

    /** The tasks that each read their own copy of the shared representation, in copy order. */
    public abstract List<String> sharedCopyTasks();

    /** Shared representation {@code h} first, then gradient-free extras for the heads. */
    public abstract NDList encode(ParameterStore parameterStore, NDList features, boolean training);

    /** The task outputs from one copy of {@code h} per {@link #sharedCopyTasks()} entry. */
    public abstract NDList heads(
            ParameterStore parameterStore,
            NDList sharedCopies,
            NDList encoded,
            NDList features,
            boolean training);

    /**
     * Routes training forward passes through {@code tap} (per-task copies of {@code h}); {@code
     * null} restores the plain forward pass. Set by the trainer for the duration of training only.
     */
    public void setSharedRepresentationTap(SharedRepresentationTap tap) {
        this.tap = tap;
    }

    /**
     * The bias of the value head's output. The trainer starts it at the training data's mean log
     * amount: amounts are rare (about one batch in seven has one), so learning the level from zero
     * would take most of the training budget.
     */
    public abstract Parameter valueOutputBias();

    /** Called by the trainer before each step (e.g. HTLNet anneals its Gumbel temperature). */
    public void onTrainingStep(long step) {}

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList encoded = encode(parameterStore, inputs, training);
        int n = sharedCopyTasks().size();
        NDList copies;
        if (training && tap != null) {
            copies = tap.split(encoded.head(), n);
        } else {
            copies = new NDList(n);
            for (int i = 0; i < n; i++) {
                copies.add(encoded.head());
            }
        }
        return heads(parameterStore, copies, encoded, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        int extras = extraOutputWidths().length;
        Shape[] shapes = new Shape[3 + extras];
        shapes[P_CTR] = new Shape(batch);
        shapes[P_CVR] = new Shape(batch, conversionTypes);
        shapes[VALUE] = new Shape(batch);
        for (int i = 0; i < extras; i++) {
            int width = extraOutputWidths()[i];
            shapes[3 + i] = width == 1 ? new Shape(batch) : new Shape(batch, width);
        }
        return shapes;
    }

    /** Widths of the auxiliary outputs after the three standard ones (1 means {@code [B]}). */
    protected int[] extraOutputWidths() {
        return new int[0];
    }

    /** Children know their input widths from their builders, so any shape initialises them. */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : children.values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    protected NDArray run(
            String child, ParameterStore parameterStore, NDArray x, boolean training) {
        return ChildBlocks.find(children, child)
                .forward(parameterStore, new NDList(x), training)
                .singletonOrThrow();
    }

    protected NDList runList(
            String child, ParameterStore parameterStore, NDList x, boolean training) {
        return ChildBlocks.find(children, child).forward(parameterStore, x, training);
    }

    /** {@code [B, 1]} logits to {@code [B]} probabilities. */
    protected static NDArray probability(NDArray logit) {
        return Activation.sigmoid(logit.reshape(-1));
    }

    /** Row-wise selection of one of several {@code [B, w]} arrays by {@code index [B]}. */
    protected static NDArray selectPerRow(NDList options, NDArray index) {
        NDArray oneHot =
                index.toType(DataType.INT64, false)
                        .oneHot(options.size())
                        .toType(DataType.FLOAT32, false);
        return NDArrays.stack(options, 1).mul(oneHot.expandDims(-1)).sum(new int[] {1});
    }

    /**
     * The pCVR column of each row's conversion type: {@code [B, T]} and {@code [B]} to {@code [B]}.
     */
    public static NDArray ofOwnType(NDArray perType, NDArray conversionType) {
        NDArray oneHot =
                conversionType
                        .toType(DataType.INT64, false)
                        .oneHot((int) perType.getShape().get(1))
                        .toType(DataType.FLOAT32, false);
        return perType.mul(oneHot).sum(new int[] {1});
    }
}
