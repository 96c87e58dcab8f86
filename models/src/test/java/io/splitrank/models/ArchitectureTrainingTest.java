package io.splitrank.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import io.splitrank.models.data.ImpressionLog;
import io.splitrank.models.nn.NetworkDimensions;
import io.splitrank.models.train.RankingTrainer;
import io.splitrank.models.train.TrainingReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ArchitectureTrainingTest {

    static final NetworkDimensions TINY = new NetworkDimensions(4, 2, 16, 8, 8);

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aFewEpochsLowerTheValidationLoss(Architecture architecture) {
        ImpressionLog train = PlantedLogs.planted(2000, 1);
        ImpressionLog validation = PlantedLogs.planted(800, 2);
        RankingTrainer trainer =
                RankingTrainer.builder()
                        .optEpochs(3)
                        .optBatchSize(128)
                        .optLearningRate(5e-3f)
                        .optLogEvery(0)
                        .optSeed(11)
                        .build();
        try (Model model = Model.newInstance(architecture.key(), "PyTorch")) {
            model.setBlock(architecture.newBlock(PlantedLogs.SPEC, TINY));
            TrainingReport report =
                    trainer.fit(
                            architecture.key(),
                            model,
                            architecture.newLoss(),
                            architecture.newGradientPolicy(),
                            train,
                            validation);
            assertThat(report.bestValidationLoss())
                    .isLessThan(report.initialValidationLoss() * 0.9);
            assertThat(report.steps()).isEqualTo(3L * 16);
            assertThat(report.samples()).isEqualTo(3L * 2000);
            assertThat(report.stopReason()).isEqualTo(TrainingReport.StopReason.BUDGET);
            assertThat(report.skippedSteps()).isZero();
        }
    }
}
