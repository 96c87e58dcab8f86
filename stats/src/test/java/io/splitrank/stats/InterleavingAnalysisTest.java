package io.splitrank.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The interleaving preference statistics' behaviour: edge cases with errors instead of numbers,
 * symmetry between the arms, the link between the always-valid p-value and interval, counting
 * units, and input validation.
 */
class InterleavingAnalysisTest {

    private final InterleavingAnalysis analysis = InterleavingAnalysis.withDefaults();

    @Test
    void onlyTiesGiveNoNumbersAndAnError() {
        PairPreference result = analysis.analyze(new PreferenceCounts("a", "b", 0, 0, 42));

        assertThat(result.units()).isEqualTo(42);
        assertThat(result.unitsWithPreference()).isZero();
        assertThat(result.preference()).isNull();
        assertThat(result.fixedHorizon()).isNull();
        assertThat(result.sequential()).isNull();
        assertThat(result.error()).isEqualTo("no unit with a preference");
        assertThat(result.computed()).isFalse();
    }

    @Test
    void oneUnitWithAPreferenceHasASignTestButNoConfidenceSequence() {
        PairPreference result = analysis.analyze(new PreferenceCounts("a", "b", 0, 1, 5));

        assertThat(result.preference()).isEqualTo(1.0);
        assertThat(result.fixedHorizon().pValue()).isEqualTo(1.0);
        // Clopper–Pearson for 1 of 1: [0.025, 1], by hand: the lower bound solves p¹ = α/2
        assertThat(result.fixedHorizon().winProbabilityCi().get(0)).isCloseTo(0.025, within(1e-15));
        assertThat(result.fixedHorizon().ci().get(1)).isEqualTo(1.0);
        assertThat(result.sequential()).isNull();
        assertThat(result.error()).isEqualTo("sequential: fewer than two units with a preference");
    }

    @Test
    void unanimousUnitsHaveZeroVarianceAndNameTheArmTheyPreferred() {
        PairPreference forB = analysis.analyze(new PreferenceCounts("base", "ektm", 0, 20, 3));
        PairPreference forA = analysis.analyze(new PreferenceCounts("base", "ektm", 20, 0, 3));

        // 20 of 20: two-sided p = 2·2⁻²⁰, by hand
        assertThat(forB.fixedHorizon().pValue()).isCloseTo(2 * Math.pow(2, -20), within(1e-21));
        assertThat(forB.preference()).isEqualTo(1.0);
        assertThat(forB.sequential()).isNull();
        assertThat(forB.error())
                .isEqualTo(
                        "sequential: zero variance: every unit with a preference preferred ektm");
        assertThat(forA.preference()).isEqualTo(-1.0);
        assertThat(forA.error()).endsWith("preferred base");
    }

