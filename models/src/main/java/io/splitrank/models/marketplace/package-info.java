/**
 * The synthetic ad marketplace: a seeded world of users, ads, scenarios and conversion types with a
 * documented ground truth ({@link io.splitrank.models.marketplace.Marketplace}), the logging policy
 * that produces labelled training impressions, live traffic for the online simulation, the feature
 * encoder, and dataset files. Plain Java, no I/O except {@code DatasetFiles}. See models/README.md.
 */
package io.splitrank.models.marketplace;
