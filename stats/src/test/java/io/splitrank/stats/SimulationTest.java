package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations, small enough for CI (about a second each): peeking at an A/A test and the
 * coverage of intervals around a known lift.
 */
class SimulationTest {

    private static final double ALPHA = 0.05;

    /** Running sums of one arm, fed unit by unit. */
    private static final class Arm {
        long n;
        double sum;
        double sumSquares;

        void add(double y) {
            n++;
            sum += y;
            sumSquares += y * y;
        }

        ArmInput input(String key) {
            return new ArmInput(key, 1, new MeanStatistic(n, sum, sumSquares));
        }
    }

    @Test
    void peekingAfterEveryBatchInflatesTheFixedHorizonTestButNotTheSequentialOne() {
        int experiments = 400;
        int peeks = 20;
        int batchPerArm = 200;
        ExperimentAnalysis analysis =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(ALPHA)
                        .withDifferenceType(DifferenceType.ABSOLUTE)
                        .withSequentialTuning(5000);
        SplittableRandom random = new SplittableRandom(2026_11_22L);
        int fixedFalsePositives = 0;
        int sequentialFalsePositives = 0;
        for (int e = 0; e < experiments; e++) {
            Arm a = new Arm();
            Arm b = new Arm();
            boolean fixedRejected = false;
            boolean sequentialRejected = false;
            for (int peek = 0; peek < peeks; peek++) {
                for (int i = 0; i < batchPerArm; i++) {
                    a.add(skewed(random));
                    b.add(skewed(random));
                }
                Comparison c =
                        analysis.analyze(MetricType.MEAN, List.of(a.input("a"), b.input("b")))
                                .arms()
                                .get(1)
                                .comparison();
                fixedRejected |= c.fixedHorizon().pValue() < ALPHA;
                sequentialRejected |= c.sequential().pValue() < ALPHA;
            }
            fixedFalsePositives += fixedRejected ? 1 : 0;
            sequentialFalsePositives += sequentialRejected ? 1 : 0;
        }
        double fixedRate = (double) fixedFalsePositives / experiments;
        double sequentialRate = (double) sequentialFalsePositives / experiments;

        // 20 looks at a fixed-horizon test reject a true null about 4–5 times as often as α; 400
        // experiments put the standard error of a rate of 0.2 at 0.02, so 0.10 is far below it
        assertThat(fixedRate)
                .as("fixed-horizon false-positive rate when peeking")
                .isGreaterThan(0.10);
        assertThat(sequentialRate)
                .as("sequential false-positive rate when peeking")
                .isLessThanOrEqualTo(ALPHA);
    }

    @Test
    void ninetyFivePercentIntervalsCoverAKnownLiftNinetyFivePercentOfTheTime() {
        int experiments = 1500;
        int unitsPerArm = 400;
        double controlMean = 10.0;
        double treatmentMean = 10.6;
        ExperimentAnalysis absolute =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(ALPHA)
                        .withDifferenceType(DifferenceType.ABSOLUTE);
        ExperimentAnalysis relative = absolute.withDifferenceType(DifferenceType.RELATIVE);
        SplittableRandom random = new SplittableRandom(42);
        int absoluteCovered = 0;
        int relativeCovered = 0;
        int bayesianCovered = 0;
        int sequentialCovered = 0;
        for (int e = 0; e < experiments; e++) {
            Arm a = new Arm();
            Arm b = new Arm();
            for (int i = 0; i < unitsPerArm; i++) {
                a.add(controlMean + 4 * random.nextGaussian());
                b.add(treatmentMean + 4 * random.nextGaussian());
            }
            List<ArmInput> arms = List.of(a.input("a"), b.input("b"));
            Comparison abs = absolute.analyze(MetricType.MEAN, arms).arms().get(1).comparison();
            Comparison rel = relative.analyze(MetricType.MEAN, arms).arms().get(1).comparison();
            absoluteCovered += covers(abs.fixedHorizon().ci(), treatmentMean - controlMean);
            bayesianCovered += covers(abs.bayesian().ci(), treatmentMean - controlMean);
            sequentialCovered += covers(abs.sequential().ci(), treatmentMean - controlMean);
            relativeCovered += covers(rel.fixedHorizon().ci(), treatmentMean / controlMean - 1);
        }
        // binomial standard error of a 95% rate over 1500 experiments is 0.0056; allow 3 of them
        double slack = 3 * Math.sqrt(0.95 * 0.05 / experiments);
        assertThat((double) absoluteCovered / experiments).isBetween(0.95 - slack, 0.95 + slack);
        assertThat((double) relativeCovered / experiments).isBetween(0.95 - slack, 0.95 + slack);
        assertThat((double) bayesianCovered / experiments).isBetween(0.95 - slack, 0.95 + slack);
        assertThat((double) sequentialCovered / experiments).isGreaterThanOrEqualTo(0.95 - slack);
    }

    @Test
    void deltaMethodIntervalsOfARatioMetricCoverAKnownRelativeLift() {
        int experiments = 1000;
        int unitsPerArm = 500;
        double controlCtr = 0.10;
        double treatmentCtr = 0.12;
        ExperimentAnalysis relative = ExperimentAnalysis.withDefaults().withAlpha(ALPHA);
        SplittableRandom random = new SplittableRandom(7);
        int covered = 0;
        for (int e = 0; e < experiments; e++) {
            List<ArmInput> arms =
                    List.of(
                            new ArmInput(
                                    "a", 1, clicksOverImpressions(unitsPerArm, controlCtr, random)),
                            new ArmInput(
                                    "b",
                                    1,
                                    clicksOverImpressions(unitsPerArm, treatmentCtr, random)));
            Comparison c = relative.analyze(MetricType.RATIO, arms).arms().get(1).comparison();
            covered += covers(c.fixedHorizon().ci(), treatmentCtr / controlCtr - 1);
        }
        double slack = 3 * Math.sqrt(0.95 * 0.05 / experiments);
        assertThat((double) covered / experiments).isBetween(0.95 - slack, 0.95 + slack);
    }

    /** Units with 1–9 impressions (heavier users click-through at the same rate). */
    private static RatioStatistic clicksOverImpressions(
            int units, double ctr, SplittableRandom random) {
        double m = 0;
        double mm = 0;
        double d = 0;
        double dd = 0;
        double md = 0;
        for (int u = 0; u < units; u++) {
            int impressions = 1 + random.nextInt(9);
            int clicks = 0;
            for (int i = 0; i < impressions; i++) {
                clicks += random.nextDouble() < ctr ? 1 : 0;
            }
            m += clicks;
            mm += clicks * clicks;
            d += impressions;
            dd += impressions * impressions;
            md += clicks * impressions;
        }
        return new RatioStatistic(units, m, mm, d, dd, md);
    }

    /** A right-skewed per-unit value (like revenue): exponential with mean 5. */
    private static double skewed(SplittableRandom random) {
        return -5 * Math.log(1 - random.nextDouble());
    }

    private static int covers(List<Double> ci, double value) {
        return ci.get(0) <= value && value <= ci.get(1) ? 1 : 0;
    }
}
