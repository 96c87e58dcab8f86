package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.models.data.ImpressionLog;
import org.junit.jupiter.api.Test;

final class MarketplaceDeterminismTest {

    private static final MarketplaceConfig SMALL =
            MarketplaceConfig.defaults().withNumUsers(500).withNumAds(100);

    @Test
    void sameSeedLogsIdenticalImpressions() {
        ImpressionLog a = new Marketplace(SMALL).generate(5_000, 42L);
        ImpressionLog b = new Marketplace(SMALL).generate(5_000, 42L);
        assertIdentical(a, b);
    }

    @Test
    void differentImpressionSeedLogsDifferentImpressions() {
        Marketplace world = new Marketplace(SMALL);
        ImpressionLog a = world.generate(5_000, 42L);
        ImpressionLog b = world.generate(5_000, 43L);
        assertThat(a.userId()).isNotEqualTo(b.userId());
        assertThat(a.categorical()).isNotEqualTo(b.categorical());
        assertThat(a.click()).isNotEqualTo(b.click());
    }

    @Test
    void differentWorldSeedBuildsADifferentWorld() {
        Marketplace a = new Marketplace(SMALL);
        Marketplace b = new Marketplace(SMALL.withSeed(SMALL.seed() + 1));
        assertThat(a.truth(3, 7, 0)).isNotEqualTo(b.truth(3, 7, 0));
        assertThat(a.generate(1_000, 42L).categorical())
                .isNotEqualTo(b.generate(1_000, 42L).categorical());
    }

    @Test
    void splitsAreReproducibleAndDrawnFromDisjointSeeds() {
        Split first = new Marketplace(SMALL).splits(2_000, 500, 500);
        Split second = new Marketplace(SMALL).splits(2_000, 500, 500);
        assertIdentical(first.train(), second.train());
        assertIdentical(first.valid(), second.valid());
        assertIdentical(first.test(), second.test());
        assertThat(first.trainSeed()).isNotIn(first.validSeed(), first.testSeed());
        assertThat(first.validSeed()).isNotEqualTo(first.testSeed());
        assertThat(first.train().size()).isEqualTo(2_000);
        assertThat(first.valid().size()).isEqualTo(500);
        assertThat(first.test().size()).isEqualTo(500);
    }

    static void assertIdentical(ImpressionLog a, ImpressionLog b) {
        assertThat(a.spec()).isEqualTo(b.spec());
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.categorical()).isEqualTo(b.categorical());
        assertThat(a.dense()).isEqualTo(b.dense());
        assertThat(a.scenario()).isEqualTo(b.scenario());
        assertThat(a.conversionType()).isEqualTo(b.conversionType());
        assertThat(a.userId()).isEqualTo(b.userId());
        assertThat(a.click()).isEqualTo(b.click());
        assertThat(a.conversion()).isEqualTo(b.conversion());
        assertThat(a.relatedAction()).isEqualTo(b.relatedAction());
        assertThat(a.amount()).isEqualTo(b.amount());
    }
}
