package io.splitrank.stats;

/**
 * A normal prior on the lift (on the scale of the configured {@link DifferenceType}).
 *
 * @param mean prior mean of the lift
 * @param variance prior variance of the lift, positive
 */
public record NormalPrior(double mean, double variance) {

    /** Validates the variance. */
    public NormalPrior {
        if (!(variance > 0) || !Double.isFinite(variance) || !Double.isFinite(mean)) {
            throw new InvalidStatisticsException(
                    "prior", "prior needs a finite mean and a positive variance");
        }
    }
}
