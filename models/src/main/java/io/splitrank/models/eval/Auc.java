package io.splitrank.models.eval;

import java.util.Arrays;

/**
 * Area under the ROC curve by ranks (the Mann-Whitney U statistic over n₁·n₀): the probability that
 * a random positive scores above a random negative, ties counted as one half (average ranks). O(n
 * log n). Labels must be 0 or 1; scores must not be NaN.
 */
public final class Auc {

    /**
     * An AUC with the class counts it rests on.
     *
     * @param value the AUC, NaN when either class is absent
     * @param positives the number of label-1 samples
     * @param negatives the number of label-0 samples
     */
    public record Result(double value, long positives, long negatives) {}

    private Auc() {}

    /** The AUC of {@code scores} against {@code labels}. */
    public static Result of(float[] labels, float[] scores) {
        if (labels.length != scores.length) {
            throw new IllegalArgumentException("labels and scores differ in length");
        }
        int[] all = new int[labels.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return over(labels, scores, all, 0, all.length);
    }

    /** The AUC over the samples {@code index[from..to)}; shared with {@link Gauc}. */
    static Result over(float[] labels, float[] scores, int[] index, int from, int to) {
        int n = to - from;
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            int i = index[from + k];
            keys[k] = ((long) sortable(scores[i]) << 32) | (i & 0xFFFFFFFFL);
        }
        Arrays.sort(keys);
        long positives = 0;
        double positiveRankSum = 0;
        int k = 0;
        while (k < n) {
            int end = k + 1;
            while (end < n && (int) (keys[end] >> 32) == (int) (keys[k] >> 32)) {
                end++;
            }
            double averageRank = (k + 1 + end) / 2.0; // ranks k+1..end, 1-based
            for (int j = k; j < end; j++) {
                if (isPositive(labels[(int) keys[j]])) {
                    positives++;
                    positiveRankSum += averageRank;
                }
            }
            k = end;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return new Result(Double.NaN, positives, negatives);
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return new Result(u / ((double) positives * negatives), positives, negatives);
    }

    static boolean isPositive(float label) {
        if (label == 1f) {
            return true;
        }
        if (label == 0f) {
            return false;
        }
        throw new IllegalArgumentException("labels must be 0 or 1, got " + label);
    }

    /** Float bits reordered so that signed int order is float order (-0 and +0 tie). */
    private static int sortable(float score) {
        if (Float.isNaN(score)) {
            throw new IllegalArgumentException("NaN score");
        }
        int bits = Float.floatToIntBits(score == 0f ? 0f : score);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }
}
