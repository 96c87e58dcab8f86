package io.splitrank.benchmarks.interleaving;

import io.splitrank.benchmarks.BenchmarkArgs;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.MarketplaceConfig;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.PairPreference;
import io.splitrank.stats.PreferenceCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many users an interleaving experiment needs against an A/B test for the same power, in
 * process, on the synthetic marketplace (docs/interleaving.md, where the method and a run are
 * written up). Run by {@code scripts/bench-interleaving.sh}.
 *
 * <p>Users, requests, candidates and responses come from the marketplace's ground truth as {@code
 * TrafficSimulator} draws them ({@link Simulation}); the rankers are the shipped artifacts loaded
 * as the app loads them and the app's {@code oracle} and {@code random} reference rankers ({@link
 * Rankers}). Every user's potential outcomes under every ranker and every interleaved pair are
 * simulated once; then, per pair (control, challenger):
 *
 * <ul>
 *   <li><b>A/B, the reference run</b>: the users split in two by a seeded coin, each half shown its
 *       arm's top S; eCPM (revenue per impression, the platform's charges) per arm, relative lift,
 *       Welch interval and p-value as the platform's report computes them;
 *   <li><b>A/B, users for the power</b>: the per-user revenue variance of each arm (over all users'
 *       outcomes under that arm) and the true effect, the mean over all users of the difference of
 *       the expected revenue of the two arms' lists under the ground truth (paired, so precise),
 *       give the users per arm (z₁₋α/₂ + z_power)²(σ²_a + σ²_b)/δ²; checked by simulated A/B tests
 *       of that size;
 *   <li><b>interleaving</b>: every user shown the team-draft merged list's top S, clicks (and
 *       conversion value) credited to the arm that contributed the item, a win, loss or tie per
 *       user; the share of users with a preference q and P(challenger preferred) p give the users
 *       for the sign test, ((z₁₋α/₂/2 + z_power·√(p(1 − p)))/|p − ½|)²/q; checked by simulated
 *       experiments of that size (disjoint blocks of the simulated users, else bootstrap samples);
 *   <li>the sensitivity ratio, A/B users ÷ interleaving users, and whether both pick the same
 *       winner: the interleaving's against the A/B run's direction and against the true one.
 * </ul>
 *
 * <p>Arguments ({@code --name=value}): {@code users} (100000), {@code candidates} K (50), {@code
 * slots} S (4), {@code requests-per-user} (1), {@code seed} (20261201), {@code threads} (2), {@code
 * control} (baseline), {@code challengers} (ektm,htlnet,aem2tl,oracle,random), {@code alpha}
 * (0.05), {@code power} (0.8), {@code position-decay} (1: a second set of tables with slot p looked
 * at with probability p^−decay; 0 for the simulator's model only), {@code checks} (most simulated
 * experiments per check, 1000), {@code min-blocks} (disjoint blocks needed, else bootstrap, 20),
 * {@code batch-users} (users' requests per forward pass of a model, 8), {@code verify-users} (the
 * first users whose requests are also scored one per forward pass, as the app does, and compared,
 * 500).
 */
public final class SensitivityBenchmark {

    private static final Set<String> KNOWN =
            Set.of(
                    "users",
                    "candidates",
                    "slots",
                    "requests-per-user",
                    "seed",
                    "threads",
                    "control",
                    "challengers",
                    "alpha",
                    "power",
                    "position-decay",
                    "checks",
                    "min-blocks",
                    "batch-users",
                    "verify-users");

    private final Simulation sim;
    private final Power power;
    private final int checks;
    private final int minBlocks;
    private final StringBuilder out = new StringBuilder();

