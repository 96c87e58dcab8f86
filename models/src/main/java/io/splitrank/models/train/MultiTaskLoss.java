package io.splitrank.models.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import io.splitrank.models.nn.Aem2tlBlock;
import io.splitrank.models.nn.EktmBlock;
import io.splitrank.models.nn.MultiTaskBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The weighted sum of a network's task losses, all on the entire impression space:
 *
 * <ul>
 *   <li>{@link Term#CTR}: BCE(pCTR, click);
 *   <li>{@link Term#CTCVR}: BCE(pCTR * pCVR of the ad's conversion type, conversion) — ESMM;
 *   <li>{@link Term#VALUE}: MSE of the predicted log amount over conversions with an amount;
 *   <li>{@link Term#TRANSFERRED} (EKTM's enhanced module): BCE(stop-gradient(pCTR) * pCVR from the
 *       transferred vector alone, conversion);
 *   <li>{@link Term#RELATED} (AEM2TL): BCE(pCTR * pRelated, related action).
 * </ul>
 *
 * <p>The pCTR factor of CTCVR and RELATED can come from another output ({@link
 * Builder#optCtrFactor}); it is the same probability, computed from another copy of the shared
 * representation.
 */
public final class MultiTaskLoss extends Loss {

    private static final float EPS = 1e-7f;

    /** One task loss. */
    public enum Term {
        CTR,
        CTCVR,
        VALUE,
        TRANSFERRED,
        RELATED
    }

    private final List<Term> terms;
    private final float[] weights;
    private final java.util.Map<Term, Integer> ctrFactors;

    private MultiTaskLoss(Builder builder) {
        super("multiTaskLoss");
        this.terms = List.copyOf(builder.terms);
        this.weights = new float[terms.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = builder.weights.get(i);
        }
        this.ctrFactors = java.util.Map.copyOf(builder.ctrFactors);
    }

    /** The output index of the pCTR factor that {@code term} multiplies by. */
    private NDArray ctrFactor(Term term, NDList predictions) {
        return predictions.get(ctrFactors.getOrDefault(term, MultiTaskBlock.P_CTR));
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Term> terms() {
        return terms;
    }

    /** The fixed weights (GradNorm replaces them during training). */
    public float[] weights() {
        return weights.clone();
    }

    /** Each term's scalar loss, in {@link #terms()} order. */
    public NDList termLosses(NDList labels, NDList predictions) {
        NDArray pCtr = predictions.get(MultiTaskBlock.P_CTR);
        NDArray type = labels.get(ImpressionBatches.CONVERSION_TYPE);
        NDList out = new NDList(terms.size());
        for (Term term : terms) {
            out.add(
                    switch (term) {
                        case CTR -> bce(pCtr, labels.get(ImpressionBatches.CLICK));
                        case CTCVR ->
                                bce(
                                        ctrFactor(term, predictions)
                                                .mul(
                                                        MultiTaskBlock.ofOwnType(
                                                                predictions.get(
                                                                        MultiTaskBlock.P_CVR),
                                                                type)),
                                        labels.get(ImpressionBatches.CONVERSION));
                        case VALUE ->
                                maskedMse(
                                        predictions.get(MultiTaskBlock.VALUE),
                                        labels.get(ImpressionBatches.LOG_AMOUNT),
                                        labels.get(ImpressionBatches.AMOUNT_MASK));
                        case TRANSFERRED ->
                                bce(
                                        pCtr.stopGradient()
                                                .mul(
                                                        MultiTaskBlock.ofOwnType(
                                                                predictions.get(
                                                                        EktmBlock
                                                                                .P_CVR_TRANSFERRED),
                                                                type)),
                                        labels.get(ImpressionBatches.CONVERSION));
                        case RELATED ->
                                bce(
                                        ctrFactor(term, predictions)
                                                .mul(predictions.get(Aem2tlBlock.P_RELATED)),
                                        labels.get(ImpressionBatches.RELATED));
                    });
        }
        return out;
    }

    /** {@code sum_i w_i L_i}. */
    public static NDArray weightedSum(NDList termLosses, float[] weights) {
        NDArray total = termLosses.get(0).mul(weights[0]);
        for (int i = 1; i < termLosses.size(); i++) {
            total = total.add(termLosses.get(i).mul(weights[i]));
        }
        return total;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        return weightedSum(termLosses(labels, predictions), weights);
    }

    static NDArray bce(NDArray p, NDArray y) {
        NDArray q = p.clip(EPS, 1 - EPS);
        return y.mul(q.log()).add(y.neg().add(1f).mul(q.neg().add(1f).log())).mean().neg();
    }

    static NDArray maskedMse(NDArray prediction, NDArray target, NDArray mask) {
        NDArray squared = prediction.sub(target).square().mul(mask);
        return squared.sum().div(mask.sum().maximum(1f));
    }

    /** Builds a {@link MultiTaskLoss}; at least one term is required. */
    public static final class Builder {
        private final List<Term> terms = new ArrayList<>();
        private final List<Float> weights = new ArrayList<>();
        private final java.util.Map<Term, Integer> ctrFactors = new java.util.EnumMap<>(Term.class);

        private Builder() {}

        /**
         * The entire-space product of {@code term} (CTCVR or RELATED) takes its pCTR factor from
         * output {@code outputIndex} instead of {@link MultiTaskBlock#P_CTR}: AEM2TL computes a
         * pCTR per loss term from that term's own copy of the shared representation, so that
         * GradNorm measures each term's gradient at its own copy.
         */
        public Builder optCtrFactor(Term term, int outputIndex) {
            ctrFactors.put(term, outputIndex);
            return this;
        }

        public Builder addTerm(Term term, float weight) {
            terms.add(term);
            weights.add(weight);
            return this;
        }

        public MultiTaskLoss build() {
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("a loss needs at least one term");
            }
            return new MultiTaskLoss(this);
        }
    }
}
