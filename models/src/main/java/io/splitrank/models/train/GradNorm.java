package io.splitrank.models.train;

import java.util.Arrays;

/**
 * GradNorm task weighting (Chen et al., ICML 2018), as AEM2TL uses it: weights {@code w_i} move so
 * that each task's weighted gradient norm {@code G_i = |grad of w_i L_i|} at the shared layer
 * approaches {@code mean(G) * r_i^alpha}, where {@code r_i} is the task's relative inverse training
 * rate {@code (L_i / L_i(0)) / mean_j (L_j / L_j(0))}. After every update the weights are
 * renormalised to sum to the number of tasks and kept at or above {@code minWeight} (a projection
 * onto that set), so that no task is switched off.
 *
 * <p>The update is the analytic gradient of {@code sum_i |G_i - target_i|} with respect to {@code
 * w_i} (targets held constant, {@code dG_i / dw_i = G_i / w_i}), with the norms divided by their
 * mean so that the step size does not depend on the scale of the losses, applied with SGD.
 *
 * <p>Three guards against what sparse, rare-event tasks do to the textbook rule (without them
 * AEM2TL's weights collapsed onto the value term, the others at the floor):
 *
 * <ul>
 *   <li><b>Unobserved terms.</b> A term whose loss and gradient are both exactly 0 in a batch (the
 *       value MSE in a batch without a priced conversion: about six batches in seven) was not
 *       observed: its loss average is not updated with the 0. Its gradient-norm average is (with
 *       0), so that {@code G_i} is the mean gradient the shared layers get from it per step.
 *   <li><b>Reference losses after a warm-up.</b> {@code L_i(0)} is not the loss of the random
 *       initialisation: a rare-event BCE starting at {@code p = 0.5} (or 0.25 for pCTR·pCVR) falls
 *       by a factor of 30 in the first steps just by learning the base rate, which GradNorm would
 *       read as "trains fastest" and starve the task. The reference is each term's smoothed loss
 *       after {@code warmupUpdates} updates (weights stay at 1 until then), or at its first
 *       observation after that; a term with no reference yet has relative rate 1 and is left out of
 *       the mean.
 *   <li><b>Smoothed norms and losses.</b> Both are exponential moving averages (factor {@code
 *       smoothing}), because the sparse terms are noisy per batch.
 * </ul>
 */
public final class GradNorm {

    private final double alpha;
    private final double learningRate;
    private final double smoothing;
    private final int warmupUpdates;
    private final double minWeight;
    private final double[] weights;
    private final double[] referenceLosses;
    private final double[] smoothedLosses;
    private final boolean[] observed;
    private double[] smoothedNorms;
    private long updates;

    /**
     * Without warm-up, weights at or above 0.1.
     *
     * @see #GradNorm(int, double, double, double, int, double)
     */
    public GradNorm(int tasks, double alpha, double learningRate, double smoothing) {
        this(tasks, alpha, learningRate, smoothing, 0, 0.1);
    }

    /**
     * @param tasks number of tasks
     * @param alpha asymmetry (the paper's 0.5 to 1.5; 0 equalises gradient norms)
     * @param learningRate step size for the weights
     * @param smoothing EMA factor for the losses and norms in {@code [0, 1)}; 0 uses each batch as
     *     it is
     * @param warmupUpdates updates before the reference losses are taken and the weights move
     * @param minWeight lower bound of every weight, in {@code [0, 1)} (the weights' mean is 1)
     */
    public GradNorm(
            int tasks,
            double alpha,
            double learningRate,
            double smoothing,
            int warmupUpdates,
            double minWeight) {
        if (tasks < 1 || smoothing < 0 || smoothing >= 1 || warmupUpdates < 0) {
            throw new IllegalArgumentException("bad task count, smoothing or warm-up");
        }
        if (!(minWeight >= 0 && minWeight < 1)) {
            throw new IllegalArgumentException("minWeight must be in [0, 1)");
        }
        this.alpha = alpha;
        this.learningRate = learningRate;
        this.smoothing = smoothing;
        this.warmupUpdates = warmupUpdates;
        this.minWeight = minWeight;
        this.weights = new double[tasks];
        Arrays.fill(weights, 1.0);
        this.referenceLosses = new double[tasks];
        Arrays.fill(referenceLosses, Double.NaN);
        this.smoothedLosses = new double[tasks];
        this.observed = new boolean[tasks];
    }

