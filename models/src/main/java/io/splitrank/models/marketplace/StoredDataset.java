package io.splitrank.models.marketplace;

import io.splitrank.models.data.ImpressionLog;

/**
 * A logged dataset with its provenance: the marketplace parameters (with the world seed) and the
 * impression seed, enough to regenerate it exactly.
 *
 * @param config the marketplace parameters
 * @param impressionSeed the seed passed to {@link Marketplace#generate}
 * @param log the impressions
 */
public record StoredDataset(MarketplaceConfig config, long impressionSeed, ImpressionLog log) {}
