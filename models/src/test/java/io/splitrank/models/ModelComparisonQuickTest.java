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
    void theQuickComparisonTrainsAllFourOverSeveralSeedsWithoutNonFiniteStepsAndWritesTheTable()
            throws Exception {
        Path out = dir.resolve("offline-evaluation.md");
        Path artifacts = dir.resolve("artifacts");
        ModelComparison.main(
                new String[] {
                    "--quick",
                    "--seeds",
                    "3",
                    "--samples",
                    "3000",
                    "--chunk",
                    "2000",
                    "--valid",
                    "1000",
                    "--test",
                    "3000",
                    "--min-conversions",
                    "5",
                    "--out",
                    out.toString(),
                    "--artifacts",
                    artifacts.toString()
                });
        String table = Files.readString(out);
        for (Architecture architecture : Architecture.values()) {
            // three seeds trained to the budget without a skipped (non-finite) step; the seed-0
            // artifact was saved and reloaded (bit-identical or not: an ulp can differ, see
            // ArtifactRoundTripTest, which checks the reload to a tolerance)
            assertThat(table)
                    .containsPattern(
                            "\\| "
                                    + architecture.key()
                                    + " \\| [^\\n]*\\| budget \\| 0 / \\d+ \\|[^\\n]*\\| (yes|\\*\\*no\\*\\*) \\|");
            ModelMetadata metadata =
                    ModelArtifact.readMetadata(artifacts.resolve(architecture.key()));
            assertThat(metadata.architecture()).isEqualTo(architecture.key());
            assertThat(metadata.offlineMetrics()).containsKeys("ctr", "cvr:purchase", "value");
            assertThat(metadata.offlineMetrics().get("ctr")).containsKeys("auc", "logloss");
        }
        String signal =
                table.substring(table.indexOf("## Captured signal"), table.indexOf("## AUC"));
        assertThat(signal).contains("| ceiling AUC |").doesNotContain("NaN").doesNotContain("n/a");
        assertThat(table)
                .contains("world seed (marketplace) | 20261122")
                .contains("training seeds per model | 3")
                .contains("3,000 fresh impressions")
                .contains("Difference from the baseline");
    }
}
