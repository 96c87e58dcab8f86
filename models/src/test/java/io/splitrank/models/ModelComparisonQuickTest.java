package io.splitrank.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitrank.models.artifact.ModelArtifact;
import io.splitrank.models.artifact.ModelMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelComparisonQuickTest {

    @TempDir Path dir;

    @Test
    void theQuickComparisonTrainsAllFourSavesReloadableArtifactsAndWritesTheTable()
            throws Exception {
        Path out = dir.resolve("offline-evaluation.md");
        Path artifacts = dir.resolve("artifacts");
        ModelComparison.main(
                new String[] {
                    "--quick",
                    "--train",
                    "4000",
                    "--valid",
                    "1000",
                    "--test",
                    "2000",
                    "--epochs",
                    "1",
                    "--out",
                    out.toString(),
                    "--artifacts",
                    artifacts.toString()
                });
        String table = Files.readString(out);
        for (Architecture architecture : Architecture.values()) {
            assertThat(table).containsPattern("\\| " + architecture.key() + " \\| .* \\| yes \\|");
            ModelMetadata metadata =
                    ModelArtifact.readMetadata(artifacts.resolve(architecture.key()));
            assertThat(metadata.architecture()).isEqualTo(architecture.key());
            assertThat(metadata.offlineMetrics()).containsKeys("ctr", "cvr:purchase", "value");
            assertThat(metadata.offlineMetrics().get("ctr")).containsKeys("auc", "logloss");
        }
        assertThat(table)
                .contains("world seed (marketplace) | 20261122")
                .contains("4,000 / 1,000 / 2,000");
    }
}
