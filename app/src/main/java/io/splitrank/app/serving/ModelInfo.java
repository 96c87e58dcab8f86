package io.splitrank.app.serving;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * A loaded model as {@code GET /api/v1/models} lists it.
 *
 * @param key the key arms name
 * @param architecture baseline, ektm, htlnet, aem2tl, or reference for the reference rankers
 * @param version the artifact's version
 * @param trainedAt when it was trained (ISO-8601), null for a reference ranker
 * @param parameters trainable scalars
 * @param dataSeed the seed of the marketplace world its training data came from
 * @param offlineMetrics held-out metrics per task, e.g. {@code {"ctr": {"auc": 0.71}}}
 * @param reference whether it is a reference ranker of the simulated world rather than a model
 */
@Schema(description = "A loaded ranking model")
public record ModelInfo(
        String key,
        String architecture,
        int version,
        String trainedAt,
        long parameters,
        long dataSeed,
        Map<String, Map<String, Double>> offlineMetrics,
        boolean reference) {}
