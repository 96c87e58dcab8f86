package io.splitrank.benchmarks.interleaving;

import io.splitrank.stats.ArmInput;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.InterleavingAnalysis;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricType;
import io.splitrank.stats.PairPreference;
import io.splitrank.stats.PowerAnalysis;
import io.splitrank.stats.PreferenceCounts;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The sample sizes and their checks: an A/B test of a per-user mean (two arms, Welch) and an
 * interleaving experiment's sign test, both two-sided at α for the given power.
 */
final class Power {

    /** Sizes above this are reported as unbounded (the effect's interval reaches 0). */
    static final long UNBOUNDED = Long.MAX_VALUE;

    /** The most user draws of one bootstrap check (its time). */
    private static final long MAX_DRAWS = 40_000_000L;

    private final double alpha;
    private final double power;
    private final double zAlpha;
    private final double zPower;
    private final ExperimentAnalysis relative;
    private final ExperimentAnalysis absolute;
    private final InterleavingAnalysis interleaving;

    Power(double alpha, double power) {
        this.alpha = alpha;
        this.power = power;
        NormalDistribution normal = NormalDistribution.of(0, 1);
        this.zAlpha = normal.inverseCumulativeProbability(1 - alpha / 2);
        this.zPower = normal.inverseCumulativeProbability(power);
        this.relative = ExperimentAnalysis.withDefaults().withAlpha(alpha);
        this.absolute =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(alpha)
                        .withDifferenceType(DifferenceType.ABSOLUTE);
        this.interleaving = InterleavingAnalysis.withDefaults().withAlpha(alpha);
    }

    double alpha() {
        return alpha;
    }

    double power() {
        return power;
    }

    /** Mean and sample variance. */
    record Moments(long n, double mean, double variance) {
        static Moments of(double[] y) {
            double sum = 0;
            for (double v : y) {
                sum += v;
            }
            double mean = sum / y.length;
            double ss = 0;
            for (double v : y) {
                ss += (v - mean) * (v - mean);
            }
            return new Moments(y.length, mean, ss / (y.length - 1));
        }

        double standardError() {
            return Math.sqrt(variance / n);
        }
    }

    /** A two-arm comparison as the platform's report computes it (relative lift, Welch). */
    Comparison compareRelative(double[] sumsA, double[] sumsB) {
        return compare(relative, sumsA, sumsB);
    }

    Comparison compareAbsolute(double[] sumsA, double[] sumsB) {
        return compare(absolute, sumsA, sumsB);
    }

    /** Sums are {n, Σy, Σy²}. */
    private static Comparison compare(ExperimentAnalysis analysis, double[] a, double[] b) {
        return analysis.analyze(
                        MetricType.MEAN,
                        List.of(
                                new ArmInput("a", 1, new MeanStatistic((long) a[0], a[1], a[2])),
                                new ArmInput("b", 1, new MeanStatistic((long) b[0], b[1], b[2]))))
                .arms()
                .get(1)
                .comparison();
    }

    /**
     * Users per arm of an A/B test to detect the absolute difference {@code delta} of a per-user
     * mean whose arms have variances {@code varA} and {@code varB}: (z₁₋α/₂ + z_power)²·(σ²_a +
     * σ²_b)/δ², by {@link PowerAnalysis} with the arms' mean variance.
     */
    long abPerArm(double varA, double varB, double delta) {
        if (delta == 0 || !Double.isFinite(delta)) {
            return UNBOUNDED;
        }
        return PowerAnalysis.withDefaults()
                .withAlpha(alpha)
                .withPower(power)
                .withDifferenceType(DifferenceType.ABSOLUTE)
                .sampleSizePerArm(0, (varA + varB) / 2, delta);
    }

    /**
     * Units with a preference the sign test needs to detect P(b preferred) = {@code p} ≠ ½ (normal
     * approximation of the binomial): m = ((z₁₋α/₂·½ + z_power·√(p(1 − p)))/|p − ½|)².
     */
    double signTestPreferences(double p) {
        double d = Math.abs(p - 0.5);
        if (d == 0 || !Double.isFinite(p)) {
            return Double.POSITIVE_INFINITY;
        }
        double m = (zAlpha * 0.5 + zPower * Math.sqrt(p * (1 - p))) / d;
        return m * m;
    }

    /** Users an interleaving experiment needs: preferences needed ÷ share of users with one. */
    long interleavingUsers(double p, double shareWithPreference) {
        double m = signTestPreferences(p);
        if (!Double.isFinite(m) || shareWithPreference <= 0) {
            return UNBOUNDED;
        }
        return (long) Math.ceil(m / shareWithPreference);
    }

