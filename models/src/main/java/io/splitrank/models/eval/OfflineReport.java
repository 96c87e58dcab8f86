package io.splitrank.models.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The offline metrics of one model on one held-out log, keyed by task: {@code ctr}, {@code
 * cvr:<type>} (post-click, on clicked impressions of that type's ads), {@code ctcvr:<type>} (entire
 * space, pCTR·pCVR on all impressions of that type's ads), {@code related} (post-click), and {@code
 * value} (amount on valued conversions).
 *
 * @param classification the classification tasks in a fixed order
 * @param value the value task, or {@code null} if not evaluated
 */
public record OfflineReport(Map<String, ClassificationMetrics> classification, ValueMetrics value) {

    /**
     * The metrics of one classification task.
     *
     * @param auc the AUC
     * @param logLoss the log-loss
     * @param gauc the impression-weighted per-user AUC
     */
    public record ClassificationMetrics(Auc.Result auc, LogLoss.Result logLoss, Gauc.Result gauc) {}

    /**
     * The metrics of the value task.
     *
     * @param nrmse RMSE / mean(actual) of the predicted amount given a conversion
     */
    public record ValueMetrics(Nrmse.Result nrmse) {}

    public OfflineReport {
        classification = Collections.unmodifiableMap(new LinkedHashMap<>(classification));
    }

    /**
     * The report as the JSON-able map a model artifact's {@code offlineMetrics} holds, e.g. {@code
     * {"ctr": {"auc": …, "logloss": …, "gauc": …, "samples": …, "positives": …}, "value": {"nrmse":
     * …, "rmse": …, "samples": …}}}; undefined (NaN) numbers are left out.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        classification.forEach(
                (task, m) -> {
                    Map<String, Object> t = new LinkedHashMap<>();
                    putFinite(t, "auc", m.auc().value());
                    putFinite(t, "logloss", m.logLoss().value());
                    putFinite(t, "gauc", m.gauc().value());
                    t.put("samples", m.logLoss().samples());
                    t.put("positives", m.auc().positives());
                    out.put(task, t);
                });
        if (value != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            putFinite(v, "nrmse", value.nrmse().value());
            putFinite(v, "rmse", value.nrmse().rmse());
            v.put("samples", value.nrmse().samples());
            out.put("value", v);
        }
        return out;
    }

    private static void putFinite(Map<String, Object> map, String key, double v) {
        if (Double.isFinite(v)) {
            map.put(key, v);
        }
    }
}
