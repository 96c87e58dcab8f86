package io.splitrank.models.artifact;

import io.splitrank.models.data.FeatureSpec;
import io.splitrank.models.nn.NetworkDimensions;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON written beside a model's DJL parameters ({@code metadata.json}); what the app's model
 * registry lists and how it rebuilds the block.
 *
 * @param key the model's key (e.g. {@code htlnet}), also the artifact directory and parameter file
 *     name
 * @param architecture one of {@code baseline}, {@code ektm}, {@code htlnet}, {@code aem2tl}
 * @param version artifact version, increased when a model is retrained under the same key
 * @param featureSpec the features the model was trained on; rows must be encoded with it
 * @param dimensions layer sizes to rebuild the block with
 * @param trainingDataSeed the seed of the generator run the training data came from
 * @param trainingRows number of training impressions
 * @param valueLogVariance residual variance of the log amount on the training conversions, for
 *     {@code E[amount] = exp(mu + variance / 2)}
 * @param parameterCount number of trainable scalars
 * @param trainedAt ISO-8601 instant
 * @param offlineMetrics held-out metrics, e.g. {@code {"ctr": {"auc": .., "logloss": ..},
 *     "cvr:purchase": {"auc": ..}, "value": {"nrmse": ..}}}
 */
public record ModelMetadata(
        String key,
        String architecture,
        int version,
        FeatureSpec featureSpec,
        NetworkDimensions dimensions,
        long trainingDataSeed,
        int trainingRows,
        double valueLogVariance,
        long parameterCount,
        String trainedAt,
        Map<String, Map<String, Double>> offlineMetrics) {

    public ModelMetadata {
        // sorted, so the JSON diffs cleanly between runs
        Map<String, Map<String, Double>> sorted = new TreeMap<>();
        if (offlineMetrics != null) {
            offlineMetrics.forEach(
                    (task, values) ->
                            sorted.put(task, Collections.unmodifiableMap(new TreeMap<>(values))));
        }
        offlineMetrics = Collections.unmodifiableMap(sorted);
    }

    /** The same metadata with other offline metrics. */
    public ModelMetadata withOfflineMetrics(Map<String, Map<String, Double>> metrics) {
        return new ModelMetadata(
                key,
                architecture,
                version,
                featureSpec,
                dimensions,
                trainingDataSeed,
                trainingRows,
                valueLogVariance,
                parameterCount,
                trainedAt,
                metrics);
    }
}
