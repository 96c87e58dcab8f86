package io.splitrank.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitrank.models.marketplace.EncodedFeatures;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ShippedArtifactsTest {

    @TempDir Path root;

    @Test
    void everyArchitectureShipsATrainedArtifactOfTheDefaultWorld() throws Exception {
        Marketplace world = new Marketplace(MarketplaceConfig.defaults());
        for (String key : ShippedArtifacts.keys()) {
            try (RankingModel model = RankingModel.load(ShippedArtifacts.extract(key, root))) {
                ModelMetadata meta = model.metadata();
                assertThat(meta.key()).isEqualTo(key);
                assertThat(meta.architecture()).isEqualTo(key);
                assertThat(meta.trainingDataSeed()).isEqualTo(MarketplaceConfig.DEFAULT_SEED);
                assertThat(meta.featureSpec()).isEqualTo(world.featureSpec());
                // trained, not initial: a CTR AUC well above chance on held-out data
                assertThat(meta.offlineMetrics().get("ctr").get("auc")).isGreaterThan(0.6);
                EncodedFeatures f =
                        world.encoder().encode(world.userFeatures(3), world.adFeatures(7), "home");
                RankingModel.Scores s =
                        model.predict(
                                f.categorical(),
                                f.dense(),
                                new int[] {f.scenario()},
                                new int[] {f.conversionType()});
                assertThat(s.pCtr()[0]).isBetween(0f, 1f).isNotEqualTo(0.5f);
                assertThat(s.pCvr()[0]).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void anArtifactNotOnTheClasspathIsNamed() {
        assertThatThrownBy(() -> ShippedArtifacts.extract("gpt5-ranker", root))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("gpt5-ranker");
    }
}
