package io.splitrank.models.eval;

import io.splitrank.models.data.ImpressionLog;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Computes the offline metrics of a model's predictions on a held-out {@link ImpressionLog}: AUC
 * and log-loss per classification task, GAUC per user, and NRMSE for value. Which impressions each
 * task counts is stated in {@link OfflineReport}; the value task counts impressions with a
 * conversion and a positive amount (valued conversion types).
 */
public final class OfflineEvaluation {

    private OfflineEvaluation() {}

    /** Evaluates {@code predictions} against {@code log}'s labels. */
    public static OfflineReport evaluate(ImpressionLog log, Predictions predictions) {
        if (predictions.pClick().length != log.size()) {
            throw new IllegalArgumentException("predictions do not match the log's size");
        }
        int n = log.size();
        float[] pCtcvr = new float[n];
        for (int i = 0; i < n; i++) {
            pCtcvr[i] = predictions.pClick()[i] * predictions.pConversion()[i];
        }
        Map<String, OfflineReport.ClassificationMetrics> tasks = new LinkedHashMap<>();
        tasks.put("ctr", metrics(log, i -> true, log.click(), predictions.pClick()));
        for (int t = 0; t < log.spec().conversionTypes().size(); t++) {
            String type = log.spec().conversionTypes().get(t);
            int id = t;
            tasks.put(
                    "cvr:" + type,
                    metrics(
                            log,
                            i -> log.conversionType()[i] == id && log.click()[i] == 1f,
                            log.conversion(),
                            predictions.pConversion()));
        }
        for (int t = 0; t < log.spec().conversionTypes().size(); t++) {
            String type = log.spec().conversionTypes().get(t);
            int id = t;
            tasks.put(
                    "ctcvr:" + type,
                    metrics(log, i -> log.conversionType()[i] == id, log.conversion(), pCtcvr));
        }
        if (predictions.pRelatedAction() != null) {
            tasks.put(
                    "related",
                    metrics(
                            log,
                            i -> log.click()[i] == 1f,
                            log.relatedAction(),
                            predictions.pRelatedAction()));
        }
        OfflineReport.ValueMetrics value = null;
        if (predictions.amount() != null) {
            int[] rows = select(n, i -> log.conversion()[i] == 1f && log.amount()[i] > 0);
            value =
                    new OfflineReport.ValueMetrics(
                            Nrmse.of(
                                    gather(log.amount(), rows),
                                    gather(predictions.amount(), rows)));
        }
        return new OfflineReport(tasks, value);
    }

    private static OfflineReport.ClassificationMetrics metrics(
            ImpressionLog log, IntPredicate counted, float[] labels, float[] scores) {
        int[] rows = select(log.size(), counted);
        float[] y = gather(labels, rows);
        float[] s = gather(scores, rows);
        int[] users = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            users[k] = log.userId()[rows[k]];
        }
        return new OfflineReport.ClassificationMetrics(
                Auc.of(y, s), LogLoss.of(y, s), Gauc.of(y, s, users));
    }

    private static int[] select(int n, IntPredicate counted) {
        int[] rows = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (counted.test(i)) {
                rows[m++] = i;
            }
        }
        return Arrays.copyOf(rows, m);
    }

    private static float[] gather(float[] column, int[] rows) {
        float[] out = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            out[k] = column[rows[k]];
        }
        return out;
    }
}
