package io.splitrank.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Expected values worked by hand from the formulas in {@link GradientProjection}'s Javadoc. */
class GradientProjectionTest {

    @Test
    void aConflictingGradientIsProjectedOffTheValueGradientThenRescaled() {
        // dot = -1, |v|^2 = 2: g - (-1/2) v = (0.5, 0.5); |g| = 0.7071, ratio = 1.4142 / 0.7071 = 2
        // scale = 0.5 + 0.5 * 2 = 1.5
        GradientProjection.Adjustment a =
                new GradientProjection(0.5, 5).adjust(new float[] {1, 0}, new float[] {-1, 1});
        assertThat(a.projected()).isTrue();
        assertThat(a.cosine()).isCloseTo(-Math.sqrt(0.5), within(1e-9));
        assertThat(a.gradient()).containsExactly(new float[] {0.75f, 0.75f}, within(1e-6f));
    }

    @Test
    void withoutRescalingTheProjectedGradientIsOrthogonalToTheValueGradient() {
        float[] value = {3, -1, 2};
        float[] g =
                new GradientProjection(0, 5).adjust(new float[] {-2, 1, 0.5f}, value).gradient();
        double dot = g[0] * value[0] + g[1] * value[1] + g[2] * value[2];
        assertThat(dot).isCloseTo(0, within(1e-5));
    }

    @Test
    void anAgreeingGradientKeepsItsDirectionAndMovesTowardsTheValueNorm() {
        // cos > 0: no projection; ratio = sqrt(2) / 2, scale = 0.5 + 0.5 * 0.70711 = 0.85355
        GradientProjection.Adjustment a =
                new GradientProjection(0.5, 5).adjust(new float[] {2, 0}, new float[] {1, 1});
        assertThat(a.projected()).isFalse();
        assertThat(a.gradient()).containsExactly(new float[] {1.70711f, 0f}, within(1e-5f));
    }

    @Test
    void theNormRatioIsClipped() {
        // orthogonal (cos = 0, not a conflict); ratio 10 / 0.1 = 100 clipped to 3; gamma 1: scale 3
        float[] g =
                new GradientProjection(1, 3)
                        .adjust(new float[] {0.1f, 0}, new float[] {0, 10})
                        .gradient();
        assertThat(g).containsExactly(new float[] {0.3f, 0f}, within(1e-6f));
    }

    @Test
    void aZeroValueGradientLeavesTheTaskGradientAlone() {
        float[] task = {1, -2};
        GradientProjection.Adjustment a =
                new GradientProjection(0.5, 5).adjust(task, new float[] {0, 0});
        assertThat(a.gradient()).containsExactly(1f, -2f);
        assertThat(a.gradient()).isNotSameAs(task);
    }
}
