package io.splitrank.models.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param initialValidationLoss validation loss of the freshly initialised network
 * @param steps optimiser steps
 * @param seconds wall-clock training time (validations included)
 * @param samplesPerSecond training throughput
 * @param checkpoints every validation, in order
 * @param bestCheckpoint index of the checkpoint whose parameters were kept
 * @param stoppedEarly whether early stopping or the time limit ended training
 * @param finalTermWeights loss-term weights at the end (GradNorm moves them)
 */
public record TrainingReport(
        double initialValidationLoss,
        long steps,
        double seconds,
        double samplesPerSecond,
        List<Checkpoint> checkpoints,
        int bestCheckpoint,
        boolean stoppedEarly,
        float[] finalTermWeights) {

    /**
     * One validation.
     *
     * @param step optimiser steps so far
     * @param epochs epochs so far (fractional)
     * @param validationLoss the validation loss
     */
    public record Checkpoint(long step, double epochs, double validationLoss) {}

    public TrainingReport {
        checkpoints = List.copyOf(checkpoints);
    }

    public double bestValidationLoss() {
        return checkpoints.get(bestCheckpoint).validationLoss();
    }

    /** Epochs trained when the kept parameters were validated. */
    public double bestEpochs() {
        return checkpoints.get(bestCheckpoint).epochs();
    }

    /** Epochs trained in all. */
    public double epochsRun() {
        return checkpoints.get(checkpoints.size() - 1).epochs();
    }
}
