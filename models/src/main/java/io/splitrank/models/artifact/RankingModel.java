package io.splitrank.models.artifact;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.train.ImpressionBatches;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A trained ranking model ready to score candidates: what the app's model registry holds per arm.
 * Scoring is thread-safe (each call works in its own {@link NDManager}); close the model when it is
 * unloaded.
 */
public final class RankingModel implements AutoCloseable {

    private final Model model;
    private final MultiTaskBlock block;
    private final ModelMetadata metadata;

    private RankingModel(Model model, ModelMetadata metadata) {
        this.model = model;
        this.block = (MultiTaskBlock) model.getBlock();
        this.metadata = metadata;
    }

    /** Loads an artifact directory written by {@link ModelArtifact#save}. */
    public static RankingModel load(Path artifactDir) throws IOException {
        ModelMetadata metadata = ModelArtifact.readMetadata(artifactDir);
        return new RankingModel(ModelArtifact.loadModel(artifactDir, metadata), metadata);
    }

    /** Wraps a model trained in this process; closing the ranking model closes {@code model}. */
    public static RankingModel of(Model model, ModelMetadata metadata) {
        return new RankingModel(Objects.requireNonNull(model), Objects.requireNonNull(metadata));
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public FeatureSpec featureSpec() {
        return metadata.featureSpec();
    }

    /** The underlying DJL model (to save it). */
    public Model model() {
        return model;
    }

    /**
     * Per-candidate scores.
     *
     * @param pCtr probability of a click
     * @param pCvr probability of a conversion of the candidate ad's type given a click
     * @param expectedValue expected amount of a conversion, {@code exp(mu + variance / 2)}
     */
    public record Scores(float[] pCtr, float[] pCvr, float[] expectedValue) {
        public int size() {
            return pCtr.length;
        }
    }

    /**
     * Scores candidates encoded with {@link #featureSpec()}.
     *
     * @param categorical row-major ids {@code [n, categoricalCount]}
     * @param dense row-major values {@code [n, denseCount]}
     * @param scenario scenario index per candidate
     * @param conversionType the candidate ad's conversion type index
     */
    public Scores predict(int[] categorical, float[] dense, int[] scenario, int[] conversionType) {
        FeatureSpec spec = metadata.featureSpec();
        int n = scenario.length;
        if (conversionType.length != n
                || categorical.length != n * spec.categoricalCount()
                || dense.length != n * spec.denseCount()) {
            throw new IllegalArgumentException(
                    "feature arrays do not match " + n + " candidates of the spec");
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList features =
                    ImpressionBatches.features(
                            manager, spec, categorical, dense, scenario, conversionType);
            NDList out = block.forward(new ParameterStore(manager, false), features, false);
            NDArray pCvr = MultiTaskBlock.ofOwnType(out.get(MultiTaskBlock.P_CVR), features.get(3));
            NDArray value =
                    out.get(MultiTaskBlock.VALUE)
                            .add((float) (metadata.valueLogVariance() / 2))
                            .exp();
            return new Scores(
                    out.get(MultiTaskBlock.P_CTR).toFloatArray(),
                    pCvr.toFloatArray(),
                    value.toFloatArray());
        }
    }

    /** Number of trainable scalars of a block. */
    public static long parameterCount(MultiTaskBlock block) {
        long count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            count += p.getValue().getShape().size();
        }
        return count;
    }

    @Override
    public void close() {
        model.close();
    }
}
