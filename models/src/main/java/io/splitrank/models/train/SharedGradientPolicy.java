package io.splitrank.models.train;

/**
 * What the trainer does with the per-task gradients at the shared representation (one copy of
 * {@code h} per task; see {@code io.splitrank.models.nn.SharedRepresentationTap}). Working at the
 * shared representation rather than on the shared parameters is the usual practical form of the
 * papers' adjustments; models/README.md describes the per-task gradient recipe.
 */
public interface SharedGradientPolicy {

    /** The loss-term weights for the next step, given the loss's fixed weights. */
    float[] termWeights(float[] fixedWeights);

    /**
     * Combines the per-task gradients ({@code copyGradients[i]} flattened, one per copy) into the
     * gradient pushed into the shared layers; may update internal state (e.g. GradNorm weights).
     *
     * @param termLosses this step's unweighted loss terms
     */
    float[] combine(float[][] copyGradients, double[] termLosses);

    /**
     * HTLNet: copies {@code [ctr, cvr, value]}; adjusts the two classification gradients against
     * value.
     */
    static SharedGradientPolicy htlNet(GradientProjection projection) {
        return new SharedGradientPolicy() {
            @Override
            public float[] termWeights(float[] fixedWeights) {
                return fixedWeights;
            }

            @Override
            public float[] combine(float[][] copyGradients, double[] termLosses) {
                float[] value = copyGradients[copyGradients.length - 1];
                float[] combined = value.clone();
                for (int t = 0; t < copyGradients.length - 1; t++) {
                    float[] adjusted = projection.adjust(copyGradients[t], value).gradient();
                    for (int i = 0; i < combined.length; i++) {
                        combined[i] += adjusted[i];
                    }
                }
                return combined;
            }
        };
    }

    /**
     * AEM2TL: GradNorm over the copies; the gradients are summed unchanged and the weights apply
     * from the next step. There is one copy per loss term, in term order (AEM2TL's copies {@code
     * [ctr, ctcvr, related, value]} for its terms {@code [CTR, CTCVR, RELATED, VALUE]}): every
     * tower a term reads, the pCTR factor of the entire-space products included, runs on that
     * term's copy, so the norm at copy i is the gradient of term i alone.
     */
    static SharedGradientPolicy gradNorm(GradNorm gradNorm) {
        return new SharedGradientPolicy() {
            @Override
            public float[] termWeights(float[] fixedWeights) {
                float[] w = gradNorm.weights();
                float[] out = new float[fixedWeights.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = fixedWeights[i] * w[i];
                }
                return out;
            }

            @Override
            public float[] combine(float[][] copyGradients, double[] termLosses) {
                double[] norms = new double[copyGradients.length];
                float[] combined = new float[copyGradients[0].length];
                for (int t = 0; t < copyGradients.length; t++) {
                    double sq = 0;
                    for (int i = 0; i < combined.length; i++) {
                        float g = copyGradients[t][i];
                        sq += (double) g * g;
                        combined[i] += g;
                    }
                    norms[t] = Math.sqrt(sq);
                }
                gradNorm.update(termLosses, norms);
                return combined;
            }
        };
    }
}