    private SensitivityBenchmark(Simulation sim, Power power, int checks, int minBlocks) {
        this.sim = sim;
        this.power = power;
        this.checks = checks;
        this.minBlocks = minBlocks;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = BenchmarkArgs.parse(argv);
        for (String name : args.keySet()) {
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown argument --" + name + "; known: " + KNOWN);
            }
        }
        int users = Integer.parseInt(args.getOrDefault("users", "100000"));
        int candidates = Integer.parseInt(args.getOrDefault("candidates", "50"));
        int slots = Integer.parseInt(args.getOrDefault("slots", "4"));
        int requests = Integer.parseInt(args.getOrDefault("requests-per-user", "1"));
        long seed = Long.parseLong(args.getOrDefault("seed", "20261201"));
        int threads = Integer.parseInt(args.getOrDefault("threads", "2"));
        String control = args.getOrDefault("control", "baseline");
        List<String> challengers =
                Arrays.stream(
                                args.getOrDefault("challengers", "ektm,htlnet,aem2tl,oracle,random")
                                        .split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        double alpha = Double.parseDouble(args.getOrDefault("alpha", "0.05"));
        double targetPower = Double.parseDouble(args.getOrDefault("power", "0.8"));
        double decay = Double.parseDouble(args.getOrDefault("position-decay", "1"));
        int checks = Integer.parseInt(args.getOrDefault("checks", "1000"));
        int minBlocks = Integer.parseInt(args.getOrDefault("min-blocks", "20"));
        int group = Integer.parseInt(args.getOrDefault("batch-users", "8"));
        int verify = Integer.parseInt(args.getOrDefault("verify-users", "500"));
        if (users < 100
                || candidates < 1
                || slots < 1
                || slots > candidates
                || requests < 1
                || group < 1) {
            throw new IllegalArgumentException(
                    "need users >= 100, 1 <= slots <= candidates, requests-per-user >= 1,"
                            + " batch-users >= 1");
        }
        if (challengers.isEmpty() || challengers.contains(control)) {
            throw new IllegalArgumentException("challengers must be non-empty and not the control");
        }
        configureDjl();

        long started = System.nanoTime();
        Marketplace world = new Marketplace(MarketplaceConfig.defaults());
        List<String> keys = new ArrayList<>();
        keys.add(control);
        keys.addAll(challengers);
        Path tmp = Files.createTempDirectory("sensitivity-models");
        Rankers.CandidateRanker[] rankers = new Rankers.CandidateRanker[keys.size()];
        try {
            for (int i = 0; i < keys.size(); i++) {
                rankers[i] =
                        switch (keys.get(i)) {
                            case "oracle" -> Rankers.oracle(world);
                            case "random" -> Rankers.random();
                            default -> Rankers.shipped(keys.get(i), tmp, world);
                        };
            }
        } finally {
            deleteRecursively(tmp);
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;

        Simulation sim =
                new Simulation(world, rankers, users, requests, candidates, slots, seed, decay);
        SensitivityBenchmark bench =
                new SensitivityBenchmark(sim, new Power(alpha, targetPower), checks, minBlocks);
        bench.header(argv, threads, group, loadSeconds);
        System.out.print(bench.out);
        bench.out.setLength(0);
        System.out.flush();

        long simStart = System.nanoTime();
        sim.run(threads, group, verify);
        double simSeconds = (System.nanoTime() - simStart) / 1e9;
        long analysisStart = System.nanoTime();
        for (int v = 0; v < sim.views; v++) {
            bench.view(v);
        }
        double analysisSeconds = (System.nanoTime() - analysisStart) / 1e9;
        bench.footer(simSeconds, analysisSeconds, (System.nanoTime() - started) / 1e9);
        System.out.print(bench.out);
        for (Rankers.CandidateRanker r : rankers) {
            r.close();
        }
    }

    /** DJL as the app configures it: offline, one intra-op and one inter-op thread per call. */
    private static void configureDjl() {
        for (String[] kv :
                new String[][] {
                    {"ai.djl.offline", "true"},
                    {"ai.djl.pytorch.num_threads", "1"},
                    {"ai.djl.pytorch.num_interop_threads", "1"}
                }) {
            if (System.getProperty(kv[0]) == null) {
                System.setProperty(kv[0], kv[1]);
            }
        }
    }

    private void header(String[] argv, int threads, int group, double loadSeconds) {
        line("# Interleaving sensitivity benchmark");
        line("");
        line("- arguments: `%s`", String.join(" ", argv));
        line(
                "- users %,d, %d request(s) each, K = %d candidates, top S = %d shown, seed %d, %d threads",
                sim.users, sim.requests, sim.candidates, sim.slots, sim.seed, threads);
        line(
                "- alpha %.3f two-sided, power %.2f; world seed %d (MarketplaceConfig.defaults())",
                power.alpha(), power.power(), sim.world.config().seed());
        line(
                "- machine: %d processors visible to the JVM, %s, Java %s, load average at start %s",
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                System.getProperty("java.version"),
                loadAverage());
        line("- control: `%s` — %s", sim.rankers[0].key(), sim.rankers[0].describe());
        for (int i = 1; i < sim.rankers.length; i++) {
            line("- challenger: `%s` — %s", sim.rankers[i].key(), sim.rankers[i].describe());
        }
        line(
                "- models loaded in %.1f s; each model scores %d users' requests per forward pass",
                loadSeconds, group);
        line("");
    }

    private void footer(double simSeconds, double analysisSeconds, double totalSeconds) {
        line("## Run");
        line("");
        line(
                "Simulation %.1f s (%,.0f users/s), analysis and checks %.1f s, total %.1f s; CPU time of"
                        + " this process %.1f s; load average at the end %s.",
                simSeconds,
                sim.users / simSeconds,
                analysisSeconds,
                totalSeconds,
                processCpuSeconds(),
                loadAverage());
        StringBuilder s = new StringBuilder("Scoring time per request, summed over threads:");
        long requests = (long) sim.users * sim.requests;
        for (int i = 0; i < sim.rankers.length; i++) {
            s.append(
                    String.format(
                            Locale.ROOT,
                            " %s %.2f ms;",
                            sim.rankers[i].key(),
                            sim.scoringNanos.get(i) / 1e6 / requests));
        }
        line("%s.", s.substring(0, s.length() - 1));
        line(
                "Batched scoring against one forward pass per request (as the app scores), on the first"
                        + " users' requests: %,d model lists compared, %,d with a different top %d, largest"
                        + " relative score difference %.1e.",
                sim.verifiedLists.get(),
                sim.verifyDifferentLists.get(),
                sim.slots,
                Double.longBitsToDouble(sim.verifyMaxRelative.get()));
    }

    /** Per-pair results of one view. */
    private record PairResult(
            String challenger,
            Comparison abRun,
            long abRunPerArm,
            double ecpmA,
            double ecpmB,
            Comparison ctrRun,
            double truthDelta,
            double truthSe,
            double truthMeanA,
            double sdA,
            double sdB,
            long abUsers,
            long abUsersLow,
            long abUsersHigh,
            long abUsersFromRun,
            Power.Check abCheck,
            long abClickUsers,
            PairPreference clicks,
            long ilUsers,
            long ilUsersLow,
            long ilUsersHigh,
            Power.Check ilCheck,
            long ilAlwaysValidUsers,
            Power.Check ilAlwaysValidCheck,
            PairPreference value,
            long ilValueUsers,
            long creditA,
            long creditB,
            double truthCtrLift,
            double truthCtrLiftHalf,
            Power.Moments expectedClickCredit,
            Power.Moments expectedValueCredit) {}

    private void view(int v) {
        String model =
                v == 0
                        ? "the simulator's click model: no position effect (every shown slot is looked at)"
                        : String.format(
                                Locale.ROOT,
                                "with a position effect: slot p is looked at with probability p^-%s"
                                        + " (1, %.2f, %.2f, %.2f for slots 1-4); not the simulator's model",
                                trim(sim.positionDecay),
                                Math.pow(2, -sim.positionDecay),
                                Math.pow(3, -sim.positionDecay),
                                Math.pow(4, -sim.positionDecay));
        line("## View %d: %s", v, model);
        line("");
        List<PairResult> results = new ArrayList<>();
        for (int p = 0; p + 1 < sim.rankers.length; p++) {
            long t0 = System.nanoTime();
            results.add(pair(v, p));
            System.err.printf(
                    "  view %d, %s analysed in %.1f s%n",
                    v, sim.rankers[p + 1].key(), (System.nanoTime() - t0) / 1e9);
        }
        String a = sim.rankers[0].key();

        line(
                "### A/B reference run (users split in two by one seeded coin: half see %s's list, half the"
                        + " challenger's; eCPM = 1000 · revenue / impressions)",
                a);
        line("");
        line(
                "| pair | users per arm | eCPM %s | eCPM challenger | eCPM lift [95%% CI] | p | CTR lift [95%% CI] | p |",
                a);
        line("|---|---|---|---|---|---|---|---|");
        for (PairResult r : results) {
            line(
                    "| %s vs %s | %,d | %.3f | %.3f | %s | %s | %s | %s |",
                    r.challenger,
                    a,
                    r.abRunPerArm,
                    r.ecpmA,
                    r.ecpmB,
                    lift(r.abRun),
                    runP(r.abRun),
                    lift(r.ctrRun),
                    runP(r.ctrRun));
        }
        line("");
        line("### A/B: users for %.0f%% power on eCPM", 100 * power.power());
        line("");
        line(
                "True effect = mean over all %,d users of the difference of the expected revenue of the two"
                        + " lists under the ground truth (paired); sd = per-user revenue sd of each arm over all"
                        + " users; users = both arms together.",
                sim.users);
        line("");
        line(
                "| pair | true eCPM lift ± 1.96 se | revenue sd per user (%s, challenger) | A/B users [range] | simulated power at that size | A/B users planned from the reference run's own means and variances |",
                a);
        line("|---|---|---|---|---|---|");
        for (PairResult r : results) {
            line(
                    "| %s vs %s | %+.1f%% ± %.1f%% | %.4f, %.4f | %s [%s – %s] | %s | %s |",
                    r.challenger,
                    a,
                    100 * r.truthDelta / r.truthMeanA,
                    100 * 1.96 * r.truthSe / r.truthMeanA,
                    r.sdA,
                    r.sdB,
                    users(r.abUsers),
                    users(r.abUsersLow),
                    users(r.abUsersHigh),
                    check(r.abCheck),
                    users(r.abUsersFromRun));
        }
        line("");
        line(
                "### Interleaving (team draft, top %d shown, clicks credited to the contributing arm)",
                sim.slots);
        line("");
        line(
                "| pair | clicks credited %s : challenger | wins %s / challenger / ties | share with a preference | preference Δ [95%% CI] | sign test p | always-valid p | users for %.0f%% power, sign test [range] | simulated power at that size | users for %.0f%% power, always-valid looked at once | simulated power |",
                a, a, 100 * power.power(), 100 * power.power());
        line("|---|---|---|---|---|---|---|---|---|---|---|");
        for (PairResult r : results) {
            PairPreference c = r.clicks;
            line(
                    "| %s vs %s | %,d : %,d | %,d / %,d / %,d | %.3f | %s | %s | %s | %s [%s – %s] | %s | %s | %s |",
                    r.challenger,
                    a,
                    r.creditA,
                    r.creditB,
                    c.winsA(),
                    c.winsB(),
                    c.ties(),
                    (double) c.unitsWithPreference() / c.units(),
                    preference(c),
                    c.fixedHorizon() == null ? "–" : pValue(c.fixedHorizon().pValue()),
                    c.sequential() == null ? "–" : pValue(c.sequential().pValue()),
                    users(r.ilUsers),
                    users(r.ilUsersLow),
                    users(r.ilUsersHigh),
                    check(r.ilCheck),
                    users(r.ilAlwaysValidUsers),
                    checkAlwaysValid(r.ilAlwaysValidCheck));
        }
        line("");
        line("### Sensitivity: A/B on eCPM against interleaving on clicks");
        line("");
        line(
                "| pair | A/B users (eCPM) | interleaving users (clicks, sign test) | ratio [range] | A/B run's winner (p) | true winner (eCPM) | interleaving winner (sign test p) | agrees with the A/B run | agrees with the truth |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (PairResult r : results) {
            String abWinner = winner(r.ecpmB - r.ecpmA, a, r.challenger);
            String truthWinner = winner(r.truthDelta, a, r.challenger);
            boolean truthResolved = Math.abs(r.truthDelta) > 1.96 * r.truthSe;
            String ilWinner =
                    r.clicks.preference() == null
                            ? "–"
                            : winner(r.clicks.preference(), a, r.challenger);
            line(
                    "| %s vs %s | %s | %s | %s [%s – %s] | %s (p %s) | %s%s | %s (p %s) | %s | %s |",
                    r.challenger,
                    a,
                    users(r.abUsers),
                    users(r.ilUsers),
                    ratio(r.abUsers, r.ilUsers),
                    ratio(r.abUsersLow, r.ilUsersHigh),
                    ratio(r.abUsersHigh, r.ilUsersLow),
                    abWinner,
                    runP(r.abRun),
                    truthWinner,
                    truthResolved ? "" : " (not resolved: interval includes 0)",
                    ilWinner,
                    r.clicks.fixedHorizon() == null
                            ? "–"
                            : pValue(r.clicks.fixedHorizon().pValue()),
                    abWinner.equals(ilWinner) ? "yes" : "no",
                    truthWinner.equals(ilWinner) ? "yes" : "no");
        }
        line("");
        line("### What each design measures: expectations under the ground truth over all users");
        line("");
        line(
                "A/B: the challenger's list against %s's, all top %d slots. Interleaving: what the"
                        + " merged list's shown slots credit to the challenger minus to %s, per 1,000 users"
                        + " (± 1.96 se): what the credit totals estimate (the preference counts users who got more, so its sign usually, not necessarily, agrees).",
                a, sim.slots, a);
        line("");
        line(
                "| pair | true eCPM lift (A/B) | true CTR lift (A/B) | expected credited clicks, challenger − %s | expected credited value, challenger − %s |",
                a, a);
        line("|---|---|---|---|---|");
        for (PairResult r : results) {
            line(
                    "| %s vs %s | %+.1f%% ± %.1f%% | %+.1f%% ± %.1f%% | %+.2f ± %.2f | %+.4f ± %.4f |",
                    r.challenger,
                    a,
                    100 * r.truthDelta / r.truthMeanA,
                    100 * 1.96 * r.truthSe / r.truthMeanA,
                    100 * r.truthCtrLift,
                    100 * r.truthCtrLiftHalf,
                    1000 * r.expectedClickCredit.mean(),
                    1000 * 1.96 * r.expectedClickCredit.standardError(),
                    1000 * r.expectedValueCredit.mean(),
                    1000 * 1.96 * r.expectedValueCredit.standardError());
        }
        line("");
        line("### Other metrics (same users)");
        line("");
        line(
                "| pair | A/B users on clicks per user | ratio to interleaving on clicks | interleaving on credited value: Δ [95%% CI], share with a preference | users | ratio A/B eCPM ÷ interleaving value |");
        line("|---|---|---|---|---|---|");
        for (PairResult r : results) {
            line(
                    "| %s vs %s | %s | %s | %s, %.4f | %s | %s |",
                    r.challenger,
                    a,
                    users(r.abClickUsers),
                    ratio(r.abClickUsers, r.ilUsers),
                    preference(r.value),
                    (double) r.value.unitsWithPreference() / r.value.units(),
                    users(r.ilValueUsers),
                    ratio(r.abUsers, r.ilValueUsers));
        }
        line("");
    }

    private PairResult pair(int v, int p) {
        int b = p + 1;
        int n = sim.users;
        double[] yA = sim.revenue[v][0];
        double[] yB = sim.revenue[v][b];
        double impressions = (double) sim.slots * sim.requests;

        // the reference A/B run: a seeded coin per user, the same for every pair (as one experiment
        // with a shared control half and each challenger shown to the other half)
        double[] sumA = new double[3];
        double[] sumB = new double[3];
        double[] clickA = new double[3];
        double[] clickB = new double[3];
        long coinSeed = Marketplace.splitSeed(sim.seed, 7_000_000);
        for (int u = 0; u < n; u++) {
            boolean armB = (Marketplace.splitSeed(coinSeed, u) & 1) == 1;
            double y = armB ? yB[u] : yA[u];
            double c = armB ? sim.clicks[v][b][u] : sim.clicks[v][0][u];
            double[] s = armB ? sumB : sumA;
            double[] cs = armB ? clickB : clickA;
            s[0]++;
            s[1] += y;
            s[2] += y * y;
            cs[0]++;
            cs[1] += c;
            cs[2] += c * c;
        }
        Comparison run = power.compareRelative(sumA, sumB);
        Comparison ctr = power.compareRelative(clickA, clickB);

        // the true effect, paired over all users, and each arm's per-user variance
        double[] diff = new double[n];
        double[] clickDiff = new double[n];
        for (int u = 0; u < n; u++) {
            diff[u] = sim.expectedRevenue[v][b][u] - sim.expectedRevenue[v][0][u];
            clickDiff[u] = sim.expectedClicks[v][b][u] - sim.expectedClicks[v][0][u];
        }
        Power.Moments truth = Power.Moments.of(diff);
        Power.Moments truthA = Power.Moments.of(sim.expectedRevenue[v][0]);
        Power.Moments mA = Power.Moments.of(yA);
        Power.Moments mB = Power.Moments.of(yB);
        double delta = truth.mean();
        double half = 1.96 * truth.standardError();
        long perArm = power.abPerArm(mA.variance(), mB.variance(), delta);
        long perArmLow =
                power.abPerArm(
                        mA.variance(),
                        mB.variance(),
                        Math.signum(delta) * (Math.abs(delta) + half));
        long perArmHigh =
                Math.abs(delta) > half
                        ? power.abPerArm(
                                mA.variance(),
                                mB.variance(),
                                Math.signum(delta) * (Math.abs(delta) - half))
                        : Power.UNBOUNDED;
        // what planning from the reference run's own arms would give
        double runVarA = (sumA[2] - sumA[1] * sumA[1] / sumA[0]) / (sumA[0] - 1);
        double runVarB = (sumB[2] - sumB[1] * sumB[1] / sumB[0]) / (sumB[0] - 1);
        long fromRun = power.abPerArm(runVarA, runVarB, sumB[1] / sumB[0] - sumA[1] / sumA[0]);
        Power.Check abCheck =
                power.abCheck(
                        yA, yB, perArm, delta, Math.min(checks, 200), minBlocks, sim.seed + 11 * b);

        double[] cA = toDouble(sim.clicks[v][0]);
        double[] cB = toDouble(sim.clicks[v][b]);
        Power.Moments clickTruth = Power.Moments.of(clickDiff);
        Power.Moments clickTruthA = Power.Moments.of(sim.expectedClicks[v][0]);
        long clickPerArm =
                power.abPerArm(
                        Power.Moments.of(cA).variance(),
                        Power.Moments.of(cB).variance(),
                        Power.Moments.of(clickDiff).mean());

        // interleaving
        byte[] clickSign = new byte[n];
        byte[] valueSign = new byte[n];
        long creditA = 0;
        long creditB = 0;
        PreferenceCounts clickCounts =
                PreferenceCounts.empty(sim.rankers[0].key(), sim.rankers[b].key());
        PreferenceCounts valueCounts = clickCounts;
        for (int u = 0; u < n; u++) {
            int ca = sim.ilClicksA[v][p][u];
            int cb = sim.ilClicksB[v][p][u];
            creditA += ca;
            creditB += cb;
            clickSign[u] = (byte) Integer.signum(cb - ca);
            valueSign[u] =
                    (byte)
                            Integer.signum(
                                    Double.compare(sim.ilValueB[v][p][u], sim.ilValueA[v][p][u]));
        }
        clickCounts = counts(clickCounts, clickSign);
        valueCounts = counts(valueCounts, valueSign);
        PairPreference clicks = power.analyze(clickCounts);
        PairPreference value = power.analyze(valueCounts);
        long ilUsers = Power.UNBOUNDED;
        long ilLow = Power.UNBOUNDED;
        long ilHigh = Power.UNBOUNDED;
        Power.Check ilCheck = null;
        long ilAvUsers = Power.UNBOUNDED;
        Power.Check ilAvCheck = null;
        if (clicks.preference() != null) {
            double q = (double) clicks.unitsWithPreference() / clicks.units();
            double pb = (double) clicks.winsB() / clicks.unitsWithPreference();
            ilUsers = power.interleavingUsers(pb, q);
            List<Double> ci = clicks.fixedHorizon().winProbabilityCi();
            // the interval's bound farther from ½ needs the fewest users
            double far = pb > 0.5 ? ci.get(1) : ci.get(0);
            double near = pb > 0.5 ? ci.get(0) : ci.get(1);
            ilLow = power.interleavingUsers(far, q);
            ilHigh =
                    (near - 0.5) * (pb - 0.5) > 0
                            ? power.interleavingUsers(near, q)
                            : Power.UNBOUNDED;
            ilCheck =
                    power.interleavingCheck(
                            clickSign,
                            ilUsers,
                            (int) Math.signum(clicks.preference()),
                            checks,
                            minBlocks,
                            sim.seed + 13 * b);
            ilAvUsers = power.alwaysValidUsers(pb, q, ExperimentAnalysis.DEFAULT_SEQUENTIAL_TUNING);
            ilAvCheck =
                    power.interleavingCheck(
                            clickSign,
                            ilAvUsers,
                            (int) Math.signum(clicks.preference()),
                            checks,
                            minBlocks,
                            sim.seed + 17 * b);
        }
        long ilValueUsers = Power.UNBOUNDED;
        if (value.preference() != null) {
            ilValueUsers =
                    power.interleavingUsers(
                            (double) value.winsB() / value.unitsWithPreference(),
                            (double) value.unitsWithPreference() / value.units());
        }
        return new PairResult(
                sim.rankers[b].key(),
                run,
                (long) Math.min(sumA[0], sumB[0]),
                1000 * sumA[1] / sumA[0] / impressions,
                1000 * sumB[1] / sumB[0] / impressions,
                ctr,
                delta,
                truth.standardError(),
                truthA.mean(),
                Math.sqrt(mA.variance()),
                Math.sqrt(mB.variance()),
                twice(perArm),
                twice(perArmLow),
                twice(perArmHigh),
                twice(fromRun),
                abCheck,
                twice(clickPerArm),
                clicks,
                ilUsers,
                ilLow,
                ilHigh,
                ilCheck,
                ilAvUsers,
                ilAvCheck,
                value,
                ilValueUsers,
                creditA,
                creditB,
                clickTruth.mean() / clickTruthA.mean(),
                1.96 * clickTruth.standardError() / clickTruthA.mean(),
                Power.Moments.of(sim.ilExpectedClickDiff[v][p]),
                Power.Moments.of(sim.ilExpectedValueDiff[v][p]));
    }

    private static PreferenceCounts counts(PreferenceCounts empty, byte[] sign) {
        long winsA = 0;
        long winsB = 0;
        for (byte s : sign) {
            if (s > 0) {
                winsB++;
            } else if (s < 0) {
                winsA++;
            }
        }
        return new PreferenceCounts(
                empty.a(), empty.b(), winsA, winsB, sign.length - winsA - winsB);
    }

    private static long twice(long perArm) {
        return perArm == Power.UNBOUNDED || perArm > Long.MAX_VALUE / 2
                ? Power.UNBOUNDED
                : 2 * perArm;
    }

    private static double[] toDouble(int[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static String winner(double estimate, String a, String b) {
        return estimate > 0 ? b : estimate < 0 ? a : "tie";
    }

    private static String users(long n) {
        return n == Power.UNBOUNDED ? "∞" : String.format(Locale.ROOT, "%,d", n);
    }

    private static String ratio(long ab, long il) {
        if (ab == Power.UNBOUNDED && il == Power.UNBOUNDED) {
            return "–";
        }
        if (ab == Power.UNBOUNDED) {
            return "∞";
        }
        if (il == Power.UNBOUNDED) {
            return "0";
        }
        double r = (double) ab / il;
        return String.format(Locale.ROOT, r >= 10 ? "%,.0f×" : "%.1f×", r);
    }

    private static String lift(Comparison c) {
        if (c.estimate() == null || c.fixedHorizon() == null) {
            return "– (" + c.error() + ")";
        }
        return String.format(
                Locale.ROOT,
                "%+.1f%% [%+.1f%%, %+.1f%%]",
                100 * c.estimate(),
                100 * c.fixedHorizon().ci().get(0),
                100 * c.fixedHorizon().ci().get(1));
    }

    private static String preference(PairPreference p) {
        if (p.preference() == null) {
            return "– (" + p.error() + ")";
        }
        return String.format(
                Locale.ROOT,
                "%+.3f [%+.3f, %+.3f]",
                p.preference(),
                p.fixedHorizon().ci().get(0),
                p.fixedHorizon().ci().get(1));
    }

    private static String runP(Comparison c) {
        return c.fixedHorizon() != null ? pValue(c.fixedHorizon().pValue()) : "–";
    }

    private static String pValue(double p) {
        return p < 1e-4
                ? String.format(Locale.ROOT, "%.1e", p)
                : String.format(Locale.ROOT, "%.4f", p);
    }

    private static String check(Power.Check c) {
        if (c == null) {
            return "–";
        }
        return String.format(
                Locale.ROOT, "%.3f (%,d %s experiments)", c.power(), c.experiments(), c.method());
    }

    private static String checkAlwaysValid(Power.Check c) {
        if (c == null) {
            return "–";
        }
        return String.format(
                Locale.ROOT,
                "%.3f (%,d %s experiments)",
                c.alwaysValidPower(),
                c.experiments(),
                c.method());
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private void line(String format, Object... values) {
        out.append(String.format(Locale.ROOT, format, values)).append('\n');
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("cpu model unknown");
        } catch (IOException | RuntimeException e) {
            return "cpu model unknown";
        }
    }

    private static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
