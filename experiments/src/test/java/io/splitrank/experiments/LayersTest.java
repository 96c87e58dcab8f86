package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Layers are GrowthBook namespaces: disjoint ranges in one layer exclude each other, layers are
 * independent.
 */
final class LayersTest {

    private static final int UNITS = 100_000;

    private final AssignmentEngine engine = new AssignmentEngine();

    private static Experiment inLayer(String key, String layer, double start, double end) {
        return Experiment.builder(key)
                .arm("control", "baseline", 0.5)
                .arm("treatment", "ektm", 0.5)
                .layer(layer, new LayerRange(start, end))
                .build();
    }

    @Test
    void twoExperimentsWithDisjointRangesInOneLayerNeverShareAUnit() {
        Experiment a = inLayer("a", "ranking", 0.0, 0.4);
        Experiment b = inLayer("b", "ranking", 0.4, 1.0);
        assertThat(a.overlapsInLayer(b)).isFalse();
        int inA = 0;
        int inB = 0;
        for (int i = 0; i < UNITS; i++) {
            Map<String, String> unit = Map.of("userId", "user-" + i);
            boolean isInA = engine.assign(a, unit).inExperiment();
            boolean isInB = engine.assign(b, unit).inExperiment();
            assertThat(isInA && isInB).as("unit %d in both", i).isFalse();
            assertThat(isInA || isInB)
                    .as("unit %d in neither although the layer is full", i)
                    .isTrue();
            inA += isInA ? 1 : 0;
            inB += isInB ? 1 : 0;
        }
        assertThat(inA / (double) UNITS).isBetween(0.38, 0.42);
        assertThat(inB / (double) UNITS).isBetween(0.58, 0.62);
    }

    @Test
    void experimentsInDifferentLayersOverlapIndependently() {
        Experiment a = inLayer("a", "ranking", 0.0, 0.5);
        Experiment b = inLayer("b", "bidding", 0.0, 0.3);
        assertThat(a.overlapsInLayer(b)).isFalse();
        int both = 0;
        int inA = 0;
        int inB = 0;
        for (int i = 0; i < UNITS; i++) {
            Map<String, String> unit = Map.of("userId", "user-" + i);
            boolean isInA = engine.assign(a, unit).inExperiment();
            boolean isInB = engine.assign(b, unit).inExperiment();
            inA += isInA ? 1 : 0;
            inB += isInB ? 1 : 0;
            both += isInA && isInB ? 1 : 0;
        }
        double expected = (inA / (double) UNITS) * (inB / (double) UNITS);
        // independence: the joint share is the product of the marginals (sd ~ 0.0013 here; allow ~4
        // sd)
        assertThat(both / (double) UNITS)
                .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.006));
    }

    @Test
    void armsWithinALayerSliceAreStillBalanced() {
        Experiment a = inLayer("a", "ranking", 0.2, 0.7);
        int treatment = 0;
        int admitted = 0;
        for (int i = 0; i < UNITS; i++) {
            Assignment assignment = engine.assign(a, Map.of("userId", "user-" + i));
            if (assignment.inExperiment()) {
                admitted++;
                treatment += assignment.armIndex();
            }
        }
        assertThat(treatment / (double) admitted).isBetween(0.48, 0.52);
    }

    @Test
    void overlappingRangesInTheSameLayerAreDetected() {
        assertThat(
                        inLayer("a", "ranking", 0.0, 0.5)
                                .overlapsInLayer(inLayer("b", "ranking", 0.4, 1.0)))
                .isTrue();
        assertThat(
                        inLayer("a", "ranking", 0.0, 0.5)
                                .overlapsInLayer(inLayer("b", "ranking", 0.5, 1.0)))
                .isFalse();
        assertThat(
                        inLayer("a", "ranking", 0.2, 0.3)
                                .overlapsInLayer(inLayer("b", "ranking", 0.0, 1.0)))
                .isTrue();
        assertThat(
                        inLayer("a", "ranking", 0.0, 0.5)
                                .overlapsInLayer(inLayer("b", "bidding", 0.0, 0.5)))
                .isFalse();
        Experiment noLayer =
                Experiment.builder("c")
                        .arm("control", "baseline", 0.5)
                        .arm("t", "ektm", 0.5)
                        .build();
        assertThat(noLayer.overlapsInLayer(noLayer)).isFalse();
        assertThat(inLayer("a", "ranking", 0.0, 0.5).overlapsInLayer(noLayer)).isFalse();
    }
}
