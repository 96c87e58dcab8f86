package io.splitrank.models.marketplace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DatasetFilesTest {

    private static final MarketplaceConfig SMALL =
            MarketplaceConfig.defaults().withNumUsers(300).withNumAds(80);

    @Test
    void writeThenReadGivesBackTheSameLogParametersAndSeed(@TempDir Path dir) {
        Marketplace world = new Marketplace(SMALL);
        StoredDataset written = new StoredDataset(SMALL, 99L, world.generate(3_000, 99L));
        DatasetFiles.write(dir, written);

        StoredDataset read = DatasetFiles.read(dir);

        assertThat(read.config()).isEqualTo(SMALL);
        assertThat(read.impressionSeed()).isEqualTo(99L);
        MarketplaceDeterminismTest.assertIdentical(read.log(), written.log());
        assertThat(dir.resolve(DatasetFiles.PARAMETERS_FILE)).exists();
        assertThat(dir.resolve(DatasetFiles.COLUMNS_FILE)).exists();
    }

    @Test
    void theParametersWrittenBesideADatasetRegenerateItExactly(@TempDir Path dir) {
        StoredDataset written =
                new StoredDataset(SMALL, 5L, new Marketplace(SMALL).generate(2_000, 5L));
        DatasetFiles.write(dir, written);

        StoredDataset read = DatasetFiles.read(dir);
        MarketplaceDeterminismTest.assertIdentical(
                new Marketplace(read.config()).generate(read.log().size(), read.impressionSeed()),
                written.log());
    }

    @Test
    void aSplitRoundTripsAsThreeDirectories(@TempDir Path root) throws Exception {
        Split split = new Marketplace(SMALL).splits(1_000, 200, 300);
        DatasetFiles.writeSplit(root, SMALL, split);

        Split read = DatasetFiles.readSplit(root);

        MarketplaceDeterminismTest.assertIdentical(read.train(), split.train());
        MarketplaceDeterminismTest.assertIdentical(read.valid(), split.valid());
        MarketplaceDeterminismTest.assertIdentical(read.test(), split.test());
        assertThat(read.testSeed()).isEqualTo(split.testSeed());
        assertThat(Files.readString(root.resolve("test").resolve(DatasetFiles.PARAMETERS_FILE)))
                .contains("\"impressionSeed\": " + split.testSeed())
                .contains("\"seed\": " + SMALL.seed());
    }
}
