package io.splitrank.models.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.SharedRepresentationTap;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a {@link MultiTaskBlock} on CPU with Adam for a budget of training samples (the same for
 * every model, so that runs reproduce on any machine), from a {@link TrainingData} source (fresh
 * streamed impressions, or passes over a fixed log). The learning rate decays linearly to a tenth
 * over the budget; the global gradient norm is clipped; a batch whose loss or gradient is not
 * finite is skipped (no step) and counted, and too many of them fail the run. The validation loss
 * is measured every {@code validateEvery} steps and at the end, and the parameters of the best
 * validation are kept (or, with {@link Builder#optKeepBest}{@code (false)}, those at the end).
 * Optional: early stopping after {@code patience} validations without improvement, and a wall-clock
 * limit (off by default; the report says which of budget, patience or time ended the run).
 *
 * <p>With a {@link SharedGradientPolicy} each step runs the per-task gradient recipe of
 * models/README.md: the task losses are backpropagated into one detached copy of the shared
 * representation per copy, the policy combines the copies' gradients into {@code g}, and {@code
 * sum(h * stopGradient(g))} is backpropagated through the shared layers in the same collector.
 */
public final class RankingTrainer {

    /** Consecutive non-finite batches after which training fails rather than skipping on. */
    static final int MAX_CONSECUTIVE_SKIPS = 20;

    private final long maxSamples;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final float finalLearningRateFactor;
    private final float weightDecay;
    private final double clipNorm;
    private final int patience;
    private final long seed;
    private final int logEvery;
    private final double maxSeconds;
    private final int validateEvery;
    private final boolean keepBest;
    private final Consumer<String> progress;

    private RankingTrainer(Builder builder) {
        this.maxSamples = builder.maxSamples;
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.learningRate = builder.learningRate;
        this.finalLearningRateFactor = builder.finalLearningRateFactor;
        this.weightDecay = builder.weightDecay;
        this.clipNorm = builder.clipNorm;
        this.patience = builder.patience;
        this.seed = builder.seed;
        this.logEvery = builder.logEvery;
        this.maxSeconds = builder.maxSeconds;
        this.validateEvery = builder.validateEvery;
        this.keepBest = builder.keepBest;
        this.progress = builder.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains on {@code epochs} passes over a fixed log (the budget is {@code epochs * train.size()}
     * samples unless {@link Builder#optMaxSamples} was set).
     */
    public TrainingReport fit(
            String name,
            Model model,
            MultiTaskLoss loss,
            SharedGradientPolicy policy,
            ImpressionLog train,
            ImpressionLog validation) {
        long budget = maxSamples > 0 ? maxSamples : (long) epochs * train.size();
        return fit(name, model, loss, policy, TrainingData.epochs(train, seed), budget, validation);
    }

    /**
     * Initialises (seeded) and trains the model's block on {@code budget} samples from {@code
     * data}; on return the block holds the parameters of the best validation.
     *
     * @param name shown in progress lines
     * @param policy per-task gradient policy, or {@code null} for a plain backward pass
     * @param data the training chunks (their first chunk's log gives the mean log amount)
     * @param budget training samples (batches are cut at chunk ends; the last batch is partial)
     */
    public TrainingReport fit(
            String name,
            Model model,
            MultiTaskLoss loss,
            SharedGradientPolicy policy,
            TrainingData data,
            long budget,
            ImpressionLog validation) {
        MultiTaskBlock block = (MultiTaskBlock) model.getBlock();
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        long plannedSteps = Math.max(1, (budget + batchSize - 1) / batchSize);
        Tracker schedule =
                numUpdate -> {
                    double progress = Math.min(1.0, (double) numUpdate / plannedSteps);
                    return (float) (learningRate * (1 - (1 - finalLearningRateFactor) * progress));
                };
        Optimizer.OptimizerBuilder<?> adam =
                Optimizer.adam().optLearningRateTracker(schedule).optWeightDecays(weightDecay);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(((ai.djl.training.optimizer.Adam.Builder) adam).build())
                        .optDevices(new Device[] {Device.cpu()});
        SharedRepresentationTap tap = policy == null ? null : new SharedRepresentationTap();
        List<TrainingReport.Checkpoint> checkpoints = new ArrayList<>();
        byte[] best = null;
        int bestIndex = -1;
        long steps = 0;
        long samples = 0;
        long skipped = 0;
        long clipped = 0;
        int consecutiveSkips = 0;
        TrainingReport.StopReason reason = TrainingReport.StopReason.BUDGET;
        float[] weights = loss.weights();
        long start = System.nanoTime();
        double initialLoss;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(ImpressionBatches.inputShapes(validation.spec()));
            TrainingData.Chunk chunk = data.next();
            float prior = meanLogAmount(chunk.log());
            block.valueOutputBias().getArray().set(new float[] {prior});
            initialLoss = validationLoss(trainer, loss, validation);
            progress.accept(
                    String.format(
                            "[%s] initial validation loss %.5f (value head starts at mean log amount %.3f), budget %,d samples",
                            name, initialLoss, prior, budget));
            block.setSharedRepresentationTap(tap);
            double windowLoss = 0;
            int windowSteps = 0;
            long windowStart = System.nanoTime();
            long windowSamples = 0;
            int from = 0;
            while (samples < budget) {
                if (from >= chunk.order().length) {
                    chunk = data.next();
                    from = 0;
                }
                int to =
                        (int)
                                Math.min(
                                        chunk.order().length,
                                        Math.min(from + batchSize, from + (budget - samples)));
                block.onTrainingStep(steps);
                weights = policy == null ? loss.weights() : policy.termWeights(loss.weights());
                StepResult result =
                        step(trainer, block, loss, policy, tap, weights, chunk, from, to);
                int batchRows = to - from;
                samples += batchRows;
                from = to;
                if (!result.taken()) {
                    skipped++;
                    consecutiveSkips++;
                    progress.accept(
                            String.format(
                                    "[%s] step %d: non-finite loss or gradient (%s), batch skipped",
                                    name, steps + 1, result.reason()));
                    if (consecutiveSkips >= MAX_CONSECUTIVE_SKIPS) {
                        throw new IllegalStateException(
                                name
                                        + ": "
                                        + consecutiveSkips
                                        + " batches in a row had a non-finite loss or gradient");
                    }
                    continue;
                }
                consecutiveSkips = 0;
                if (result.clipped()) {
                    clipped++;
                }
                steps++;
                windowLoss += result.loss();
                windowSteps++;
                windowSamples += batchRows;
                if (logEvery > 0 && steps % logEvery == 0) {
                    double seconds = (System.nanoTime() - windowStart) / 1e9;
                    progress.accept(
                            String.format(
                                    "[%s] step %d (%,d samples) loss %.5f %.0f samples/s",
                                    name,
                                    steps,
                                    samples,
                                    windowLoss / windowSteps,
                                    windowSamples / seconds));
                    windowLoss = 0;
                    windowSteps = 0;
                    windowSamples = 0;
                    windowStart = System.nanoTime();
                }
                boolean outOfTime = (System.nanoTime() - start) / 1e9 > maxSeconds;
                boolean end = samples >= budget;
                if (!(end || outOfTime || (validateEvery > 0 && steps % validateEvery == 0))) {
                    continue;
                }
                double[] validationTerms = validationTerms(trainer, loss, validation);
                double validationLoss = validationTerms[0];
                checkpoints.add(
                        new TrainingReport.Checkpoint(
                                steps,
                                samples,
                                validationLoss,
                                java.util.Arrays.copyOfRange(
                                        validationTerms, 1, validationTerms.length)));
                progress.accept(
                        String.format(
                                "[%s] step %d (%,d samples): validation loss %.5f (%s), %.1f s",
                                name,
                                steps,
                                samples,
                                validationLoss,
                                termList(loss, validationTerms),
                                (System.nanoTime() - start) / 1e9));
                if (Double.isFinite(validationLoss)
                        && (bestIndex < 0
                                || validationLoss < checkpoints.get(bestIndex).validationLoss())) {
                    if (keepBest) {
                        best = snapshot(block);
                    }
                    bestIndex = checkpoints.size() - 1;
                } else if (patience > 0 && checkpoints.size() - 1 - bestIndex >= patience) {
                    progress.accept(
                            String.format(
                                    "[%s] no improvement in %d validations: stopping",
                                    name, patience));
                    reason = TrainingReport.StopReason.PATIENCE;
                    break;
                }
                if (outOfTime && !end) {
                    progress.accept(
                            String.format("[%s] time limit %.0f s reached", name, maxSeconds));
                    reason = TrainingReport.StopReason.TIME_LIMIT;
                    break;
                }
            }
            if (!keepBest
                    && (checkpoints.isEmpty()
                            || checkpoints.get(checkpoints.size() - 1).samples() < samples)) {
                // the last batch was skipped: validate the parameters that are kept
                double[] terms = validationTerms(trainer, loss, validation);
                checkpoints.add(
                        new TrainingReport.Checkpoint(
                                steps,
                                samples,
                                terms[0],
                                java.util.Arrays.copyOfRange(terms, 1, terms.length)));
            }
        } finally {
            block.setSharedRepresentationTap(null);
        }
        int kept;
        if (keepBest) {
            if (best == null) {
                throw new IllegalStateException(name + ": no finite validation loss");
            }
            restore(block, model.getNDManager(), best);
            kept = bestIndex;
        } else {
            kept = checkpoints.size() - 1;
            if (!Double.isFinite(checkpoints.get(kept).validationLoss())) {
                throw new IllegalStateException(name + ": the final validation loss is not finite");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingReport(
                initialLoss,
                steps,
                samples,
                seconds,
                samples / seconds,
                checkpoints,
                kept,
                reason,
                skipped,
                clipped,
                weights);
    }

    /** One batch: whether a step was taken, its loss, and whether the gradient was clipped. */
    record StepResult(boolean taken, double loss, boolean clipped, String reason) {}

    private StepResult step(
            Trainer trainer,
            MultiTaskBlock block,
            MultiTaskLoss loss,
            SharedGradientPolicy policy,
            SharedRepresentationTap tap,
            float[] weights,
            TrainingData.Chunk chunk,
            int from,
            int to) {
        double value;
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDList features =
                    ImpressionBatches.features(batch, chunk.log(), chunk.order(), from, to);
            NDList labels = ImpressionBatches.labels(batch, chunk.log(), chunk.order(), from, to);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(features);
                NDList terms = loss.termLosses(labels, predictions);
                NDArray total = MultiTaskLoss.weightedSum(terms, weights);
                value = total.getFloat();
                if (!Double.isFinite(value)) {
                    return new StepResult(false, value, false, "loss " + value);
                }
                collector.backward(total);
                if (policy != null) {
                    double[] termValues = new double[terms.size()];
                    for (int i = 0; i < termValues.length; i++) {
                        termValues[i] = terms.get(i).getFloat();
                    }
                    NDArray shared = tap.shared();
                    float[][] copyGradients = tap.copyGradients();
                    for (float[] g : copyGradients) {
                        for (float x : g) {
                            if (!Float.isFinite(x)) {
                                resetGradients(block);
                                return new StepResult(
                                        false, value, false, "shared-representation gradient");
                            }
                        }
                    }
                    float[] combined = policy.combine(copyGradients, termValues);
                    NDArray g = batch.create(combined, shared.getShape());
                    collector.backward(shared.mul(g).sum());
                }
            } finally {
                if (tap != null) {
                    tap.clear();
                }
            }
            double norm = clipGradients(block, batch, clipNorm);
            if (!Double.isFinite(norm)) {
                resetGradients(block);
                return new StepResult(false, value, false, "gradient norm " + norm);
            }
            trainer.step();
            return new StepResult(true, value, norm > clipNorm, null);
        }
    }

    /**
     * Sets every parameter gradient to zero in place. A skipped batch must not leave its NaN in the
     * accumulated gradients: DJL clears gradients by subtracting them from themselves, which keeps
     * a NaN (NaN − NaN = NaN), so every later step would be skipped too.
     */
    static void resetGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                continue;
            }
            NDArray array = parameter.getArray();
            if (array.hasGradient()) {
                array.getGradient().set(new NDIndex("..."), 0f);
            }
        }
    }

    /**
     * The global L2 norm of all parameter gradients; if it exceeds {@code maxNorm}, every gradient
     * is scaled in place by {@code maxNorm / norm}. A non-finite norm is returned as it is, with
     * the gradients untouched (the caller skips the step).
     */
    static double clipGradients(Block block, NDManager manager, double maxNorm) {
        List<NDArray> grads = new ArrayList<>();
        NDList squares = new NDList();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient() || !parameter.isInitialized()) {
                continue;
            }
            NDArray grad = parameter.getArray().getGradient();
            grads.add(grad);
            squares.add(grad.square().sum());
        }
        if (grads.isEmpty()) {
            return 0;
        }
        double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (NDArray grad : grads) {
                grad.muli(scale);
            }
        }
        return norm;
    }

    /**
     * The training objective on the validation log: the loss with the fixed weights (comparable
     * across checkpoints whatever GradNorm did), computed per batch of the training batch size and
     * averaged over the batches weighted by their size. Per batch as in training, so the value term
     * (a mean over the few valued conversions in a batch) carries the weight it has in training.
     */
    private double validationLoss(Trainer trainer, MultiTaskLoss loss, ImpressionLog validation) {
        return validationTerms(trainer, loss, validation)[0];
    }

    /**
     * The validation loss (index 0) and each unweighted term (indices 1..n, in {@link
     * MultiTaskLoss#terms()} order), averaged the same way.
     */
    private double[] validationTerms(
            Trainer trainer, MultiTaskLoss loss, ImpressionLog validation) {
        double[] sum = new double[loss.terms().size() + 1];
        float[] fixed = loss.weights();
        ParameterStore store = new ParameterStore(trainer.getManager(), false);
        for (int from = 0; from < validation.size(); from += batchSize) {
            int to = Math.min(validation.size(), from + batchSize);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDList features = ImpressionBatches.features(batch, validation, null, from, to);
                NDList labels = ImpressionBatches.labels(batch, validation, null, from, to);
                NDList predictions = trainer.getModel().getBlock().forward(store, features, false);
                NDList terms = loss.termLosses(labels, predictions);
                sum[0] += MultiTaskLoss.weightedSum(terms, fixed).getFloat() * (to - from);
                for (int i = 0; i < terms.size(); i++) {
                    sum[i + 1] += terms.get(i).getFloat() * (to - from);
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= validation.size();
        }
        return sum;
    }

    private static String termList(MultiTaskLoss loss, double[] validation) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < loss.terms().size(); i++) {
            out.append(i == 0 ? "" : ", ")
                    .append(loss.terms().get(i).name().toLowerCase(java.util.Locale.ROOT))
                    .append(String.format(java.util.Locale.ROOT, " %.5f", validation[i + 1]));
        }
        return out.toString();
    }

    /** Mean log amount over the log's conversions with an amount (0 if none). */
    static float meanLogAmount(ImpressionLog log) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < log.size(); i++) {
            if (log.conversion()[i] > 0.5f && log.amount()[i] > 0f) {
                sum += Math.log(log.amount()[i]);
                n++;
            }
        }
        return n == 0 ? 0f : (float) (sum / n);
    }

    private static byte[] snapshot(MultiTaskBlock block) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            block.saveParameters(new DataOutputStream(bytes));
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void restore(MultiTaskBlock block, NDManager manager, byte[] snapshot) {
        if (snapshot == null) {
            return;
        }
        try {
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(snapshot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("could not restore the best epoch", e);
        }
    }

    /** Builds a {@link RankingTrainer}; every setting has a default. */
    public static final class Builder {
        private long maxSamples;
        private int epochs = 10;
        private int batchSize = 1024;
        private float learningRate = 2e-3f;
        private float finalLearningRateFactor = 0.1f;
        private float weightDecay;
        private double clipNorm = 5.0;
        private int patience;
        private long seed = 7;
        private int logEvery = 100;
        private double maxSeconds = Double.POSITIVE_INFINITY;
        private int validateEvery;
        private boolean keepBest = true;
        private Consumer<String> progress = System.err::println;

        private Builder() {}

        /**
         * The training budget in samples, the same for every model (default: {@code epochs} passes
         * over the fixed log given to {@link #fit(String, Model, MultiTaskLoss,
         * SharedGradientPolicy, ImpressionLog, ImpressionLog)}).
         */
        public Builder optMaxSamples(long maxSamples) {
            this.maxSamples = maxSamples;
            return this;
        }

        /** Passes over a fixed training log when no sample budget is set (default 10). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Mini-batch size (default 1024). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Initial Adam learning rate (default 2e-3). */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * The learning rate decays linearly to this fraction of the initial one at the end of the
         * budget (default 0.1; 1 keeps it constant).
         */
        public Builder optFinalLearningRateFactor(float factor) {
            this.finalLearningRateFactor = factor;
            return this;
        }

        /** L2 weight decay on every parameter (default 0). */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Maximum global gradient norm (default 5). */
        public Builder optClipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /**
         * Validations without a better loss before stopping early; 0 never stops before the budget
         * (default 0).
         */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Seed for parameter initialisation, Gumbel noise and the batch order (default 7). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Steps between progress lines; 0 for none (default 100). */
        public Builder optLogEvery(int logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /**
         * Optional wall-clock limit: when it runs out the run is validated and stops, and its
         * report says {@link TrainingReport.StopReason#TIME_LIMIT} (default unlimited; the
         * comparison never sets it, so that results do not depend on the machine).
         */
        public Builder optMaxSeconds(double maxSeconds) {
            this.maxSeconds = maxSeconds;
            return this;
        }

        /** Validate every this many steps as well as at the end (default 0: at the end only). */
        public Builder optValidateEvery(int steps) {
            this.validateEvery = steps;
            return this;
        }

        /**
         * Whether to keep the parameters of the lowest validation loss (default) or those at the
         * end of the budget. The comparison keeps the end: with fresh impressions and a decaying
         * learning rate the classification terms' validation losses fall to the end, and the
         * total's ups and downs come from the value term on the few priced conversions of the
         * validation set, so picking its minimum picks noise (models/README.md, Training).
         */
        public Builder optKeepBest(boolean keepBest) {
            this.keepBest = keepBest;
            return this;
        }

        /** Where progress lines go (default standard error). */
        public Builder optProgress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        public RankingTrainer build() {
            if (epochs < 1 || batchSize < 1 || patience < 0 || maxSamples < 0) {
                throw new IllegalArgumentException(
                        "epochs and batch size must be positive, patience and budget not negative");
            }
            if (!(clipNorm > 0) || finalLearningRateFactor <= 0 || finalLearningRateFactor > 1) {
                throw new IllegalArgumentException("bad clip norm or learning-rate factor");
            }
            return new RankingTrainer(this);
        }
    }
}
