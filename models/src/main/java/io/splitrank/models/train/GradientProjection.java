package io.splitrank.models.train;

/**
 * HTLNet's gradient adjustment between a classification task and the value (regression) task, as a
 * pure function on flattened gradients.
 *
 * <ol>
 *   <li>Conflict: if {@code cos(g_task, g_value) < 0}, the component of {@code g_task} along {@code
 *       g_value} is removed: {@code g <- g - (g . g_value / |g_value|^2) g_value} (PCGrad-style
 *       projection onto the normal plane of the value gradient).
 *   <li>Magnitude: {@code g <- g * ((1 - gamma) + gamma * min(|g_value| / |g|, clip))}, pulling the
 *       classification gradient's norm towards the value gradient's with mixing factor {@code
 *       gamma} and the ratio clipped at {@code clip}, so a dense click loss cannot drown the sparse
 *       value signal (and a tiny one is not blown up by more than {@code clip}).
 * </ol>
 *
 * <p>Our reading of the paper's adjustment: step 2 applies whether or not there was a conflict. A
 * zero value gradient (a batch without amounts) leaves the task gradient unchanged.
 */
public final class GradientProjection {

    private final double gamma;
    private final double clip;

    /**
     * @param gamma mixing factor in {@code [0, 1]}; 0 keeps the projected gradient's norm
     * @param clip upper bound of the norm ratio {@code |g_value| / |g|}
     */
    public GradientProjection(double gamma, double clip) {
        if (gamma < 0 || gamma > 1 || clip <= 0) {
            throw new IllegalArgumentException("gamma must be in [0, 1] and clip positive");
        }
        this.gamma = gamma;
        this.clip = clip;
    }

    /**
     * The outcome for one task gradient.
     *
     * @param gradient the adjusted gradient (a new array)
     * @param cosine cosine between the task and value gradients before adjustment (0 if either is
     *     0)
     * @param projected whether the conflict projection was applied
     */
    public record Adjustment(float[] gradient, double cosine, boolean projected) {}

    /** Adjusts {@code task} against {@code value}; neither input is modified. */
    public Adjustment adjust(float[] task, float[] value) {
        if (task.length != value.length) {
            throw new IllegalArgumentException("gradients differ in length");
        }
        double dot = 0;
        double taskSq = 0;
        double valueSq = 0;
        for (int i = 0; i < task.length; i++) {
            dot += (double) task[i] * value[i];
            taskSq += (double) task[i] * task[i];
            valueSq += (double) value[i] * value[i];
        }
        float[] out = task.clone();
        if (valueSq == 0 || taskSq == 0) {
            return new Adjustment(out, 0, false);
        }
        double cosine = dot / Math.sqrt(taskSq * valueSq);
        boolean projected = cosine < 0;
        if (projected) {
            double coefficient = dot / valueSq;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] - coefficient * value[i]);
            }
        }
        double norm = 0;
        for (float v : out) {
            norm += (double) v * v;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            double ratio = Math.min(Math.sqrt(valueSq) / norm, clip);
            double scale = (1 - gamma) + gamma * ratio;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] * scale);
            }
        }
        return new Adjustment(out, cosine, projected);
    }
}
