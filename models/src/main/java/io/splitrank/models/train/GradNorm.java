package io.splitrank.models.train;

import java.util.Arrays;

/**
 * GradNorm task weighting (Chen et al., ICML 2018), as AEM2TL uses it: weights {@code w_i} move so
 * that each task's weighted gradient norm {@code G_i = |grad of w_i L_i|} at the shared layer
 * approaches {@code mean(G) * r_i^alpha}, where {@code r_i} is the task's relative inverse training
 * rate {@code (L_i / L_i(0)) / mean_j (L_j / L_j(0))}. Weights stay positive and sum to the number
 * of tasks.
 *
 * <p>The update is the analytic gradient of {@code sum_i |G_i - target_i|} with respect to {@code
 * w_i} (targets held constant, {@code dG_i / dw_i = G_i / w_i}), with the norms divided by their
 * mean so that the step size does not depend on the scale of the losses, applied with SGD. Losses
 * are smoothed by an exponential moving average because sparse tasks (value) are noisy per batch.
 */
public final class GradNorm {

    private final double alpha;
    private final double learningRate;
    private final double smoothing;
    private final double[] weights;
    private double[] initialLosses;
    private double[] smoothedLosses;

    /**
     * @param tasks number of tasks
     * @param alpha asymmetry (the paper's 0.5 to 1.5; 0 equalises gradient norms)
     * @param learningRate step size for the weights
     * @param smoothing EMA factor for the losses in {@code [0, 1)}; 0 uses each batch as it is
     */
    public GradNorm(int tasks, double alpha, double learningRate, double smoothing) {
        this.alpha = alpha;
        this.learningRate = learningRate;
        this.smoothing = smoothing;
        this.weights = new double[tasks];
        Arrays.fill(weights, 1.0);
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
        if (smoothedLosses == null) {
            smoothedLosses = losses.clone();
        } else {
            for (int i = 0; i < n; i++) {
                smoothedLosses[i] = smoothing * smoothedLosses[i] + (1 - smoothing) * losses[i];
            }
        }
        if (initialLosses == null) {
            initialLosses = smoothedLosses.clone();
        }
        double[] ratio = new double[n];
        double meanRatio = 0;
        double meanNorm = 0;
        for (int i = 0; i < n; i++) {
            ratio[i] = initialLosses[i] > 0 ? smoothedLosses[i] / initialLosses[i] : 1.0;
            meanRatio += ratio[i] / n;
            meanNorm += weightedGradientNorms[i] / n;
        }
        for (int i = 0; i < n; i++) {
            double relative = meanRatio > 0 ? ratio[i] / meanRatio : 1.0;
            double target = meanNorm * Math.pow(relative, alpha);
            double g = weightedGradientNorms[i];
            // scale-free: norms relative to their mean, so the step does not depend on the loss
            // scale
            double dWeight =
                    meanNorm > 0 ? Math.signum(g - target) * (g / meanNorm) / weights[i] : 0;
            weights[i] = Math.max(1e-3, weights[i] - learningRate * dWeight);
        }
        double sum = Arrays.stream(weights).sum();
        for (int i = 0; i < n; i++) {
            weights[i] *= n / sum;
        }
        return weights();
    }
}
