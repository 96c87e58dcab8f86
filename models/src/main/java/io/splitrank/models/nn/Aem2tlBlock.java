package io.splitrank.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.splitrank.models.data.FeatureSpec;
import java.util.List;
import java.util.stream.IntStream;

/**
 * AEM2TL, Adaptive Entire-space Multi-scenario Multi-task Transfer Learning (TKDE 37(4), 2025).
 *
 * <ul>
 *   <li>Scenario-CGC: shared and per-scenario experts with softmax gates; a row's representation is
 *       its scenario's {@code concat(shared mixture, scenario-specific mixture)} — the shared
 *       representation {@code h};
 *   <li>Task-CGC for the tasks CTR, CVR, related action and value: task-shared and task-specific
 *       experts, gated per scenario and task (experts shared across scenarios, one gate per
 *       scenario and task: our reading of "per scenario and task" at a size that trains on CPU);
 *   <li>personalised gating on every tower layer, {@code delta = 2 sigmoid(MLP(concat(user, item,
 *       scenario prior embeddings, stop-gradient(main embedding))))} ({@link PersonalisedTower});
 *   <li>entire-space heads: pCTR, pCTCVR = pCTR pCVR and pCTR pRelated on all impressions; task
 *       weights adapted by GradNorm in the trainer, which measures each loss term's gradient at
 *       that term's own copy of the Scenario-CGC output (see {@link #sharedCopyTasks()}).
 * </ul>
 *
 * <p>Extra outputs: 3 the post-click probability of the related action (e.g. long view) {@code
 * [B]}; 4 and 5 the pCTR factors of the CTCVR and related terms (in training with per-term copies
 * computed from those copies; otherwise the same array as pCTR).
 */
