package io.splitrank.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Cases whose values follow from the definitions (worked by hand in each test). */
final class MetricsBehaviourTest {

    private static final float[] LABELS = {0, 0, 1, 1};

    @Test
    void aucIsOneForAPerfectRankingZeroForAReversedOneAndHalfForAllTies() {
        assertThat(Auc.of(LABELS, new float[] {0.1f, 0.2f, 0.3f, 0.4f}).value()).isEqualTo(1.0);
        assertThat(Auc.of(LABELS, new float[] {0.4f, 0.3f, 0.2f, 0.1f}).value()).isEqualTo(0.0);
        assertThat(Auc.of(LABELS, new float[] {0.5f, 0.5f, 0.5f, 0.5f}).value()).isEqualTo(0.5);
    }

    @Test
    void aucCountsATieBetweenClassesAsOneHalf() {
        // pairs (pos, neg): (0.3>0.1) 1, (0.3>0.3) 1/2, (0.9>0.1) 1, (0.9>0.3) 1 → 3.5 / 4
        float[] scores = {0.1f, 0.3f, 0.3f, 0.9f};
        assertThat(Auc.of(LABELS, scores).value()).isEqualTo(0.875);
    }

    @Test
    void aucIsInvariantToAMonotoneTransformAndHandlesNegativeScores() {
        float[] scores = {-2f, 0.5f, -0.0f, 3f};
        float[] shifted = {-20f, 5f, 0f, 30f};
        assertThat(Auc.of(LABELS, scores).value())
                .isEqualTo(Auc.of(LABELS, shifted).value())
                .isEqualTo(0.75);
    }

    @Test
    void aucIsUndefinedWithOneClassAndRejectsNonBinaryLabels() {
        assertThat(Auc.of(new float[] {1, 1}, new float[] {0.2f, 0.3f}).value()).isNaN();
        assertThatThrownBy(() -> Auc.of(new float[] {0.5f}, new float[] {0.2f}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gaucSkipsUsersWithOneClassAndWeightsByImpressions() {
        // user 1: 3 impressions, AUC 1; user 2: 2 impressions, AUC 0; user 3: one class only
        float[] labels = {0, 1, 0, 1, 0, 1, 1};
        float[] scores = {0.1f, 0.9f, 0.2f, 0.1f, 0.9f, 0.5f, 0.6f};
        int[] users = {1, 1, 1, 2, 2, 3, 3};
        Gauc.Result gauc = Gauc.of(labels, scores, users);
        assertThat(gauc.value()).isCloseTo(3.0 / 5.0, within(1e-15));
        assertThat(gauc.users()).isEqualTo(2);
        assertThat(gauc.impressions()).isEqualTo(5);
    }

    @Test
    void logLossOfAConstantHalfIsLnTwoAndClippingKeepsItFinite() {
        assertThat(LogLoss.of(LABELS, new float[] {0.5f, 0.5f, 0.5f, 0.5f}).value())
                .isCloseTo(Math.log(2), within(1e-15));
        assertThat(LogLoss.withEpsilon(1e-3).compute(new float[] {1}, new float[] {0}).value())
                .isCloseTo(-Math.log(1e-3), within(1e-12));
    }

    @Test
    void nrmseIsRmseOverTheMeanActual() {
        // errors 1 and -1 → RMSE 1; mean actual 2
        Nrmse.Result r = Nrmse.of(new float[] {1, 3}, new float[] {2, 2});
        assertThat(r.rmse()).isEqualTo(1.0);
        assertThat(r.meanActual()).isEqualTo(2.0);
        assertThat(r.value()).isEqualTo(0.5);
    }
}
