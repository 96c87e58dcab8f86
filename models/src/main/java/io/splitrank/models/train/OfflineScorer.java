package io.splitrank.models.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.nn.Aem2tlBlock;
import io.splitrank.models.nn.MultiTaskBlock;

/** Scores whole logs in chunks (inference mode), for evaluation and calibration. */
public final class OfflineScorer {

    private static final int CHUNK = 4096;

    private OfflineScorer() {}

    /**
     * Raw outputs for some rows of a log.
     *
     * @param pCtr pCTR
     * @param pCvr post-click pCVR of the row's own conversion type
     * @param logAmount predicted mean log amount of a conversion
     * @param pRelated post-click related-action probability, or {@code null} if the network has
     *     none
     */
    public record Scores(float[] pCtr, float[] pCvr, float[] logAmount, float[] pRelated) {}

    /** Scores {@code rows} of {@code log} ({@code null}: all rows, in order). */
    public static Scores score(
            MultiTaskBlock block, NDManager parent, ImpressionLog log, int[] rows) {
        int n = rows == null ? log.size() : rows.length;
        float[] pCtr = new float[n];
        float[] pCvr = new float[n];
        float[] logAmount = new float[n];
        float[] pRelated = block instanceof Aem2tlBlock ? new float[n] : null;
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager manager = parent.newSubManager()) {
                NDList features = ImpressionBatches.features(manager, log, rows, from, to);
                NDList out = block.forward(new ParameterStore(manager, false), features, false);
                copy(out.get(MultiTaskBlock.P_CTR).toFloatArray(), pCtr, from);
                copy(
                        MultiTaskBlock.ofOwnType(out.get(MultiTaskBlock.P_CVR), features.get(3))
                                .toFloatArray(),
                        pCvr,
                        from);
                copy(out.get(MultiTaskBlock.VALUE).toFloatArray(), logAmount, from);
                if (pRelated != null) {
                    copy(out.get(Aem2tlBlock.P_RELATED).toFloatArray(), pRelated, from);
                }
            }
        }
        return new Scores(pCtr, pCvr, logAmount, pRelated);
    }

    /**
     * Residual variance of the log amount on the log's valued conversions (0 if there are fewer
     * than two), for {@code E[amount] = exp(mu + variance / 2)}.
     */
    public static double logAmountResidualVariance(
            MultiTaskBlock block, NDManager parent, ImpressionLog log) {
        int[] rows =
                java.util.stream.IntStream.range(0, log.size())
                        .filter(i -> log.conversion()[i] > 0.5f && log.amount()[i] > 0f)
                        .toArray();
        if (rows.length < 2) {
            return 0;
        }
        float[] mu = score(block, parent, log, rows).logAmount();
        double sum = 0;
        for (int k = 0; k < rows.length; k++) {
            double r = Math.log(log.amount()[rows[k]]) - mu[k];
            sum += r * r;
        }
        return sum / rows.length;
    }

    private static void copy(float[] source, float[] target, int offset) {
        System.arraycopy(source, 0, target, offset, source.length);
    }
}
