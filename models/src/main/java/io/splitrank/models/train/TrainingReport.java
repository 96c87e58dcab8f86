package io.splitrank.models.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param initialValidationLoss validation loss of the freshly initialised network
 * @param steps optimiser steps taken (skipped steps not counted)
 * @param samples training samples consumed (skipped batches included)
 * @param seconds wall-clock training time (validations included)
 * @param samplesPerSecond training throughput
 * @param checkpoints every validation, in order
 * @param bestCheckpoint index of the checkpoint whose parameters were kept (the lowest validation
 *     loss, or the last one when the trainer keeps the end of the budget)
 * @param stopReason why training ended
 * @param skippedSteps batches whose loss or gradient was not finite, so no step was taken
 * @param clippedSteps steps whose global gradient norm was clipped
 * @param finalTermWeights loss-term weights at the end (GradNorm moves them)
 */
public record TrainingReport(
        double initialValidationLoss,
        long steps,
        long samples,
        double seconds,
        double samplesPerSecond,
        List<Checkpoint> checkpoints,
        int bestCheckpoint,
        StopReason stopReason,
        long skippedSteps,
        long clippedSteps,
        float[] finalTermWeights) {

    /** Why a run ended. */
    public enum StopReason {
        /** The sample budget was used up (the normal end). */
        BUDGET,
        /** {@code patience} validations in a row did not improve on the best. */
        PATIENCE,
        /** The optional wall-clock limit ran out before the budget. */
        TIME_LIMIT
    }

    /**
     * One validation.
     *
     * @param step optimiser steps so far
     * @param samples training samples so far
     * @param validationLoss the validation loss
     * @param termLosses each unweighted loss term on the validation log, in the loss's term order
     */
    public record Checkpoint(long step, long samples, double validationLoss, double[] termLosses) {

        public Checkpoint {
            termLosses = termLosses.clone();
        }

        @Override
        public double[] termLosses() {
            return termLosses.clone();
        }
    }

    public TrainingReport {
        checkpoints = List.copyOf(checkpoints);
    }

    /** Validation loss of the kept parameters. */
    public double bestValidationLoss() {
        return checkpoints.get(bestCheckpoint).validationLoss();
    }

    /** Training samples consumed when the kept parameters were validated. */
    public long bestSamples() {
        return checkpoints.get(bestCheckpoint).samples();
    }

    /** Index of the checkpoint with the lowest finite validation loss (-1 if none). */
    public int lowestCheckpoint() {
        int lowest = -1;
        for (int i = 0; i < checkpoints.size(); i++) {
            double loss = checkpoints.get(i).validationLoss();
            if (Double.isFinite(loss)
                    && (lowest < 0 || loss < checkpoints.get(lowest).validationLoss())) {
                lowest = i;
            }
        }
        return lowest;
    }

    /** Whether patience or the time limit ended the run before its budget. */
    public boolean stoppedBeforeBudget() {
        return stopReason != StopReason.BUDGET;
    }
}
