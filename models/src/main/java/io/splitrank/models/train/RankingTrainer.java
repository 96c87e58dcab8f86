package io.splitrank.models.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
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
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link MultiTaskBlock} on CPU with Adam, mini-batches in a seeded shuffled order, early
 * stopping on the validation loss (the best epoch's parameters are restored), and a progress line
 * with the loss and throughput every {@code logEvery} steps.
 *
 * <p>With a {@link SharedGradientPolicy} each step runs the per-task gradient recipe of
 * models/README.md: the task losses are backpropagated into one detached copy of the shared
 * representation per task, the policy combines the copies' gradients into {@code g}, and {@code
 * sum(h * stopGradient(g))} is backpropagated through the shared layers in the same collector.
 */
public final class RankingTrainer {

    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final int patience;
    private final long seed;
    private final int logEvery;
    private final double maxSeconds;
    private final int validateEvery;
    private final Consumer<String> progress;

    private RankingTrainer(Builder builder) {
        this.epochs = builder.epochs;
        this.batchSize = builder.batchSize;
        this.learningRate = builder.learningRate;
        this.patience = builder.patience;
        this.seed = builder.seed;
        this.logEvery = builder.logEvery;
        this.maxSeconds = builder.maxSeconds;
        this.validateEvery = builder.validateEvery;
        this.progress = builder.progress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initialises (seeded) and trains the model's block; on return the block holds the parameters
     * of the epoch with the lowest validation loss.
     *
     * @param name shown in progress lines
     * @param policy per-task gradient policy, or {@code null} for a plain backward pass
     */
    public TrainingReport fit(
            String name,
            Model model,
            MultiTaskLoss loss,
            SharedGradientPolicy policy,
            ImpressionLog train,
            ImpressionLog validation) {
        MultiTaskBlock block = (MultiTaskBlock) model.getBlock();
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(
                                Optimizer.adam()
                                        .optLearningRateTracker(Tracker.fixed(learningRate))
                                        .build())
                        .optDevices(new Device[] {Device.cpu()});
        SharedRepresentationTap tap = policy == null ? null : new SharedRepresentationTap();
        int stepsPerEpoch = (train.size() + batchSize - 1) / batchSize;
        List<TrainingReport.Checkpoint> checkpoints = new ArrayList<>();
        byte[] best = null;
        int bestIndex = -1;
        long steps = 0;
        boolean stoppedEarly = false;
        float[] weights = loss.weights();
        long start = System.nanoTime();
        double initialLoss;
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(ImpressionBatches.inputShapes(train.spec()));
            float prior = meanLogAmount(train);
            block.valueOutputBias().getArray().set(new float[] {prior});
            initialLoss = validationLoss(trainer, loss, validation);
            progress.accept(
                    String.format(
                            "[%s] initial validation loss %.5f (value head starts at mean log amount %.3f)",
                            name, initialLoss, prior));
            block.setSharedRepresentationTap(tap);
            Random random = new Random(seed);
            int[] order = identity(train.size());
            double windowLoss = 0;
            int windowSteps = 0;
            long windowStart = System.nanoTime();
            long windowSamples = 0;
            boolean stop = false;
            for (int epoch = 1; epoch <= epochs && !stop; epoch++) {
                shuffle(order, random);
                for (int from = 0; from < order.length && !stop; from += batchSize) {
                    int to = Math.min(order.length, from + batchSize);
                    block.onTrainingStep(steps);
                    weights = policy == null ? loss.weights() : policy.termWeights(loss.weights());
                    double stepLoss =
                            step(trainer, loss, policy, tap, weights, train, order, from, to);
                    steps++;
                    windowLoss += stepLoss;
                    windowSteps++;
                    windowSamples += to - from;
                    if (logEvery > 0 && steps % logEvery == 0) {
                        double seconds = (System.nanoTime() - windowStart) / 1e9;
                        progress.accept(
                                String.format(
                                        "[%s] epoch %d step %d loss %.5f %.0f samples/s",
                                        name,
                                        epoch,
                                        steps,
                                        windowLoss / windowSteps,
                                        windowSamples / seconds));
                        windowLoss = 0;
                        windowSteps = 0;
                        windowSamples = 0;
                        windowStart = System.nanoTime();
                    }
                    boolean outOfTime = (System.nanoTime() - start) / 1e9 > maxSeconds;
                    boolean epochEnd = to == order.length;
                    if (!(epochEnd
                            || outOfTime
                            || (validateEvery > 0 && steps % validateEvery == 0))) {
                        continue;
                    }
                    double validationLoss = validationLoss(trainer, loss, validation);
                    checkpoints.add(
                            new TrainingReport.Checkpoint(
                                    steps, (double) steps / stepsPerEpoch, validationLoss));
                    progress.accept(
                            String.format(
                                    "[%s] epoch %d step %d: validation loss %.5f, %.1f s",
                                    name,
                                    epoch,
                                    steps,
                                    validationLoss,
                                    (System.nanoTime() - start) / 1e9));
                    if (best == null
                            || validationLoss < checkpoints.get(bestIndex).validationLoss()) {
                        best = snapshot(block);
                        bestIndex = checkpoints.size() - 1;
                    } else if (checkpoints.size() - 1 - bestIndex >= patience) {
                        progress.accept(
                                String.format(
                                        "[%s] no improvement in %d validations: stopping",
                                        name, patience));
                        stoppedEarly = true;
                        stop = true;
                    }
                    if (outOfTime && !stop) {
                        progress.accept(
                                String.format("[%s] time limit %.0f s reached", name, maxSeconds));
                        stoppedEarly = true;
                        stop = true;
                    }
                }
            }
        } finally {
            block.setSharedRepresentationTap(null);
        }
        restore(block, model.getNDManager(), best);
        double seconds = (System.nanoTime() - start) / 1e9;
        double throughput =
                (double) Math.min(steps * batchSize, (long) train.size() * epochs) / seconds;
        return new TrainingReport(
                initialLoss,
                steps,
                seconds,
                throughput,
                checkpoints,
                bestIndex,
                stoppedEarly,
                weights);
    }

