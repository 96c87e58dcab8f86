package io.splitrank.models.marketplace;

import io.splitrank.models.data.FeatureSpec;

/**
 * The JSON form of a {@link FeatureSpec}, as written in a dataset's {@code marketplace.json} (and,
 * by the same Gson record mapping, in a model artifact's {@code metadata.json}): {@code
 * {"categorical": [{"name": …, "cardinality": …}, …], "dense": […], "scenarios": […],
 * "conversionTypes": […]}}.
 */
public final class FeatureSpecJson {

    private FeatureSpecJson() {}

    /** The spec as JSON text. */
    public static String toJson(FeatureSpec spec) {
        return MarketplaceJson.write(spec);
    }

    /**
     * Reads a spec from JSON text written by {@link #toJson}.
     *
     * @throws IllegalArgumentException if the text is not such a spec
     */
    public static FeatureSpec fromJson(String json) {
        return MarketplaceJson.read(json, FeatureSpec.class);
    }
}
