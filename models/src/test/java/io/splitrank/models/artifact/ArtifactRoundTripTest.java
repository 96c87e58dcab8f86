package io.splitrank.models.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import io.splitrank.models.Architecture;
import io.splitrank.models.PlantedLogs;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.nn.MultiTaskBlock;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.train.ImpressionBatches;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArtifactRoundTripTest {

    @TempDir Path root;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSavedModelLoadsBackAndPredictsTheSameNumbersToAFloatStep(Architecture architecture)
            throws Exception {
        NetworkDimensions dims = new NetworkDimensions(4, 2, 8, 4, 4);
        ImpressionLog log = PlantedLogs.planted(50, 9);
        Map<String, Map<String, Double>> metrics =
                Map.of(
                        "ctr",
                        Map.of("auc", 0.71, "logloss", 0.2),
                        "cvr:purchase",
                        Map.of("auc", 0.6),
                        "value",
                        Map.of("nrmse", 0.9));
        ModelMetadata metadata =
                new ModelMetadata(
                        architecture.key(),
                        architecture.key(),
                        3,
                        PlantedLogs.SPEC,
                        dims,
                        42L,
                        50,
                        0.25,
                        0,
                        "2026-11-22T00:00:00Z",
                        metrics);
        RankingModel.Scores before;
        Path dir;
        try (Model model = Model.newInstance(architecture.key(), "PyTorch")) {
            MultiTaskBlock block = architecture.newBlock(PlantedLogs.SPEC, dims);
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(),
                    DataType.FLOAT32,
                    ImpressionBatches.inputShapes(PlantedLogs.SPEC));
            RankingModel trained = RankingModel.of(model, metadata);
            before = predict(trained, log);
            ModelArtifact.save(root, model, metadata);
            dir = ModelArtifact.save(root, model, metadata); // saving again replaces, not adds
        }
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            architecture.key() + "-0000.params", "metadata.json");
        }
        try (RankingModel loaded = RankingModel.load(dir)) {
            RankingModel.Scores after = predict(loaded, log);
            // the same numbers up to a float ulp: PyTorch's CPU kernels can round the same values
            // differently in differently allocated tensors (seen intermittently for EKTM, 6e-8 on a
            // probability); a wiring or save/load error moves them by orders of magnitude more
            assertThat(after.pCtr()).containsExactly(before.pCtr(), within(1e-6f));
            assertThat(after.pCvr()).containsExactly(before.pCvr(), within(1e-6f));
            assertThat(after.expectedValue())
                    .containsExactly(before.expectedValue(), within(1e-3f));
            assertThat(loaded.metadata()).isEqualTo(metadata);
            assertThat(loaded.metadata().offlineMetrics().get("ctr")).containsEntry("auc", 0.71);
        }
    }

    private static RankingModel.Scores predict(RankingModel model, ImpressionLog log) {
        return model.predict(log.categorical(), log.dense(), log.scenario(), log.conversionType());
    }
}
