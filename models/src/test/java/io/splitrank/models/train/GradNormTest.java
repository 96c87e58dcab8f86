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

    /**
     * AEM2TL's situation in a default run, reduced to numbers: three rare-event BCE terms (CTR,
     * CTCVR, related) that fall steeply in the first steps just by learning their base rates, and a
     * value MSE that is 0, with a 0 gradient, in the six batches in seven without a priced
     * conversion (the first batch included). With L_i(0) taken at the first batch and the zeros
     * counted as observations, the three classification weights went to the floor and the value
     * term took all the weight ("ctr 0.00, ctcvr 0.00, related 0.00, value 2.00").
     */
    @Test
    void sparseAndRareEventTermsDoNotCollapseTheWeights() {
        GradNorm gradNorm = new GradNorm(4, 1.0, 0.01, 0.95, 100, 0.2); // as Architecture.AEM2TL
        java.util.Random random = new java.util.Random(3);
        double[] start = {0.7, 0.34, 0.33, 0};
        double[] floor = {0.17, 0.009, 0.06, 0};
        double[] unweightedNorm = {0.006, 0.004, 0.006, 0.05};
        float[] w = gradNorm.weights();
        for (int step = 0; step < 2_000; step++) {
            double decay = Math.exp(-step / 15.0);
            boolean priced = step % 7 == 6;
            double[] losses = new double[4];
            double[] norms = new double[4];
            for (int i = 0; i < 3; i++) {
                losses[i] =
                        (floor[i] + (start[i] - floor[i]) * decay)
                                * (0.9 + 0.2 * random.nextDouble());
                norms[i] = w[i] * unweightedNorm[i] * (0.8 + 0.4 * random.nextDouble());
            }
            losses[3] = priced ? 0.5 + random.nextDouble() : 0;
            norms[3] = priced ? w[3] * unweightedNorm[3] * (0.5 + random.nextDouble()) : 0;
            w = gradNorm.update(losses, norms);
            assertThat(w[0] + w[1] + w[2] + w[3]).isCloseTo(4f, within(1e-4f));
            for (float x : w) {
                assertThat(x).isGreaterThanOrEqualTo(0.2f - 1e-5f);
            }
        }
        // the classification terms train at the same relative rate after the warm-up and have
        // similar gradient norms: none is starved
        for (int i = 0; i < 3; i++) {
            assertThat(w[i])
                    .as("weight %d of %s", i, java.util.Arrays.toString(w))
                    .isBetween(0.6f, 2.0f);
        }
    }

    @Test
    void theProjectionKeepsEveryWeightAtTheFloorOrAboveAndTheSumAtTheTaskCount() {
        double[] w = {1e-6, 1e-6, 1e-6, 3.0};
        GradNorm.project(w, 0.2);
        assertThat(w)
                .containsExactly(
                        new double[] {0.2, 0.2, 0.2, 3.4},
                        org.assertj.core.api.Assertions.within(1e-9));
        double[] even = {2, 2, 2, 2};
        GradNorm.project(even, 0.2);
        assertThat(even)
                .containsExactly(
                        new double[] {1, 1, 1, 1}, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void weightsStayAtOneDuringTheWarmUp() {
        GradNorm gradNorm = new GradNorm(2, 1.0, 0.1, 0.0, 5, 0.2);
        for (int i = 0; i < 5; i++) {
            assertThat(gradNorm.update(new double[] {1, 0.1}, new double[] {5, 0.01}))
                    .containsExactly(1f, 1f);
        }
        assertThat(gradNorm.update(new double[] {1, 0.1}, new double[] {5, 0.01})[0])
                .isLessThan(1f);
    }
}
