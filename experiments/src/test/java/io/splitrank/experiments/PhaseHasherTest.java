package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PhaseHasherTest {

    private static Experiment experiment(int version, int phase) {
        return Experiment.builder("hasher")
                .seed("seed-\u00e9")
                .hashVersion(version)
                .arm("control", "baseline", 0.5)
                .arm("ektm", "ektm", 0.5)
                .phase(phase)
                .build();
    }

    @Test
    void precomputedSeedStateGivesGrowthBooksHashOfThePhaseSeed() {
        for (int version : new int[] {1, 2}) {
            for (int phase : new int[] {1, 2, 13}) {
                Experiment e = experiment(version, phase);
                PhaseHasher hasher = PhaseHasher.of(e);
                for (int i = 0; i < 2000; i++) {
                    String unit = (i % 3 == 0 ? "\u7528\u6237-" : "u-") + i;
                    assertThat(hasher.bucket(unit))
                            .as("v%d phase %d unit %s", version, phase, unit)
                            .isEqualTo(
                                    GrowthBookHash.hash(e.phaseSeed(), unit, version)
                                            .getAsDouble());
                }
            }
        }
    }

    @Test
    void preparedAndPlainAssignmentAgree() {
        AssignmentEngine engine = new AssignmentEngine();
        Experiment e = experiment(2, 3).toBuilder().coverage(0.7).build();
        PhaseHasher hasher = PhaseHasher.of(e);
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> attributes = Map.of("userId", "unit-" + i);
            assertThat(engine.assign(hasher, attributes, Map.of()))
                    .isEqualTo(engine.assign(e, attributes));
        }
    }
}
