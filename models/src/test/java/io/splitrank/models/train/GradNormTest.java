package io.splitrank.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradNormTest {

    @Test
    void theTaskWithTheLargerGradientLosesWeightAndWeightsKeepSummingToTheTaskCount() {
        GradNorm gradNorm = new GradNorm(2, 1.0, 0.1, 0.0);
        // equal training rates: both targets are the mean norm 1.5; step = 0.1 * (norm / 1.5) / 1
        float[] w = gradNorm.update(new double[] {1, 1}, new double[] {2, 1});
        assertThat(w[0]).isLessThan(1f);
        assertThat(w[1]).isGreaterThan(1f);
        assertThat(w[0] + w[1]).isCloseTo(2f, within(1e-6f));
        // before renormalising: 1 - 0.1 * 4/3 = 0.86667 and 1 + 0.1 * 2/3 = 1.06667
        assertThat(w[0]).isCloseTo((float) (2 * 0.866667 / 1.933333), within(1e-5f));
    }

    @Test
    void aTaskThatTrainsSlowerGetsAHigherTargetAndMoreWeight() {
        GradNorm gradNorm = new GradNorm(2, 1.5, 0.05, 0.0);
        gradNorm.update(new double[] {1, 1}, new double[] {1, 1});
        // task 0 halved its loss, task 1 did not: r = (0.667, 1.333); with equal norms task 1 is
        // below target
        float[] w = gradNorm.update(new double[] {0.5, 1.0}, new double[] {1, 1});
        assertThat(w[1]).isGreaterThan(w[0]);
    }
}