    @Test
    void swappingTheArmsMirrorsEveryNumber() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 300; i++) {
            long winsA = random.nextLong(2, 5000);
            long winsB = random.nextLong(2, 5000);
            long ties = random.nextLong(0, 5000);
            PairPreference ab =
                    analysis.analyze(new PreferenceCounts("a", "b", winsA, winsB, ties));
            PairPreference ba =
                    analysis.analyze(new PreferenceCounts("b", "a", winsB, winsA, ties));

            assertThat(ba.preference()).isEqualTo(-ab.preference());
            assertThat(ba.fixedHorizon().pValue())
                    .isCloseTo(ab.fixedHorizon().pValue(), within(1e-12));
            assertThat(ba.fixedHorizon().ci().get(0))
                    .isCloseTo(-ab.fixedHorizon().ci().get(1), within(1e-12));
            assertThat(ba.fixedHorizon().ci().get(1))
                    .isCloseTo(-ab.fixedHorizon().ci().get(0), within(1e-12));
            assertThat(ba.sequential().pValue()).isEqualTo(ab.sequential().pValue());
            assertThat(ba.sequential().ci().get(0)).isEqualTo(-ab.sequential().ci().get(1));
            assertThat(ba.sequential().ci().get(1)).isEqualTo(-ab.sequential().ci().get(0));
            assertThat(ba.fixedHorizon().winProbabilityCi().get(0))
                    .isCloseTo(1 - ab.fixedHorizon().winProbabilityCi().get(1), within(1e-12));
            assertThat(ba.fixedHorizon().winProbabilityCi().get(1))
                    .isCloseTo(1 - ab.fixedHorizon().winProbabilityCi().get(0), within(1e-12));
        }
    }

    @Test
    void theAlwaysValidPValueIsBelowAlphaExactlyWhenItsIntervalExcludesZero() {
        SplittableRandom random = new SplittableRandom(12);
        int significant = 0;
        for (int i = 0; i < 2000; i++) {
            long m = random.nextLong(2, 20_000);
            // around m/2, where the answer can go either way
            long winsB =
                    Math.max(
                            1,
                            Math.min(
                                    m - 1,
                                    Math.round(
                                            m / 2.0 + 2 * Math.sqrt(m) * random.nextGaussian())));
            PairPreference result =
                    analysis.analyze(new PreferenceCounts("a", "b", m - winsB, winsB, 0));
            List<Double> ci = result.sequential().ci();
            boolean excludesZero = ci.get(0) > 0 || ci.get(1) < 0;
            assertThat(result.sequential().pValue() < 0.05)
                    .as("m %d, k %d: %s", m, winsB, result.sequential())
                    .isEqualTo(excludesZero);
            assertThat(ci.get(0)).isBetween(-1.0, result.preference());
            assertThat(ci.get(1)).isBetween(result.preference(), 1.0);
            significant += excludesZero ? 1 : 0;
        }
        assertThat(significant).as("both outcomes occur").isBetween(100, 1900);
    }

    @Test
    void anyValidCountsGiveFiniteNumbersOrAnError() {
        SplittableRandom random = new SplittableRandom(13);
        List<PreferenceCounts> pairs = new ArrayList<>();
        long[] sizes = {0, 1, 2, 3, 10, 1000, 1_000_000, Integer.MAX_VALUE, 3_000_000_000L};
        for (long winsA : sizes) {
            for (long winsB : sizes) {
                pairs.add(new PreferenceCounts("a", "b", winsA, winsB, random.nextLong(0, 100)));
            }
        }
        for (PairPreference p : analysis.withAlpha(0.001).analyze(pairs)) {
            if (p.unitsWithPreference() > Integer.MAX_VALUE) {
                assertThat(p.error()).startsWith("not computable");
                assertThat(p.preference()).isNull();
                continue;
            }
            if (p.unitsWithPreference() == 0) {
                assertThat(p.error()).isEqualTo("no unit with a preference");
                continue;
            }
            List<Double> numbers = new ArrayList<>();
            numbers.add(p.preference());
            numbers.add(p.fixedHorizon().pValue());
            numbers.addAll(p.fixedHorizon().ci());
            numbers.addAll(p.fixedHorizon().winProbabilityCi());
            if (p.sequential() != null) {
                numbers.add(p.sequential().pValue());
                numbers.addAll(p.sequential().ci());
            } else {
                assertThat(p.error()).startsWith("sequential: ");
            }
            assertThat(numbers).as("%s", p).allMatch(Double::isFinite);
            assertThat(p.fixedHorizon().pValue()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void severalPairsComeBackInTheirOrder() {
        List<PairPreference> results =
                analysis.analyze(
                        List.of(
                                new PreferenceCounts("a", "b", 10, 30, 5),
                                new PreferenceCounts("a", "c", 30, 10, 5),
                                new PreferenceCounts("b", "c", 0, 0, 5)));

        assertThat(results).extracting(PairPreference::b).containsExactly("b", "c", "c");
        assertThat(results.get(0).preference()).isEqualTo(0.5);
        assertThat(results.get(1).preference()).isEqualTo(-0.5);
        assertThat(results.get(2).error()).isEqualTo("no unit with a preference");
    }

    @Test
    void unitsAreCountedAsWinsLossesOrTiesFromTheirCredits() {
        PreferenceCounts counts =
                PreferenceCounts.empty("a", "b")
                        .withUnit(0, 0)
                        .withUnit(1, 3)
                        .withUnit(2, 1)
                        .withUnit(0.0, -0.0)
                        .withUnit(2.5, 2.5)
                        .withUnit(0, 0.01);

        assertThat(counts).isEqualTo(new PreferenceCounts("a", "b", 1, 2, 3));
        assertRejected(() -> counts.withUnit(Double.NaN, 1), "creditA");
        assertRejected(() -> counts.withUnit(1, Double.POSITIVE_INFINITY), "creditB");
    }

    @Test
    void malformedCountsAreRejectedNamingTheField() {
        assertRejected(() -> analysis.analyze(new PreferenceCounts("a", "b", -1, 0, 0)), "winsA");
        assertRejected(() -> analysis.analyze(new PreferenceCounts("a", "b", 0, -1, 0)), "winsB");
        assertRejected(() -> analysis.analyze(new PreferenceCounts("a", "b", 0, 0, -1)), "ties");
        assertRejected(() -> analysis.analyze(new PreferenceCounts(" ", "b", 0, 0, 0)), "a");
        assertRejected(() -> analysis.analyze(new PreferenceCounts("a", null, 0, 0, 0)), "b");
        assertRejected(() -> analysis.analyze(new PreferenceCounts("a", "a", 0, 0, 0)), "b");
        assertRejected(
                () -> analysis.analyze(new PreferenceCounts("a", "b", Long.MAX_VALUE, 1, 0)),
                "ties");
        assertRejected(
                () ->
                        analysis.analyze(
                                List.of(
                                        new PreferenceCounts("a", "b", 1, 1, 1),
                                        new PreferenceCounts("a", "c", 1, -2, 1))),
                "pairs[1].winsB");
        List<PreferenceCounts> withNull = new ArrayList<>();
        withNull.add(null);
        assertRejected(() -> analysis.analyze(withNull), "pairs[0]");
        assertRejected(() -> analysis.withAlpha(0.6), "alpha");
        assertRejected(() -> analysis.withSequentialTuning(0), "sequentialTuning");
    }

    private static void assertRejected(Executable call, String field) {
        assertThatThrownBy(call::execute)
                .isInstanceOfSatisfying(
                        InvalidStatisticsException.class,
                        e -> assertThat(e.field()).isEqualTo(field));
    }
}
