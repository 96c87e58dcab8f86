package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of interleaving experiments, small enough for CI: peeking at an A/A
 * comparison, and the coverage of the preference's intervals around a known preference.
 */
class InterleavingSimulationTest {

    private static final double ALPHA = 0.05;

    /**
     * One unit's team-draft list of ten items from two rankers of equal quality: in each of five
     * rounds a coin decides which arm's item takes the higher slot, and the unit clicks a slot with
     * a probability that falls with its position and varies between units. Both arms' clicks are
     * drawn identically, so no unit truly prefers either.
     */
    private static PreferenceCounts aaUnit(PreferenceCounts counts, SplittableRandom random) {
        double rate = 0.3 * random.nextDouble();
        int clicksA = 0;
        int clicksB = 0;
        for (int round = 0; round < 5; round++) {
            boolean aFirst = random.nextBoolean();
            int top = random.nextDouble() < rate / (1 + 2 * round) ? 1 : 0;
            int second = random.nextDouble() < rate / (2 + 2 * round) ? 1 : 0;
            clicksA += aFirst ? top : second;
            clicksB += aFirst ? second : top;
        }
        return counts.withUnit(clicksA, clicksB);
    }

    @Test
    void peekingAfterEveryBatchInflatesTheSignTestButNotTheAlwaysValidOne() {
        int experiments = 400;
        int peeks = 20;
        int batch = 200;
        InterleavingAnalysis analysis =
                InterleavingAnalysis.withDefaults().withAlpha(ALPHA).withSequentialTuning(5000);
        SplittableRandom random = new SplittableRandom(2026_11_22L);
        int fixedFalsePositives = 0;
        int sequentialFalsePositives = 0;
        int finalFalsePositives = 0;
        long unitsWithPreference = 0;
        for (int e = 0; e < experiments; e++) {
            PreferenceCounts counts = PreferenceCounts.empty("a", "b");
            boolean fixedRejected = false;
            boolean sequentialRejected = false;
            PairPreference result = null;
            for (int peek = 0; peek < peeks; peek++) {
                for (int u = 0; u < batch; u++) {
                    counts = aaUnit(counts, random);
                }
                result = analysis.analyze(counts);
                fixedRejected |=
                        result.fixedHorizon() != null && result.fixedHorizon().pValue() < ALPHA;
                sequentialRejected |=
                        result.sequential() != null && result.sequential().pValue() < ALPHA;
            }
            fixedFalsePositives += fixedRejected ? 1 : 0;
            sequentialFalsePositives += sequentialRejected ? 1 : 0;
            finalFalsePositives += result.fixedHorizon().pValue() < ALPHA ? 1 : 0;
            unitsWithPreference += result.unitsWithPreference();
        }
        double fixedRate = (double) fixedFalsePositives / experiments;
        double sequentialRate = (double) sequentialFalsePositives / experiments;
        double finalRate = (double) finalFalsePositives / experiments;

        // about 1,500 of the 4,000 units of an experiment have a preference at the end
        assertThat((double) unitsWithPreference / experiments).isBetween(1000.0, 2500.0);
        // looked at once, the exact sign test holds its level (it is slightly conservative: the
        // binomial is discrete); 3 binomial standard errors of a 5 % rate over 400 experiments
        assertThat(finalRate)
                .as("sign test looked at once")
                .isLessThanOrEqualTo(ALPHA + 3 * Math.sqrt(ALPHA * (1 - ALPHA) / experiments));
        // 20 looks at it reject about 4 times as often as α; the standard error of a rate of 0.2
        // over 400 experiments is 0.02, so 0.10 is far below it
        assertThat(fixedRate).as("sign test false-positive rate when peeking").isGreaterThan(0.10);
        assertThat(sequentialRate)
                .as("always-valid false-positive rate when peeking")
                .isLessThanOrEqualTo(ALPHA);
    }

    @Test
    void intervalsCoverAKnownPreference() {
        int experiments = 1500;
        int unitsWithPreference = 600;
        double winProbability = 0.56; // Δ = 0.12
        double preference = 2 * winProbability - 1;
        InterleavingAnalysis analysis = InterleavingAnalysis.withDefaults().withAlpha(ALPHA);
        SplittableRandom random = new SplittableRandom(77);
        int fixedCovered = 0;
        int sequentialCovered = 0;
        for (int e = 0; e < experiments; e++) {
            long winsB = 0;
            for (int u = 0; u < unitsWithPreference; u++) {
                winsB += random.nextDouble() < winProbability ? 1 : 0;
            }
            PairPreference result =
                    analysis.analyze(
                            new PreferenceCounts("a", "b", unitsWithPreference - winsB, winsB, 0));
            fixedCovered += covers(result.fixedHorizon().ci(), preference);
            sequentialCovered += covers(result.sequential().ci(), preference);
        }
        // Clopper–Pearson covers at least 1 − α at every m (it is conservative), the sequence too;
        // 3 binomial standard errors of a 95 % rate over 1,500 experiments
        double slack = 3 * Math.sqrt(0.95 * 0.05 / experiments);
        assertThat((double) fixedCovered / experiments).isGreaterThanOrEqualTo(0.95 - slack);
        assertThat((double) sequentialCovered / experiments).isGreaterThanOrEqualTo(0.95 - slack);
    }

    private static int covers(List<Double> ci, double value) {
        return ci.get(0) <= value && value <= ci.get(1) ? 1 : 0;
    }
}
