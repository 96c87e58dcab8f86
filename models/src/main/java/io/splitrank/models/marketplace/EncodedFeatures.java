package io.splitrank.models.marketplace;

/**
 * One request's features encoded in {@link io.splitrank.models.data.FeatureSpec} order.
 *
 * @param categorical the categorical ids, 0 where a value was missing or unknown
 * @param dense the dense values, 0 (the training mean, roughly) where missing
 * @param scenario the scenario index, or -1 if the scenario is unknown
 * @param conversionType the conversion type index, or -1 if unknown
 */
public record EncodedFeatures(int[] categorical, float[] dense, int scenario, int conversionType) {}
