package io.splitrank.models.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param initialValidationLoss validation loss of the freshly initialised network
 * @param epochs epochs run
 * @param bestEpoch the epoch (1-based) whose parameters were kept
 * @param steps optimiser steps
 * @param seconds wall-clock training time
 * @param samplesPerSecond training throughput
 * @param validationLosses validation loss after each epoch
 * @param stoppedEarly whether early stopping (or the time limit) ended training
 * @param finalTermWeights loss-term weights at the end (GradNorm moves them)
 */
public record TrainingReport(
        double initialValidationLoss,
        int epochs,
        int bestEpoch,
        long steps,
        double seconds,
        double samplesPerSecond,
        List<Double> validationLosses,
        boolean stoppedEarly,
        float[] finalTermWeights) {

    public double bestValidationLoss() {
        return validationLosses.get(bestEpoch - 1);
    }
}
