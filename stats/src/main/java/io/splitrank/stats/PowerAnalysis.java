package io.splitrank.stats;

/**
 * Power of a two-arm comparison with equal arms, by the normal approximation of the two-sided test:
 * n per arm = 2σ²(z₁₋α/₂ + z_power)²/δ², and the minimum detectable effect at n per arm δ = (z₁₋α/₂
 * + z_power)·√(2σ²/n). For a relative effect δ = MDE·|mean|. (The negligible probability of
 * rejecting in the wrong direction is ignored, as is usual.)
 */
public final class PowerAnalysis {

    private final double alpha;
    private final double power;
    private final DifferenceType differenceType;

    private PowerAnalysis(double alpha, double power, DifferenceType differenceType) {
        this.alpha = alpha;
        this.power = power;
        this.differenceType = differenceType;
    }

    /** α = 0.05, power 0.8, relative effects. */
    public static PowerAnalysis withDefaults() {
        return new PowerAnalysis(0.05, 0.8, DifferenceType.RELATIVE);
    }

    /** Two-sided significance level, in (0, 0.5]. */
    public PowerAnalysis withAlpha(double alpha) {
        ExperimentAnalysis.checkAlpha(alpha);
        return new PowerAnalysis(alpha, power, differenceType);
    }

    /** Target power, in (0, 1). */
    public PowerAnalysis withPower(double power) {
        if (!(power > 0 && power < 1)) {
            throw new InvalidStatisticsException("power", "must lie in (0, 1)");
        }
        return new PowerAnalysis(alpha, power, differenceType);
    }

    /** Whether effects are relative to the baseline mean or absolute. */
    public PowerAnalysis withDifferenceType(DifferenceType differenceType) {
        return new PowerAnalysis(alpha, power, differenceType);
    }

    /**
     * Units needed per arm to detect {@code effect} (relative or absolute), rounded up.
     *
     * @param mean baseline mean (used by relative effects)
     * @param variance per-unit variance of the metric, positive
     * @param effect the minimum detectable effect, non-zero
     */
    public long sampleSizePerArm(double mean, double variance, double effect) {
        double absoluteEffect = absoluteEffect(mean, variance, effect);
        double z = zSum();
        return (long) Math.ceil(2 * variance * z * z / (absoluteEffect * absoluteEffect));
    }

    /**
     * Effect (relative or absolute) detectable with {@code unitsPerArm} units per arm.
     *
     * @param mean baseline mean (used by relative effects), non-zero for relative effects
     * @param variance per-unit variance of the metric, positive
     * @param unitsPerArm units per arm, positive
     */
    public double minimumDetectableEffect(double mean, double variance, long unitsPerArm) {
        checkBaseline(mean, variance);
        if (unitsPerArm < 1) {
            throw new InvalidStatisticsException("n", "must be positive");
        }
        double absolute = zSum() * Math.sqrt(2 * variance / unitsPerArm);
        return differenceType == DifferenceType.ABSOLUTE ? absolute : absolute / Math.abs(mean);
    }

    private double absoluteEffect(double mean, double variance, double effect) {
        checkBaseline(mean, variance);
        if (effect == 0 || !Double.isFinite(effect)) {
            throw new InvalidStatisticsException("effect", "must be finite and non-zero");
        }
        return differenceType == DifferenceType.ABSOLUTE ? effect : effect * Math.abs(mean);
    }

    private void checkBaseline(double mean, double variance) {
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new InvalidStatisticsException("variance", "must be positive");
        }
        if (differenceType == DifferenceType.RELATIVE && (mean == 0 || !Double.isFinite(mean))) {
            throw new InvalidStatisticsException("mean", "a relative effect needs a non-zero mean");
        }
    }

    private double zSum() {
        return Distributions.normalQuantile(1 - alpha / 2) + Distributions.normalQuantile(power);
    }
}
