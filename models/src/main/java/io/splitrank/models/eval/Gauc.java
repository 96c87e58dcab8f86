package io.splitrank.models.eval;

import java.util.Arrays;

/**
 * Group AUC: the per-user AUC averaged over users, weighted by each user's number of impressions,
 * counting only users who have both a positive and a negative impression (others have no AUC).
 * {@code GAUC = Σ_u n_u·AUC_u / Σ_u n_u} over those users.
 */
public final class Gauc {

    /**
     * A GAUC with its coverage.
     *
     * @param value the GAUC, NaN when no user has both classes
     * @param users the number of users counted
     * @param impressions the number of impressions of the users counted (the weight total)
     */
    public record Result(double value, long users, long impressions) {}

    private Gauc() {}

    /** The GAUC of {@code scores} against {@code labels}, grouped by {@code userIds}. */
    public static Result of(float[] labels, float[] scores, int[] userIds) {
        if (labels.length != scores.length || labels.length != userIds.length) {
            throw new IllegalArgumentException("labels, scores and userIds differ in length");
        }
        int n = labels.length;
        long[] byUser = new long[n];
        for (int i = 0; i < n; i++) {
            byUser[i] = ((long) userIds[i] << 32) | (i & 0xFFFFFFFFL);
        }
        Arrays.sort(byUser);
        int[] index = new int[n];
        for (int k = 0; k < n; k++) {
            index[k] = (int) byUser[k];
        }
        double weighted = 0;
        long users = 0;
        long impressions = 0;
        int k = 0;
        while (k < n) {
            int end = k + 1;
            while (end < n && (int) (byUser[end] >> 32) == (int) (byUser[k] >> 32)) {
                end++;
            }
            Auc.Result auc = Auc.over(labels, scores, index, k, end);
            if (!Double.isNaN(auc.value())) {
                weighted += auc.value() * (end - k);
                users++;
                impressions += end - k;
            }
            k = end;
        }
        return new Result(users == 0 ? Double.NaN : weighted / impressions, users, impressions);
    }
}
