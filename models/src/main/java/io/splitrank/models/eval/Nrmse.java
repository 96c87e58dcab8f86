package io.splitrank.models.eval;

/**
 * Normalised root-mean-square error of a value prediction: {@code RMSE / mean(actual)}, the RMSE in
 * units of the average actual value (so 0.5 means a typical error of half an average purchase).
 * Dividing by the mean rather than the standard deviation keeps the number comparable across
 * datasets whose amount spread differs; a predictor that always says the mean scores
 * std(actual)/mean(actual), the coefficient of variation.
 */
public final class Nrmse {

    /**
     * An NRMSE with its parts.
     *
     * @param value RMSE / mean(actual), NaN for no samples or a zero mean
     * @param rmse the root-mean-square error
     * @param meanActual the mean actual value
     * @param samples the number of samples
     */
    public record Result(double value, double rmse, double meanActual, long samples) {}

    private Nrmse() {}

    /** The NRMSE of {@code predicted} against {@code actual}. */
    public static Result of(float[] actual, float[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted differ in length");
        }
        int n = actual.length;
        if (n == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double squared = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double e = (double) predicted[i] - actual[i];
            squared += e * e;
            total += actual[i];
        }
        double rmse = Math.sqrt(squared / n);
        double mean = total / n;
        return new Result(mean == 0 ? Double.NaN : rmse / mean, rmse, mean, n);
    }
}
