package io.splitrank.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The two promises that make results trustworthy: ramping never moves a unit, a new phase
 * reshuffles.
 */
final class RampingAndPhasesTest {

    private static final int UNITS = 100_000;

    private final AssignmentEngine engine = new AssignmentEngine();

    private static Experiment.Builder threeArms() {
        return Experiment.builder("ranker-ektm")
                .arm("control", "baseline", 0.5)
                .arm("ektm", "ektm", 0.3)
                .arm("htlnet", "htlnet", 0.2);
    }

    @Test
    void rampingCoverageNeverMovesAUnitBetweenArms() {
        int[] arms = new int[UNITS];
        java.util.Arrays.fill(arms, -1);
        for (double coverage : new double[] {0.05, 0.2, 0.5, 1.0}) {
            Experiment experiment = threeArms().coverage(coverage).build();
            int inExperiment = 0;
            for (int i = 0; i < UNITS; i++) {
                Assignment a = engine.assign(experiment, Map.of("userId", "user-" + i));
                if (arms[i] >= 0) {
                    assertThat(a.armIndex())
                            .as("unit %d at coverage %s", i, coverage)
                            .isEqualTo(arms[i]);
                }
                if (a.inExperiment()) {
                    arms[i] = a.armIndex();
                    inExperiment++;
                }
            }
            // the share admitted tracks the coverage (binomial sd <= 160 units; allow ~4 sd)
            assertThat(inExperiment)
                    .isCloseTo((int) (coverage * UNITS), org.assertj.core.data.Offset.offset(700));
        }
        assertThat(arms).doesNotContain(-1);
    }

    @Test
    void rampingCoverageDownAndUpAgainRestoresTheSameArms() {
        Experiment full = threeArms().build();
        Experiment ramped = full.withCoverage(0.1);
        for (int i = 0; i < 20_000; i++) {
            Map<String, String> unit = Map.of("userId", "user-" + i);
            Assignment small = engine.assign(ramped, unit);
            if (small.inExperiment()) {
                assertThat(engine.assign(full, unit).armIndex()).isEqualTo(small.armIndex());
            }
        }
        assertThat(PhaseChange.requiresNewPhase(full, ramped)).isFalse();
    }

    @Test
    void changingWeightsStartsANewPhaseWithANewSeedThatReshufflesUnits() {
        Experiment before = threeArms().build();
        Experiment edited =
                before.toBuilder()
                        .arms(
                                List.of(
                                        new Arm("control", "control", "baseline", 0.4),
                                        new Arm("ektm", "ektm", "ektm", 0.4),
                                        new Arm("htlnet", "htlnet", "htlnet", 0.2)))
                        .build();

        Experiment after = PhaseChange.applyEdit(before, edited);

        assertThat(after.phase()).isEqualTo(2);
        assertThat(after.phaseSeed()).isEqualTo("ranker-ektm:2").isNotEqualTo(before.phaseSeed());
        int moved = 0;
        int changedBucket = 0;
        for (int i = 0; i < 20_000; i++) {
            Map<String, String> unit = Map.of("userId", "user-" + i);
            Assignment old = engine.assign(before, unit);
            Assignment now = engine.assign(after, unit);
            moved += old.armIndex() != now.armIndex() ? 1 : 0;
            changedBucket += !old.bucket().equals(now.bucket()) ? 1 : 0;
        }
        // independent rehash: P(same arm) = .5*.4 + .3*.4 + .2*.2 = .36, so about 64% move
        assertThat(moved / 20_000.0).isBetween(0.60, 0.68);
        assertThat(changedBucket / 20_000.0).isGreaterThan(0.99);
    }

    @Test
    void theSameEditWithoutANewPhaseWouldOnlyShiftBoundaryUnits() {
        // why the phase matters: without a new seed, only units near the moved boundaries change
        // arm,
        // and they would carry their exposure history from the old arm into the new one
        Experiment before = threeArms().build();
        Experiment sameSeed =
                before.toBuilder()
                        .arms(
                                List.of(
                                        new Arm("control", "control", "baseline", 0.4),
                                        new Arm("ektm", "ektm", "ektm", 0.4),
                                        new Arm("htlnet", "htlnet", "htlnet", 0.2)))
                        .build();
        int moved = 0;
        for (int i = 0; i < 20_000; i++) {
            Map<String, String> unit = Map.of("userId", "user-" + i);
            moved +=
                    engine.assign(before, unit).armIndex()
                                    != engine.assign(sameSeed, unit).armIndex()
                            ? 1
                            : 0;
        }
        assertThat(moved / 20_000.0).isBetween(0.08, 0.12);
    }

    @Test
    void allocationFreeArmChoiceAgreesWithGrowthBookBucketRanges() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 5_000; trial++) {
            int armCount = 2 + random.nextInt(4);
            double[] raw = new double[armCount];
            double sum = 0;
            for (int i = 0; i < armCount; i++) {
                raw[i] = 0.05 + random.nextDouble();
                sum += raw[i];
            }
            Experiment.Builder builder =
                    Experiment.builder("e" + trial).coverage(random.nextDouble());
            double total = 0;
            for (int i = 0; i < armCount; i++) {
                double w = i == armCount - 1 ? 1 - total : Math.round(raw[i] / sum * 1000) / 1000.0;
                total += w;
                builder.arm("a" + i, "m", Math.max(0, w));
            }
            Experiment experiment = builder.build();
            double n = random.nextInt(10_000) / 10_000.0;
            assertThat(BucketRanges.chooseArm(n, experiment.arms(), experiment.coverage()))
                    .isEqualTo(BucketRanges.chooseVariation(n, experiment.bucketRanges()));
        }
    }
}