    /** Current weights (a copy). */
    public float[] weights() {
        float[] out = new float[weights.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) weights[i];
        }
        return out;
    }

    /**
     * One update from this step's (unweighted) task losses and weighted gradient norms.
     *
     * @return the new weights
     */
    public float[] update(double[] losses, double[] weightedGradientNorms) {
        int n = weights.length;
        if (losses.length != n || weightedGradientNorms.length != n) {
            throw new IllegalArgumentException("expected " + n + " tasks");
        }
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(losses[i]) || !Double.isFinite(weightedGradientNorms[i])) {
                return weights(); // the trainer skips such a batch; do not learn from it
            }
        }
        updates++;
        if (smoothedNorms == null) {
            smoothedNorms = weightedGradientNorms.clone();
        } else {
            for (int i = 0; i < n; i++) {
                smoothedNorms[i] =
                        smoothing * smoothedNorms[i] + (1 - smoothing) * weightedGradientNorms[i];
            }
        }
        for (int i = 0; i < n; i++) {
            if (losses[i] == 0 && weightedGradientNorms[i] == 0) {
                continue; // not observed in this batch
            }
            smoothedLosses[i] =
                    observed[i]
                            ? smoothing * smoothedLosses[i] + (1 - smoothing) * losses[i]
                            : losses[i];
            observed[i] = true;
            if (updates > warmupUpdates && Double.isNaN(referenceLosses[i])) {
                referenceLosses[i] = smoothedLosses[i];
            }
        }
        if (updates <= warmupUpdates) {
            return weights();
        }
        double[] ratio = new double[n];
        boolean[] rated = new boolean[n];
        double meanRatio = 0;
        int ratedCount = 0;
        double meanNorm = 0;
        for (int i = 0; i < n; i++) {
            rated[i] = referenceLosses[i] > 0;
            if (rated[i]) {
                ratio[i] = smoothedLosses[i] / referenceLosses[i];
                meanRatio += ratio[i];
                ratedCount++;
            }
            meanNorm += smoothedNorms[i] / n;
        }
        meanRatio = ratedCount > 0 ? meanRatio / ratedCount : 0;
        for (int i = 0; i < n; i++) {
            double relative = rated[i] && meanRatio > 0 ? ratio[i] / meanRatio : 1.0;
            double target = meanNorm * Math.pow(relative, alpha);
            double g = smoothedNorms[i];
            // scale-free: norms relative to their mean, so the step does not depend on the loss
            // scale
            double dWeight =
                    meanNorm > 0 ? Math.signum(g - target) * (g / meanNorm) / weights[i] : 0;
            weights[i] = Math.max(1e-6, weights[i] - learningRate * dWeight);
        }
        project(weights, minWeight);
        return weights();
    }

    /**
     * Scales {@code w} in place to sum to its length with every entry at or above {@code
     * minWeight}: {@code w_i <- max(minWeight, s w_i)} with the {@code s > 0} that makes the sum
     * {@code n} (bisection; the sum is increasing in {@code s}).
     */
    static void project(double[] w, double minWeight) {
        int n = w.length;
        double lo = 0;
        double hi = 1;
        while (clampedSum(w, hi, minWeight) < n) {
            hi *= 2;
        }
        for (int iteration = 0; iteration < 100; iteration++) {
            double mid = (lo + hi) / 2;
            if (clampedSum(w, mid, minWeight) < n) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        for (int i = 0; i < n; i++) {
            w[i] = Math.max(minWeight, hi * w[i]);
        }
        double sum = Arrays.stream(w).sum();
        for (int i = 0; i < n; i++) {
            w[i] *= n / sum; // removes the bisection's last rounding
        }
    }

    private static double clampedSum(double[] w, double scale, double minWeight) {
        double sum = 0;
        for (double x : w) {
            sum += Math.max(minWeight, scale * x);
        }
        return sum;
    }
}
