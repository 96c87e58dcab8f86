package io.splitrank.stats;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * The statistics of an interleaving experiment: for a pair of arms (a, b), b's preference over a
 * from the units' wins, losses and ties (docs/statistics.md, Interleaving). Immutable; configure
 * with {@code withX(...)}:
 *
 * <pre>{@code
 * PairPreference pair = InterleavingAnalysis.withDefaults()   // α 0.05, N* 5000
 *     .analyze(new PreferenceCounts("baseline", "ektm", 412, 530, 3120));
 * }</pre>
 *
 * <p>Over the m units with a preference, k of them for b:
 *
 * <ul>
 *   <li>preference Δ = (2k − m)/m ∈ [−1, 1];
 *   <li>fixed horizon: the two-sided exact binomial (sign) test of P(b preferred) = ½, p = min(1,
 *       2·P(X ≤ min(k, m − k))) for X ~ Binomial(m, ½), and the Clopper–Pearson interval of that
 *       probability, [B(α/2; k, m − k + 1), B(1 − α/2; k + 1, m − k)] with B the beta quantile (0
 *       when k = 0, 1 when k = m), mapped to Δ = 2p − 1;
 *   <li>always valid: the asymptotic confidence sequence of the A/B comparisons ({@code
 *       SequentialInference}) on the per-unit scores s = +1 (b preferred) or −1 (a preferred): mean
 *       Δ, SE² = var(s)/m with the sample variance var(s) = 4k(m − k)/(m(m − 1)), n = m; the
 *       interval is clipped to [−1, 1], where Δ lies.
 * </ul>
 *
 * <p>The binomial and beta functions are Apache Commons Statistics'. Bad input throws {@link
 * InvalidStatisticsException} naming the field; what cannot be computed is left {@code null} with
 * an {@code error} (see {@link PairPreference}), never NaN.
 */
public final class InterleavingAnalysis {

    private final double alpha;
    private final double sequentialTuning;

    private InterleavingAnalysis(double alpha, double sequentialTuning) {
        this.alpha = alpha;
        this.sequentialTuning = sequentialTuning;
    }

    /** α = 0.05 and N* = 5000, as {@link ExperimentAnalysis#withDefaults()}. */
    public static InterleavingAnalysis withDefaults() {
        return new InterleavingAnalysis(0.05, ExperimentAnalysis.DEFAULT_SEQUENTIAL_TUNING);
    }

    /** Two-sided significance level, in (0, 0.5]: the intervals are at level 1 − α. */
    public InterleavingAnalysis withAlpha(double alpha) {
        ExperimentAnalysis.checkAlpha(alpha);
        return new InterleavingAnalysis(alpha, sequentialTuning);
    }

    /**
     * Tuning N* of the confidence sequence: the number of units with a preference at which it is
     * tightest.
     */
    public InterleavingAnalysis withSequentialTuning(double sequentialTuning) {
        ExperimentAnalysis.checkSequentialTuning(sequentialTuning);
        return new InterleavingAnalysis(alpha, sequentialTuning);
    }

    /**
     * Analyses one pair.
     *
     * @throws InvalidStatisticsException on a missing or repeated arm key or a negative count
     */
    public PairPreference analyze(PreferenceCounts counts) {
        validate("", counts);
        return compare(counts);
    }

    /**
     * Analyses several pairs, e.g. every pair of a multileaving experiment's arms. The p-values are
     * not adjusted for multiplicity; {@link MultipleComparisons} does that.
     *
     * @throws InvalidStatisticsException naming the field, e.g. {@code pairs[1].winsB}
     */
    public List<PairPreference> analyze(List<PreferenceCounts> pairs) {
        if (pairs == null) {
            throw new InvalidStatisticsException("pairs", "is required");
        }
        for (int i = 0; i < pairs.size(); i++) {
            validate("pairs[" + i + "].", pairs.get(i));
        }
        List<PairPreference> results = new ArrayList<>(pairs.size());
        for (PreferenceCounts counts : pairs) {
            results.add(compare(counts));
        }
        return List.copyOf(results);
    }

