package io.splitrank.app.report;

import io.splitrank.app.aggregate.InterleavingCredits;
import io.splitrank.app.experiment.ExperimentSettings;
import io.splitrank.stats.InterleavingAnalysis;
import io.splitrank.stats.PairPreference;
import io.splitrank.stats.PreferenceCounts;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The interleaving section of a report (docs/statistics.md, Interleaving): per arm the clicks,
 * conversions and conversion value credited to it, and per pair of arms and per metric (credited
 * clicks, credited conversion value) each unit's preference — a win for the arm credited with more,
 * a tie when equal — with the preference Δ = (wins of b − wins of a)/(units with a preference), the
 * exact sign test, its Clopper–Pearson interval and the always-valid test.
 *
 * @param units units that were shown at least one merged list in the phase
 * @param arms what each arm was credited with
 * @param preferences per metric, every pair of arms
 * @param winner the arm that every other arm's units prefer, significantly (always-valid, on
 *     clicks), or null
 */
@Schema(description = "Interleaving results: credits per arm and the units' preferences per pair")
record InterleavingReport(
        @Schema(description = "Units shown at least one merged list in the phase") long units,
        @Schema(description = "Credited clicks, conversions and value per arm")
                List<ArmCredit> arms,
        @Schema(description = "Per metric (clicks, value), every pair of arms")
                List<Preferences> preferences,
        @Schema(
                        description =
                                "The arm preferred over every other significantly (always-valid, clicks), if any")
                String winner) {

    /** What an arm's items earned. */
    @Schema(name = "InterleavingArm", description = "What an arm's items earned")
    record ArmCredit(String arm, String model, long clicks, long conversions, double value) {}

    /** One metric's preferences. */
    @Schema(name = "InterleavingPreferences", description = "One metric's pairwise preferences")
    record Preferences(@Schema(description = "clicks or value") String metric, List<Pair> pairs) {}

    /**
     * One pair (a, b): the preference is b's over a.
     *
     * @param ci the Clopper–Pearson interval of the preference (fixed horizon)
     * @param pValue the exact two-sided sign test
     * @param sequentialCi the always-valid interval of the preference
     * @param sequentialPValue the always-valid p-value
     * @param error why numbers are missing (too few units with a preference), else null
     */
    @Schema(name = "InterleavingPair", description = "One pair of arms: b's preference over a")
    record Pair(
            String a,
            String b,
            long units,
            long unitsWithPreference,
            long winsA,
            long winsB,
            long ties,
            Double preference,
            List<Double> ci,
            Double pValue,
            List<Double> sequentialCi,
            Double sequentialPValue,
            String error) {

        static Pair of(PairPreference p) {
            return new Pair(
                    p.a(),
                    p.b(),
                    p.units(),
                    p.unitsWithPreference(),
                    p.winsA(),
                    p.winsB(),
                    p.ties(),
                    p.preference(),
                    p.fixedHorizon() == null ? null : p.fixedHorizon().ci(),
                    p.fixedHorizon() == null ? null : p.fixedHorizon().pValue(),
                    p.sequential() == null ? null : p.sequential().ci(),
                    p.sequential() == null ? null : p.sequential().pValue(),
                    p.error());
        }
    }

    static InterleavingReport of(ExperimentSettings settings, InterleavingCredits.Credits credits) {
        List<ExperimentSettings.Arm> arms = settings.arms();
        int k = arms.size();
        long[] clicks = new long[k];
        long[] conversions = new long[k];
        double[] value = new double[k];
        for (InterleavingCredits.UnitCredit u : credits.credited()) {
            for (int i = 0; i < k; i++) {
                clicks[i] += u.clicks()[i];
                conversions[i] += u.conversions()[i];
                value[i] += u.value()[i];
            }
        }
        List<ArmCredit> armCredits = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            armCredits.add(
                    new ArmCredit(
                            arms.get(i).key(),
                            arms.get(i).model(),
                            clicks[i],
                            conversions[i],
                            value[i]));
        }
        InterleavingAnalysis analysis =
                InterleavingAnalysis.withDefaults()
                        .withAlpha(settings.options().alpha())
                        .withSequentialTuning(settings.options().sequentialTuning());
        List<PairPreference> byClicks =
                analysis.analyze(counts(arms, credits, (u, i) -> (double) u.clicks()[i]));
        List<PairPreference> byValue =
                analysis.analyze(counts(arms, credits, (u, i) -> u.value()[i]));
        return new InterleavingReport(
                credits.units(),
                armCredits,
                List.of(
                        new Preferences("clicks", byClicks.stream().map(Pair::of).toList()),
                        new Preferences("value", byValue.stream().map(Pair::of).toList())),
                winner(arms, byClicks, settings.options().alpha()));
    }

    /** Every pair's counts; units without any credited event are ties. */
    private static List<PreferenceCounts> counts(
            List<ExperimentSettings.Arm> arms,
            InterleavingCredits.Credits credits,
            BiFunction<InterleavingCredits.UnitCredit, Integer, Double> credit) {
        List<PreferenceCounts> pairs = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            for (int b = a + 1; b < arms.size(); b++) {
                PreferenceCounts c = PreferenceCounts.empty(arms.get(a).key(), arms.get(b).key());
                for (InterleavingCredits.UnitCredit u : credits.credited()) {
                    c = c.withUnit(credit.apply(u, a), credit.apply(u, b));
                }
                long uncredited = Math.max(0, credits.units() - credits.credited().size());
                pairs.add(
                        new PreferenceCounts(
                                c.a(), c.b(), c.winsA(), c.winsB(), c.ties() + uncredited));
            }
        }
        return pairs;
    }

    private static String winner(
            List<ExperimentSettings.Arm> arms, List<PairPreference> pairs, double alpha) {
        for (ExperimentSettings.Arm candidate : arms) {
            boolean beatsAll = true;
            for (PairPreference p : pairs) {
                boolean involved = p.a().equals(candidate.key()) || p.b().equals(candidate.key());
                if (!involved) {
                    continue;
                }
                boolean significant = p.sequential() != null && p.sequential().pValue() < alpha;
                boolean favours =
                        p.preference() != null
                                && (p.b().equals(candidate.key())
                                        ? p.preference() > 0
                                        : p.preference() < 0);
                if (!(significant && favours)) {
                    beatsAll = false;
                    break;
                }
            }
            if (beatsAll) {
                return candidate.key();
            }
        }
        return null;
    }
}
