package io.splitrank.models;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.nn.Aem2tlBlock;
import io.splitrank.models.nn.BaselineMmoeBlock;
import io.splitrank.models.nn.EktmBlock;
import io.splitrank.models.nn.HtlNetBlock;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.train.GradNorm;
import io.splitrank.models.train.GradientProjection;
import io.splitrank.models.train.MultiTaskLoss;
import io.splitrank.models.train.MultiTaskLoss.Term;
import io.splitrank.models.train.SharedGradientPolicy;
import java.util.Arrays;

/**
 * The four model architectures an experiment arm can be bound to, each with its block, its loss and
 * its per-task gradient policy.
 */
public enum Architecture {
    BASELINE("baseline"),
    EKTM("ektm"),
    HTLNET("htlnet"),
    AEM2TL("aem2tl");

    /** Weight of the value (log-amount MSE) term against the classification terms. */
    static final float VALUE_WEIGHT = 0.5f;

    /** AEM2TL's GradNorm: EMA factor of the losses and gradient norms. */
    static final double GRADNORM_SMOOTHING = 0.95;

    /**
     * AEM2TL's GradNorm: steps before the reference losses L_i(0) are taken (after the base rates
     * are learnt) and the weights start to move.
     */
    public static final int GRADNORM_WARMUP = 100;

    /** AEM2TL's GradNorm: no loss term's weight falls below this (the weights' mean is 1). */
    public static final double GRADNORM_MIN_WEIGHT = 0.2;

    private final String key;

    Architecture(String key) {
        this.key = key;
    }

    /** The name used in artifacts, the API and experiment arms. */
    public String key() {
        return key;
    }

    public static Architecture fromKey(String key) {
        return Arrays.stream(values())
                .filter(a -> a.key.equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown architecture " + key));
    }

    /** A new, uninitialised block. */
    public MultiTaskBlock newBlock(FeatureSpec spec, NetworkDimensions dims) {
        return switch (this) {
            case BASELINE -> BaselineMmoeBlock.builder().setSpec(spec).optDimensions(dims).build();
            case EKTM -> EktmBlock.builder().setSpec(spec).optDimensions(dims).build();
            case HTLNET -> HtlNetBlock.builder().setSpec(spec).optDimensions(dims).build();
            case AEM2TL -> Aem2tlBlock.builder().setSpec(spec).optDimensions(dims).build();
        };
    }

    /** The losses the paper trains with, all entire-space. */
    public MultiTaskLoss newLoss() {
        MultiTaskLoss.Builder loss =
                MultiTaskLoss.builder().addTerm(Term.CTR, 1f).addTerm(Term.CTCVR, 1f);
        switch (this) {
            case EKTM -> loss.addTerm(Term.VALUE, VALUE_WEIGHT).addTerm(Term.TRANSFERRED, 0.5f);
            case AEM2TL ->
                    loss.addTerm(Term.RELATED, 1f)
                            .addTerm(Term.VALUE, VALUE_WEIGHT)
                            .optCtrFactor(Term.CTCVR, Aem2tlBlock.P_CTR_FOR_CTCVR)
                            .optCtrFactor(Term.RELATED, Aem2tlBlock.P_CTR_FOR_RELATED);
            default -> loss.addTerm(Term.VALUE, VALUE_WEIGHT);
        }
        return loss.build();
    }

    /**
     * HTLNet's gradient adjustment, AEM2TL's GradNorm, or {@code null} for a plain backward pass.
     */
    public SharedGradientPolicy newGradientPolicy() {
        return switch (this) {
            case HTLNET -> SharedGradientPolicy.htlNet(new GradientProjection(0.3, 2.0));
            case AEM2TL ->
                    SharedGradientPolicy.gradNorm(
                            new GradNorm(
                                    4,
                                    1.0,
                                    0.01,
                                    GRADNORM_SMOOTHING,
                                    GRADNORM_WARMUP,
                                    GRADNORM_MIN_WEIGHT));
            default -> null;
        };
    }
}
