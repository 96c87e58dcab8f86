package io.splitrank.app.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.splitrank.models.artifact.ShippedArtifacts;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on real artifacts in a directory: loading, failures, reload and leases. */
class ModelRegistryTest {

    private static final Marketplace WORLD = new Marketplace(MarketplaceConfig.defaults());

    @TempDir Path dir;

    private ModelRegistry registry(boolean referenceArms) {
        return new ModelRegistry(new ModelProperties(dir, referenceArms, 1000), Clock.systemUTC());
    }

    private static Ranker.Predictions predict(Ranker ranker) {
        return ranker.predict(
                WORLD.userFeatures(5), "home", List.of(WORLD.adFeatures(1), WORLD.adFeatures(2)));
    }

    @Test
    void theShippedArtifactsLoadWhenNoDirectoryIsSet() {
        ModelRegistry registry =
                new ModelRegistry(new ModelProperties(null, false, 1000), Clock.systemUTC());
        try {
            assertThat(registry.loadedKeys())
                    .containsExactly("aem2tl", "baseline", "ektm", "htlnet");
            assertThat(registry.failures()).isEmpty();
            assertThat(registry.conversionTypes())
                    .containsExactlyInAnyOrder("install", "register", "purchase");
        } finally {
            registry.destroy();
        }
    }

    @Test
    void aCorruptArtifactIsReportedWithItsReasonAndTheOthersAreServed() throws Exception {
        ShippedArtifacts.extract("baseline", dir);
        Files.createDirectories(dir.resolve("broken"));
        Files.writeString(
                dir.resolve("broken/metadata.json"),
                "{\"key\": \"broken\", \"architecture\": \"baseline\"");
        Path truncated = ShippedArtifacts.extract("ektm", dir);
        Files.write(truncated.resolve("ektm-0000.params"), new byte[] {1, 2, 3});
        ModelRegistry registry = registry(false);
        try {
            assertThat(registry.loadedKeys()).containsExactly("baseline");
            assertThat(registry.failures()).containsOnlyKeys("broken", "ektm");
            assertThat(registry.failures().values())
                    .allSatisfy(reason -> assertThat(reason).isNotBlank());
            assertThat(registry.isKnown("ektm")).isFalse();
            try (ModelRegistry.Lease lease = registry.lease("baseline").orElseThrow()) {
                assertThat(predict(lease.ranker()).pCtr()).hasSize(2);
            }
        } finally {
            registry.destroy();
        }
    }

    @Test
    void reloadSwapsInNewArtifactsAndClosesTheOldModelOnlyWhenItsLastLeaseEnds() throws Exception {
        ShippedArtifacts.extract("baseline", dir);
        ModelRegistry registry = registry(false);
        try {
            assertThat(registry.loadedKeys()).containsExactly("baseline");
            ModelRegistry.Lease inFlight = registry.lease("baseline").orElseThrow();
            Ranker old = inFlight.ranker();

            ShippedArtifacts.extract("htlnet", dir);
            registry.reload();
            assertThat(registry.loadedKeys()).containsExactly("baseline", "htlnet");
            try (ModelRegistry.Lease fresh = registry.lease("baseline").orElseThrow()) {
                assertThat(fresh.ranker()).isNotSameAs(old);
            }
            // the request in flight finishes on the old model
            assertThat(predict(old).pCtr()).hasSize(2);
            inFlight.close();
            // then the old model is closed
            assertThatThrownBy(() -> predict(old)).isInstanceOf(RuntimeException.class);
        } finally {
            registry.destroy();
        }
    }

    @Test
    void theReferenceRankersPredictTheGroundTruthOrNothing() throws Exception {
        ModelRegistry registry = registry(true);
        try {
            assertThat(registry.loadedKeys()).containsExactly("oracle", "random");
            try (ModelRegistry.Lease oracle = registry.lease("oracle").orElseThrow();
                    ModelRegistry.Lease random = registry.lease("random").orElseThrow()) {
                Ranker.Predictions truth = predict(oracle.ranker());
                assertThat((double) truth.pCtr()[0])
                        .isCloseTo(
                                WORLD.truth(5, 1, 0).pClick(),
                                org.assertj.core.data.Offset.offset(1e-6));
                assertThat((double) truth.pCvr()[1])
                        .isCloseTo(
                                WORLD.truth(5, 2, 0).pConversion(),
                                org.assertj.core.data.Offset.offset(1e-6));
                Ranker.Predictions shuffled = predict(random.ranker());
                assertThat(shuffled.pCtr()).isNull();
                assertThat(shuffled.order()).hasSize(2);
                assertThat(oracle.ranker().info().reference()).isTrue();
            }
        } finally {
            registry.destroy();
        }
    }
}
