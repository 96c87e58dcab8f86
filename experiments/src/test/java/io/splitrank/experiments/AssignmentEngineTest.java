package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's decision order and its agreement with GrowthBook's primitives (reference vectors
 * elsewhere).
 */
final class AssignmentEngineTest {

    private final AssignmentEngine engine = new AssignmentEngine();

    private static Experiment.Builder threeArms() {
        return Experiment.builder("ranker-ektm")
                .arm("control", "baseline", 0.34)
                .arm("ektm", "ektm", 0.33)
                .arm("htlnet", "htlnet", 0.33);
    }

    @Test
    void assignedArmIsChooseVariationOfTheGrowthBookHashOfThePhaseSeed() {
        for (int phase = 1; phase <= 3; phase++) {
            for (int version = 1; version <= 2; version++) {
                Experiment experiment =
                        threeArms().phase(phase).hashVersion(version).coverage(0.8).build();
                for (int i = 0; i < 2_000; i++) {
                    String id = "user-" + i;
                    double n =
                            GrowthBookHash.hash(experiment.phaseSeed(), id, version).orElseThrow();
                    int expectedArm = BucketRanges.chooseVariation(n, experiment.bucketRanges());
                    Assignment a = engine.assign(experiment, Map.of("userId", id));
                    assertThat(a.bucket()).isEqualTo(n);
                    assertThat(a.armIndex()).isEqualTo(expectedArm);
                    assertThat(a.inExperiment()).isEqualTo(expectedArm >= 0);
                    assertThat(a.reason())
                            .isEqualTo(
                                    expectedArm >= 0
                                            ? AssignmentReason.ASSIGNED
                                            : AssignmentReason.NOT_COVERED);
                    assertThat(a.phase()).isEqualTo(phase);
                }
            }
        }
    }

    @Test
    void assignedUnitCarriesTheArmKeyAndModel() {
        Assignment a = engine.assign(threeArms().build(), Map.of("userId", "u1"));
        Arm arm = threeArms().build().arms().get(a.armIndex());
        assertThat(a.experimentKey()).isEqualTo("ranker-ektm");
        assertThat(a.armKey()).isEqualTo(arm.key());
        assertThat(a.model()).isEqualTo(arm.model());
    }

    @Test
    void unitWithoutUsableHashAttributeIsNotInTheExperimentAndHasNoBucket() {
        Experiment experiment = threeArms().build();
        Map<String, Object> nullId = new HashMap<>();
        nullId.put("userId", null);
        for (Map<String, ?> attributes :
                List.<Map<String, ?>>of(
                        Map.of(),
                        Map.of("userId", ""),
                        Map.of("userId", 0),
                        Map.of("userId", List.of("a")),
                        Map.of("deviceId", "d1"),
                        nullId)) {
            Assignment a = engine.assign(experiment, attributes);
            assertThat(a.reason()).isEqualTo(AssignmentReason.NO_HASH_ATTRIBUTE);
            assertThat(a.inExperiment()).isFalse();
            assertThat(a.armIndex()).isEqualTo(-1);
            assertThat(a.armKey()).isNull();
            assertThat(a.bucket()).isNull();
        }
    }

    @Test
    void numericUnitIdsHashLikeTheirJavaScriptString() {
        Experiment experiment = threeArms().build();
        assertThat(engine.assign(experiment, Map.of("userId", 12345)))
                .isEqualTo(engine.assign(experiment, Map.of("userId", "12345")));
        assertThat(engine.assign(experiment, Map.of("userId", 12345L)))
                .isEqualTo(engine.assign(experiment, Map.of("userId", "12345")));
        assertThat(engine.assign(experiment, Map.of("userId", 1.5)))
                .isEqualTo(engine.assign(experiment, Map.of("userId", "1.5")));
    }

    @Test
    void customHashAttributeIsUsed() {
        Experiment experiment = threeArms().hashAttribute("deviceId").build();
        Assignment a = engine.assign(experiment, Map.of("userId", "u1", "deviceId", "d-9"));
        assertThat(a.bucket()).isEqualTo(GrowthBookHash.hashV2("ranker-ektm", "d-9"));
    }

    @Test
    void targetingConditionExcludesNonMatchingUnits() {
        Experiment experiment =
                threeArms()
                        .condition(Map.of("country", Map.of("$in", List.of("US", "CA"))))
                        .build();
        assertThat(engine.assign(experiment, Map.of("userId", "u1", "country", "FR")).reason())
                .isEqualTo(AssignmentReason.CONDITION_FAILED);
        assertThat(engine.assign(experiment, Map.of("userId", "u1", "country", "US")).reason())
                .isEqualTo(AssignmentReason.ASSIGNED);
    }

    @Test
    void layerIsCheckedBeforeTheCondition() {
        Experiment experiment =
                threeArms()
                        .layer("ranking", new LayerRange(0, 0.001))
                        .condition(Map.of("country", "US"))
                        .build();
        int notInLayer = 0;
        for (int i = 0; i < 500; i++) {
            Assignment a = engine.assign(experiment, Map.of("userId", "u" + i, "country", "FR"));
            assertThat(a.reason())
                    .isIn(AssignmentReason.NOT_IN_LAYER, AssignmentReason.CONDITION_FAILED);
            notInLayer += a.reason() == AssignmentReason.NOT_IN_LAYER ? 1 : 0;
        }
        assertThat(notInLayer).isGreaterThan(450);
    }

    @Test
    void zeroCoverageAdmitsNobody() {
        Experiment experiment = threeArms().coverage(0).build();
        for (int i = 0; i < 1_000; i++) {
            assertThat(engine.assign(experiment, Map.of("userId", "u" + i)).reason())
                    .isEqualTo(AssignmentReason.NOT_COVERED);
        }
    }

    @Test
    void armSharesFollowTheWeights() {
        Experiment experiment =
                Experiment.builder("split")
                        .arm("control", "baseline", 0.2)
                        .arm("treatment", "ektm", 0.8)
                        .build();
        int treatment = 0;
        int units = 50_000;
        for (int i = 0; i < units; i++) {
            treatment += engine.assign(experiment, Map.of("userId", "unit-" + i)).armIndex();
        }
        // binomial sd = sqrt(50000 * 0.8 * 0.2) ~ 89; allow 5 sd
        assertThat(treatment).isBetween(40_000 - 450, 40_000 + 450);
    }
}