    private PairPreference compare(PreferenceCounts c) {
        long m = c.winsA() + c.winsB();
        long units = m + c.ties();
        if (m == 0) {
            return failed(c, units, "no unit with a preference");
        }
        if (m > Integer.MAX_VALUE) {
            // Commons Statistics' binomial takes an int number of trials
            return failed(c, units, "not computable: more than 2³¹ − 1 units with a preference");
        }
        long k = c.winsB();
        double preference = (double) (c.winsB() - c.winsA()) / m;
        try {
            SignTest fixedHorizon = signTest((int) m, (int) k);
            Sequential sequential = null;
            String error = null;
            if (m < 2) {
                error = "sequential: fewer than two units with a preference";
            } else if (k == 0 || k == m) {
                error =
                        "sequential: zero variance: every unit with a preference preferred "
                                + (k == m ? c.b() : c.a());
            } else {
                sequential = sequential(m, k, preference);
            }
            PairPreference result =
                    new PairPreference(
                            c.a(),
                            c.b(),
                            units,
                            m,
                            c.winsA(),
                            c.winsB(),
                            c.ties(),
                            preference,
                            fixedHorizon,
                            sequential,
                            error);
            return allFinite(result)
                    ? result
                    : failed(c, units, "not computable: a result is not a finite number");
        } catch (RuntimeException e) {
            // the distribution library signals bad arguments and non-convergence with exceptions
            return failed(c, units, "not computable: " + e.getMessage());
        }
    }

    private SignTest signTest(int m, int k) {
        // Binomial(m, ½) is symmetric: the outcomes at most as likely as k are the two tails
        // beyond min(k, m − k), so the two-sided p-value is twice the smaller tail (this is scipy's
        // binomtest for p = ½)
        double pValue =
                Math.min(
                        1.0,
                        2
                                * BinomialDistribution.of(m, 0.5)
                                        .cumulativeProbability(Math.min(k, m - k)));
        double lower =
                k == 0
                        ? 0.0
                        : BetaDistribution.of(k, m - k + 1.0)
                                .inverseCumulativeProbability(alpha / 2);
        double upper =
                k == m
                        ? 1.0
                        : BetaDistribution.of(k + 1.0, m - k).inverseSurvivalProbability(alpha / 2);
        return new SignTest(List.of(2 * lower - 1, 2 * upper - 1), pValue, List.of(lower, upper));
    }

    /** The confidence sequence on the ±1 scores; 0 &lt; k &lt; m, so the variance is positive. */
    private Sequential sequential(long m, long k, double preference) {
        double md = m;
        double variance = 4.0 * k * (m - k) / (md * (md - 1));
        double standardError = Math.sqrt(variance / md);
        Sequential s =
                SequentialInference.test(preference, standardError, md, alpha, sequentialTuning);
        return new Sequential(
                List.of(Math.max(-1.0, s.ci().get(0)), Math.min(1.0, s.ci().get(1))), s.pValue());
    }

    private static PairPreference failed(PreferenceCounts c, long units, String error) {
        return new PairPreference(
                c.a(),
                c.b(),
                units,
                c.winsA() + c.winsB(),
                c.winsA(),
                c.winsB(),
                c.ties(),
                null,
                null,
                null,
                error);
    }

    private static boolean allFinite(PairPreference p) {
        List<Double> values = new ArrayList<>();
        values.add(p.preference());
        values.addAll(p.fixedHorizon().ci());
        values.addAll(p.fixedHorizon().winProbabilityCi());
        values.add(p.fixedHorizon().pValue());
        if (p.sequential() != null) {
            values.addAll(p.sequential().ci());
            values.add(p.sequential().pValue());
        }
        return values.stream().allMatch(Double::isFinite);
    }

    private static void validate(String path, PreferenceCounts c) {
        if (c == null) {
            throw new InvalidStatisticsException(
                    path.isEmpty() ? "pair" : path.substring(0, path.length() - 1), "is required");
        }
        if (c.a() == null || c.a().isBlank()) {
            throw new InvalidStatisticsException(path + "a", "is required");
        }
        if (c.b() == null || c.b().isBlank()) {
            throw new InvalidStatisticsException(path + "b", "is required");
        }
        if (c.a().equals(c.b())) {
            throw new InvalidStatisticsException(path + "b", "must differ from a");
        }
        nonNegative(path + "winsA", c.winsA());
        nonNegative(path + "winsB", c.winsB());
        nonNegative(path + "ties", c.ties());
        if (c.winsA() > Long.MAX_VALUE - c.winsB()
                || c.ties() > Long.MAX_VALUE - c.winsA() - c.winsB()) {
            throw new InvalidStatisticsException(path + "ties", "the counts overflow a long");
        }
    }

    private static void nonNegative(String path, long count) {
        if (count < 0) {
            throw new InvalidStatisticsException(path, "must not be negative");
        }
    }
}