    private static double step(
            Trainer trainer,
            MultiTaskLoss loss,
            SharedGradientPolicy policy,
            SharedRepresentationTap tap,
            float[] weights,
            ImpressionLog train,
            int[] order,
            int from,
            int to) {
        double value;
        try (NDManager batch = trainer.getManager().newSubManager()) {
            NDList features = ImpressionBatches.features(batch, train, order, from, to);
            NDList labels = ImpressionBatches.labels(batch, train, order, from, to);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(features);
                NDList terms = loss.termLosses(labels, predictions);
                NDArray total = MultiTaskLoss.weightedSum(terms, weights);
                value = total.getFloat();
                collector.backward(total);
                if (policy != null) {
                    double[] termValues = new double[terms.size()];
                    for (int i = 0; i < termValues.length; i++) {
                        termValues[i] = terms.get(i).getFloat();
                    }
                    NDArray shared = tap.shared();
                    float[] combined = policy.combine(tap.copyGradients(), termValues);
                    NDArray g = batch.create(combined, shared.getShape());
                    collector.backward(shared.mul(g).sum());
                }
            } finally {
                if (tap != null) {
                    tap.clear();
                }
            }
            trainer.step();
        }
        return value;
    }

    /**
     * The training objective on the validation log: the loss with the fixed weights (comparable
     * across checkpoints whatever GradNorm did), computed per batch of the training batch size and
     * averaged over the batches weighted by their size. Per batch as in training, so the value term
     * (a mean over the few valued conversions in a batch) carries the weight it has in training.
     */
    private double validationLoss(Trainer trainer, MultiTaskLoss loss, ImpressionLog validation) {
        double sum = 0;
        ParameterStore store = new ParameterStore(trainer.getManager(), false);
        for (int from = 0; from < validation.size(); from += batchSize) {
            int to = Math.min(validation.size(), from + batchSize);
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDList features = ImpressionBatches.features(batch, validation, null, from, to);
                NDList labels = ImpressionBatches.labels(batch, validation, null, from, to);
                NDList predictions = trainer.getModel().getBlock().forward(store, features, false);
                sum += loss.evaluate(labels, predictions).getFloat() * (to - from);
            }
        }
        return sum / validation.size();
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

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Builds a {@link RankingTrainer}; every setting has a default. */
    public static final class Builder {
        private int epochs = 10;
        private int batchSize = 1024;
        private float learningRate = 2e-3f;
        private int patience = 2;
        private long seed = 7;
        private int logEvery = 100;
        private double maxSeconds = Double.POSITIVE_INFINITY;
        private int validateEvery;
        private Consumer<String> progress = System.err::println;

        private Builder() {}

        /** Maximum epochs (default 10). */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Mini-batch size (default 1024). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Adam learning rate (default 2e-3). */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Validations without a better loss before stopping (default 2). */
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
         * Wall-clock budget: when it runs out, the current epoch ends early, is validated like any
         * other, and training stops (default unlimited).
         */
        public Builder optMaxSeconds(double maxSeconds) {
            this.maxSeconds = maxSeconds;
            return this;
        }

        /**
         * Also validate (and possibly stop) every this many steps inside an epoch; patience then
         * counts validations, not epochs (default 0: at the end of each epoch only).
         */
        public Builder optValidateEvery(int steps) {
            this.validateEvery = steps;
            return this;
        }

        /** Where progress lines go (default standard error). */
        public Builder optProgress(Consumer<String> progress) {
            this.progress = progress;
            return this;
        }

        public RankingTrainer build() {
            if (epochs < 1 || batchSize < 1 || patience < 1) {
                throw new IllegalArgumentException(
                        "epochs, batch size and patience must be positive");
            }
            return new RankingTrainer(this);
        }
    }
}
