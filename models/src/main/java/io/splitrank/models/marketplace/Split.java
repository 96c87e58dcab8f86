package io.splitrank.models.marketplace;

import io.splitrank.models.data.ImpressionLog;

/**
 * Training, validation and test impressions logged from the same world with disjoint seeds.
 *
 * @param train the training impressions
 * @param valid the validation impressions
 * @param test the held-out test impressions
 * @param trainSeed the impression seed of {@code train}
 * @param validSeed the impression seed of {@code valid}
 * @param testSeed the impression seed of {@code test}
 */
public record Split(
        ImpressionLog train,
        ImpressionLog valid,
        ImpressionLog test,
        long trainSeed,
        long validSeed,
        long testSeed) {}