    /**
     * Users an interleaving experiment needs for the always-valid test ({@link
     * InterleavingAnalysis}, tuning N*) to reach the power when its result is looked at once, after
     * all of them: the smallest m with Φ(|Δ|√m/σ − c(m)) ≥ power, where Δ = 2p − 1, σ = √(4p(1 −
     * p)) is the sd of a unit's ±1 score and c(m)·σ/√m the sequence's half-width at m (normal
     * approximation), then ÷ the share with a preference. Monitoring it continuously can stop
     * earlier.
     */
    long alwaysValidUsers(double p, double shareWithPreference, double tuning) {
        double delta = Math.abs(2 * p - 1);
        if (delta == 0 || delta >= 1 || shareWithPreference <= 0) {
            return UNBOUNDED;
        }
        double sigma = Math.sqrt(4 * p * (1 - p));
        double minusTwoLogAlpha = -2 * Math.log(alpha);
        double rho2 = (minusTwoLogAlpha + Math.log(minusTwoLogAlpha + 1)) / tuning;
        java.util.function.DoubleUnaryOperator margin =
                m -> {
                    double c =
                            Math.sqrt(
                                    2
                                            * (m * rho2 + 1)
                                            / (m * rho2)
                                            * Math.log(Math.sqrt(m * rho2 + 1) / alpha));
                    return delta * Math.sqrt(m) / sigma - c - zPower;
                };
        double lo = 1;
        double hi = 2;
        while (margin.applyAsDouble(hi) < 0) {
            hi *= 2;
            if (hi > 1e15) {
                return UNBOUNDED;
            }
        }
        while (hi - lo > 0.5) {
            double mid = (lo + hi) / 2;
            if (margin.applyAsDouble(mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (long) Math.ceil(Math.ceil(hi) / shareWithPreference);
    }

    PairPreference analyze(PreferenceCounts counts) {
        return interleaving.analyze(counts);
    }

    /**
     * The result of simulated experiments at a fixed size.
     *
     * @param experiments how many
     * @param method "disjoint" (independent blocks of the simulated users) or "bootstrap" (users
     *     drawn with replacement)
     * @param power share that rejected at α in the expected direction
     * @param alwaysValidPower the same for the always-valid test (interleaving), else NaN
     */
    record Check(int experiments, String method, double power, double alwaysValidPower) {}

    /**
     * Interleaving experiments of {@code n} users: disjoint blocks of the simulated users when
     * there are at least {@code minBlocks} of them, else bootstrap samples.
     *
     * @param sign per user: +1 b preferred, −1 a preferred, 0 tie
     * @param direction the expected sign of the preference
     */
    Check interleavingCheck(
            byte[] sign, long n, int direction, int maxExperiments, int minBlocks, long seed) {
        int users = sign.length;
        if (n == UNBOUNDED || n < 1 || direction == 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long blocks = users / n;
        boolean disjoint = blocks >= minBlocks;
        if (!disjoint && n > users) {
            return null; // a bootstrap sample larger than the simulated users checks little
        }
        int experiments =
                disjoint
                        ? (int) Math.min(blocks, maxExperiments)
                        : (int) Math.max(50, Math.min(maxExperiments, MAX_DRAWS / n));
        int[] perm = disjoint ? permutation(users, random) : null;
        int hits = 0;
        int alwaysValidHits = 0;
        for (int e = 0; e < experiments; e++) {
            long winsA = 0;
            long winsB = 0;
            for (long j = 0; j < n; j++) {
                int u = disjoint ? perm[(int) (e * n + j)] : random.nextInt(users);
                if (sign[u] > 0) {
                    winsB++;
                } else if (sign[u] < 0) {
                    winsA++;
                }
            }
            PairPreference r =
                    interleaving.analyze(
                            new PreferenceCounts("a", "b", winsA, winsB, n - winsA - winsB));
            if (r.preference() == null || Math.signum(r.preference()) != direction) {
                continue;
            }
            if (r.fixedHorizon().pValue() < alpha) {
                hits++;
            }
            if (r.sequential() != null && r.sequential().pValue() < alpha) {
                alwaysValidHits++;
            }
        }
        return new Check(
                experiments,
                disjoint ? "disjoint" : "bootstrap",
                (double) hits / experiments,
                (double) alwaysValidHits / experiments);
    }

    /**
     * A/B experiments of {@code n} users per arm (arm a's users see a's list, arm b's b's):
     * disjoint blocks of 2n simulated users when there are at least {@code minBlocks}, else
     * bootstrap samples of each arm's users with b's outcomes shifted so that the difference of the
     * pool's means is {@code delta} (the effect the size was computed for), which checks the normal
     * approximation and the variances at that size rather than the pool's own noisy difference.
     */
    Check abCheck(
            double[] yA,
            double[] yB,
            long n,
            double delta,
            int maxExperiments,
            int minBlocks,
            long seed) {
        int users = yA.length;
        if (n == UNBOUNDED || n < 2 || delta == 0) {
            return null;
        }
        SplittableRandom random = new SplittableRandom(seed);
        long blocks = users / (2 * n);
        boolean disjoint = blocks >= minBlocks;
        if (!disjoint && n > users) {
            return null; // arms larger than the simulated users: not checked
        }
        int experiments =
                disjoint
                        ? (int) Math.min(blocks, maxExperiments)
                        : (int) Math.max(50, Math.min(maxExperiments, MAX_DRAWS / (2 * n)));
        int[] perm = disjoint ? permutation(users, random) : null;
        double shift = disjoint ? 0 : delta - (Moments.of(yB).mean() - Moments.of(yA).mean());
        int hits = 0;
        for (int e = 0; e < experiments; e++) {
            double[] a = new double[3];
            double[] b = new double[3];
            for (long j = 0; j < n; j++) {
                double ya = yA[disjoint ? perm[(int) (2 * e * n + j)] : random.nextInt(users)];
                double yb =
                        yB[disjoint ? perm[(int) (2 * e * n + n + j)] : random.nextInt(users)]
                                + shift;
                a[0]++;
                a[1] += ya;
                a[2] += ya * ya;
                b[0]++;
                b[1] += yb;
                b[2] += yb * yb;
            }
            Comparison c = compareAbsolute(a, b);
            if (c.fixedHorizon() != null
                    && c.estimate() != null
                    && c.fixedHorizon().pValue() < alpha
                    && Math.signum(c.estimate()) == Math.signum(delta)) {
                hits++;
            }
        }
        return new Check(
                experiments,
                disjoint ? "disjoint" : "bootstrap",
                (double) hits / experiments,
                Double.NaN);
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