public final class Aem2tlBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    /** Index of the post-click related-action probability output. */
    public static final int P_RELATED = 3;

    /** Extra output 4: pCTR from the CTCVR term's copy of {@code h} (equal to pCTR otherwise). */
    public static final int P_CTR_FOR_CTCVR = 4;

    /** Extra output 5: pCTR from the related term's copy of {@code h}. */
    public static final int P_CTR_FOR_RELATED = 5;

    /** The towers (Task-CGC groups). */
    private static final List<String> TASKS = List.of("ctr", "cvr", "related", "value");

    /**
     * One copy of {@code h} per loss term, in the loss's term order (CTR, CTCVR, RELATED, VALUE):
     * every tower a term reads runs on that term's copy, so the entire-space terms pCTR·pCVR and
     * pCTR·pRelated send their gradient into their own copy only, and GradNorm's norm of copy
     * {@code i} is the gradient of loss term {@code i} alone.
     */
    private static final List<String> COPIES = List.of("ctr", "ctcvr", "related", "value");

    private final int scenarios;

    private Aem2tlBlock(Builder builder) {
        super(VERSION, builder.spec.conversionTypes().size());
        FeatureSpec spec = builder.spec;
        NetworkDimensions dims = builder.dims;
        this.scenarios = spec.scenarios().size();
        FeatureEmbedding embedding =
                addChildBlock(
                        "embedding",
                        FeatureEmbedding.builder()
                                .setSpec(spec)
                                .optDim(dims.embeddingDim())
                                .build());
        int sharedExperts = Math.max(1, dims.experts() / 2);
        CustomizedGateControl scenarioCgc =
                addChildBlock(
                        "scenarioCgc",
                        CustomizedGateControl.builder()
                                .setInputSize(embedding.outputSize())
                                .setGroups(scenarios)
                                .optSharedExperts(sharedExperts)
                                .optExpertUnits(dims.expertHidden(), dims.expertWidth())
                                .optMode(CustomizedGateControl.Mode.SPLIT)
                                .build());
        CustomizedGateControl taskCgc =
                addChildBlock(
                        "taskCgc",
                        CustomizedGateControl.builder()
                                .setInputSize(scenarioCgc.outputSize())
                                .setGroups(TASKS.size())
                                .optSharedExperts(sharedExperts)
                                .optGatesPerGroup(scenarios)
                                .optExpertUnits(dims.expertWidth())
                                .build());
        FeatureEmbedding priors =
                addChildBlock(
                        "priors",
                        FeatureEmbedding.builder()
                                .setSpec(spec)
                                .optFields(priorFields(spec))
                                .optDim(Math.max(2, dims.embeddingDim() / 2))
                                .optUseDense(false)
                                .build());
        int context = priors.outputSize() + embedding.outputSize();
        for (String task : TASKS) {
            int out = task.equals("cvr") ? conversionTypes : 1;
            addChildBlock(
                    task + "Tower",
                    PersonalisedTower.builder()
                            .setInputSize(taskCgc.outputSize())
                            .setContextSize(context)
                            .setUnits(dims.towerHidden(), out)
                            .build());
        }
    }

    /**
     * User and item fields by the marketplace's naming ({@code user_*}, {@code ad_*}); all if none.
     */
    static int[] priorFields(FeatureSpec spec) {
        int[] fields =
                IntStream.range(0, spec.categoricalCount())
                        .filter(
                                i -> {
                                    String name = spec.categorical().get(i).name();
                                    return name.startsWith("user_") || name.startsWith("ad_");
                                })
                        .toArray();
        return fields.length > 0 ? fields : IntStream.range(0, spec.categoricalCount()).toArray();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ai.djl.nn.Parameter valueOutputBias() {
        return ((PersonalisedTower) ChildBlocks.find(children, "valueTower")).outputBias();
    }

    @Override
    public List<String> sharedCopyTasks() {
        return COPIES;
    }

    @Override
    protected int[] extraOutputWidths() {
        return new int[] {1, 1, 1};
    }

    @Override
    public NDList encode(ParameterStore parameterStore, NDList features, boolean training) {
        NDArray embedded = runList("embedding", parameterStore, features, training).head();
        NDList perScenario = runList("scenarioCgc", parameterStore, new NDList(embedded), training);
        NDArray h = selectPerRow(perScenario, features.get(2));
        return new NDList(h, embedded.stopGradient());
    }

    @Override
    public NDList heads(
            ParameterStore parameterStore,
            NDList sharedCopies,
            NDList encoded,
            NDList features,
            boolean training) {
        NDArray priors = runList("priors", parameterStore, features, training).head();
        NDArray context = NDArrays.concat(new NDList(priors, encoded.get(1)), 1);
        NDArray h = sharedCopies.get(0);
        boolean oneCopy = true;
        for (NDArray copy : sharedCopies) {
            oneCopy &= copy == h;
        }
        NDArray pCtr = probability(tower(parameterStore, 0, h, context, features, training));
        NDArray ctcvrCopy = sharedCopies.get(1);
        NDArray relatedCopy = sharedCopies.get(2);
        NDArray pCtrForCtcvr =
                oneCopy
                        ? pCtr
                        : probability(
                                tower(parameterStore, 0, ctcvrCopy, context, features, training));
        NDArray pCtrForRelated =
                oneCopy
                        ? pCtr
                        : probability(
                                tower(parameterStore, 0, relatedCopy, context, features, training));
        NDArray pCvr =
                Activation.sigmoid(
                        tower(parameterStore, 1, ctcvrCopy, context, features, training));
        NDArray pRelated =
                probability(tower(parameterStore, 2, relatedCopy, context, features, training));
        NDArray value =
                tower(parameterStore, 3, sharedCopies.get(3), context, features, training)
                        .reshape(-1);
        return new NDList(pCtr, pCvr, value, pRelated, pCtrForCtcvr, pCtrForRelated);
    }

    /** Task-CGC group {@code task} on {@code h}, then the task's personalised tower: logits. */
    private NDArray tower(
            ParameterStore parameterStore,
            int task,
            NDArray h,
            NDArray context,
            NDList features,
            boolean training) {
        CustomizedGateControl taskCgc =
                (CustomizedGateControl) ChildBlocks.find(children, "taskCgc");
        NDList perScenario = taskCgc.forwardGroup(parameterStore, h, task, training);
        NDArray taskRep = selectPerRow(perScenario, features.get(2));
        return runList(
                        TASKS.get(task) + "Tower",
                        parameterStore,
                        new NDList(taskRep, context),
                        training)
                .singletonOrThrow();
    }

    /** Builds an {@link Aem2tlBlock}; the feature spec is required. */
    public static final class Builder {
        private FeatureSpec spec;
        private NetworkDimensions dims = NetworkDimensions.DEFAULT;

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

        public Aem2tlBlock build() {
            if (spec == null) {
                throw new IllegalArgumentException("AEM2TL needs a feature spec");
            }
            return new Aem2tlBlock(this);
        }
    }
}
