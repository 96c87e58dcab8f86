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
 *       weights adapted by GradNorm in the trainer.
 * </ul>
 *
 * <p>Extra output 3: post-click probability of the related action (e.g. long view) {@code [B]}.
 */
public final class Aem2tlBlock extends MultiTaskBlock {

    private static final byte VERSION = 1;

    /** Index of the post-click related-action probability output. */
    public static final int P_RELATED = 3;

    private static final List<String> TASKS = List.of("ctr", "cvr", "related", "value");

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
        return TASKS;
    }

    @Override
    protected int[] extraOutputWidths() {
        return new int[] {1};
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
        CustomizedGateControl taskCgc =
                (CustomizedGateControl) ChildBlocks.find(children, "taskCgc");
        NDList logits = new NDList(TASKS.size());
        for (int t = 0; t < TASKS.size(); t++) {
            NDList perScenario =
                    taskCgc.forwardGroup(parameterStore, sharedCopies.get(t), t, training);
            NDArray taskRep = selectPerRow(perScenario, features.get(2));
            logits.add(
                    runList(
                                    TASKS.get(t) + "Tower",
                                    parameterStore,
                                    new NDList(taskRep, context),
                                    training)
                            .singletonOrThrow());
        }
        NDArray pCtr = probability(logits.get(0));
        NDArray pCvr = Activation.sigmoid(logits.get(1));
        NDArray pRelated = probability(logits.get(2));
        NDArray value = logits.get(3).reshape(-1);
        return new NDList(pCtr, pCvr, value, pRelated);
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
