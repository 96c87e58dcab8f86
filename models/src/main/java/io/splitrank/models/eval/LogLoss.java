package io.splitrank.models.eval;

/**
 * Mean binary cross-entropy {@code -mean(y·ln p + (1-y)·ln(1-p))}, with predictions clipped to
 * {@code [ε, 1-ε]} so a confident mistake costs a large but finite amount. Immutable; configure
 * with {@link #withEpsilon}.
 */
public final class LogLoss {

    /** The default clipping ε (predictions arrive as floats, whose spacing near 1 is ~6e-8). */
    public static final double DEFAULT_EPSILON = 1e-7;

    private static final LogLoss DEFAULT = new LogLoss(DEFAULT_EPSILON);

    /**
     * A log-loss with its sample count.
     *
     * @param value the mean log-loss, NaN for no samples
     * @param samples the number of samples
     */
    public record Result(double value, long samples) {}

    private final double epsilon;

    private LogLoss(double epsilon) {
        this.epsilon = epsilon;
    }

    /** The log-loss with the default ε. */
    public static Result of(float[] labels, float[] probabilities) {
        return DEFAULT.compute(labels, probabilities);
    }

    /** A log-loss with clipping {@code epsilon} in [0, 0.5). */
    public static LogLoss withEpsilon(double epsilon) {
        if (!(epsilon >= 0 && epsilon < 0.5)) {
            throw new IllegalArgumentException("epsilon must be in [0, 0.5)");
        }
        return new LogLoss(epsilon);
    }

    /** The log-loss of {@code probabilities} against {@code labels}. */
    public Result compute(float[] labels, float[] probabilities) {
        if (labels.length != probabilities.length) {
            throw new IllegalArgumentException("labels and probabilities differ in length");
        }
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double p = Math.min(Math.max(probabilities[i], epsilon), 1 - epsilon);
            sum -= Auc.isPositive(labels[i]) ? Math.log(p) : Math.log1p(-p);
        }
        return new Result(labels.length == 0 ? Double.NaN : sum / labels.length, labels.length);
    }
}
