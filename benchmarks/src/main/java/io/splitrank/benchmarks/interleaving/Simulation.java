package io.splitrank.benchmarks.interleaving;

import io.splitrank.experiments.FnvHash;
import io.splitrank.experiments.InterleavedItem;
import io.splitrank.experiments.TeamDraft;
import io.splitrank.models.marketplace.Bid;
import io.splitrank.models.marketplace.GroundTruth;
import io.splitrank.models.marketplace.LiveTraffic;
import io.splitrank.models.marketplace.Marketplace;
import io.splitrank.models.marketplace.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The users of the benchmark and what each would do under every ranker and every interleaved pair.
 *
 * <p>User {@code n} is drawn as {@code TrafficSimulator} draws it: a {@link LiveTraffic} stream
 * seeded with {@code Marketplace.splitSeed(seed, n)} draws the marketplace user by activity, then
 * per request the scenario by traffic share and K distinct candidate ads uniformly. Every ranker
 * ranks the same candidates. The user's response to each candidate ad is drawn once from the ground
 * truth ({@link LiveTraffic#respond}, on a stream of its own per request and ad), so the same ad
 * shown to the same user in the same request gets the same click, conversion and amount whichever
 * list showed it (common random numbers: the potential outcomes of one user). What the platform
 * charges is {@link Bid#charge}.
 *
 * <p>Views: view 0 is the simulator's click model, with no position effect (a shown ad's click does
 * not depend on its slot); view 1, when {@code positionDecay > 0}, adds an examination model: slot
 * p (1-based) is looked at with probability p<sup>−decay</sup>, one uniform per request and slot
 * shared by every list, and only a looked-at ad can be clicked.
 *
 * <p>Per user, view and ranker: the revenue and clicks of its top S (as an A/B arm would show them)
 * and their expectations under the ground truth. Per user, view and pair (control, challenger c):
 * the clicks and conversion value on the top S of the team-draft merged list credited to each side,
 * the merge seeded as the app seeds it (FNV-1a of the unit id and the candidates' item ids). Only
 * the S shown positions count.
 *
 * <p>Each model scores a group of users' requests in one forward pass (rows are independent; the
 * first users are also scored one request per pass, as the app does, and the lists compared).
 * Deterministic in its arguments whatever the number of threads: every user has its own streams and
 * its own slots in the arrays.
 */
final class Simulation {

    final Marketplace world;
    final Rankers.CandidateRanker[] rankers;
    final int users;
    final int requests;
    final int candidates;
    final int slots;
    final long seed;
    final double positionDecay;
    final int views;

    /** [view][ranker][user]. */
    final double[][][] revenue;

    final double[][][] expectedRevenue;
    final int[][][] clicks;
    final double[][][] expectedClicks;

    /** [view][pair][user]; pair p is rankers[0] (a) against rankers[p + 1] (b). */
    final int[][][] ilClicksA;

    final int[][][] ilClicksB;
    final double[][][] ilValueA;
    final double[][][] ilValueB;

    /**
     * [view][pair][user]: the expectation under the ground truth of the clicks and of the value
     * credited to b minus those credited to a (what the interleaving estimates, without noise).
     */
    final double[][][] ilExpectedClickDiff;

    final double[][][] ilExpectedValueDiff;

    /** Nanoseconds spent scoring, per ranker, summed over threads. */
    final AtomicLongArray scoringNanos;

    /** Verification of batched scoring: lists compared, lists whose top S differ, max relative. */
    final AtomicLong verifiedLists = new AtomicLong();

    final AtomicLong verifyDifferentLists = new AtomicLong();
    final AtomicLong verifyMaxRelative = new AtomicLong(Double.doubleToLongBits(0));

    Simulation(
            Marketplace world,
            Rankers.CandidateRanker[] rankers,
            int users,
            int requests,
            int candidates,
            int slots,
            long seed,
            double positionDecay) {
        this.world = world;
        this.rankers = rankers;
        this.users = users;
        this.requests = requests;
        this.candidates = candidates;
        this.slots = slots;
        this.seed = seed;
        this.positionDecay = positionDecay;
        this.views = positionDecay > 0 ? 2 : 1;
        int k = rankers.length;
        int pairs = k - 1;
        revenue = new double[views][k][users];
        expectedRevenue = new double[views][k][users];
        clicks = new int[views][k][users];
        expectedClicks = new double[views][k][users];
        ilClicksA = new int[views][pairs][users];
        ilClicksB = new int[views][pairs][users];
        ilValueA = new double[views][pairs][users];
        ilValueB = new double[views][pairs][users];
        ilExpectedClickDiff = new double[views][pairs][users];
        ilExpectedValueDiff = new double[views][pairs][users];
        scoringNanos = new AtomicLongArray(k);
    }

    /**
     * Simulates every user on {@code threads} threads, {@code group} users' requests per forward
     * pass of each model, reporting progress to stderr; the first {@code verify} users' requests
     * are also scored one request per pass, as the app scores them, and compared.
     */
    void run(int threads, int group, int verify) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long started = System.nanoTime();
        int chunk = Math.max(group, 200 / group * group);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < users; from += chunk) {
                int start = from;
                int end = Math.min(users, from + chunk);
                futures.add(
                        pool.submit(
                                () -> {
                                    for (int n = start; n < end; n += group) {
                                        simulateGroup(n, Math.min(end, n + group), verify);
                                    }
                                    long d = done.addAndGet(end - start);
                                    long before = d - (end - start);
                                    if (before * 10 / users != d * 10 / users) {
                                        double s = (System.nanoTime() - started) / 1e9;
                                        System.err.printf(
                                                "  %,d of %,d users simulated (%.0f s, %.0f users/s)%n",
                                                d, users, s, d / s);
                                    }
                                    return null;
                                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a simulated user failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Examination probability of slot {@code s} (0-based) in view {@code v}. */
    private double examination(int v, int s) {
        return v == 0 ? 1.0 : Math.pow(s + 1, -positionDecay);
    }

    /** One request of one user, drawn before anything is scored. */
    private record Drawn(
            int n, int r, long userSeed, String unit, LiveTraffic.Request request, int[] ads) {}

    private void simulateGroup(int from, int to, int verify) {
        List<Drawn> drawn = new ArrayList<>();
        for (int n = from; n < to; n++) {
            // as TrafficSimulator: the user's own stream draws the user, then per request the
            // scenario and the candidates
            long userSeed = Marketplace.splitSeed(seed, n);
            LiveTraffic traffic = new LiveTraffic(world, userSeed);
            int user = traffic.drawUser();
            String unit = "sim" + seed + "-" + n;
            for (int r = 0; r < requests; r++) {
                LiveTraffic.Request request = traffic.nextRequest(user);
                drawn.add(
                        new Drawn(
                                n, r, userSeed, unit, request, traffic.drawCandidates(candidates)));
            }
        }
        List<LiveTraffic.Request> reqs = drawn.stream().map(Drawn::request).toList();
        List<int[]> ads = drawn.stream().map(Drawn::ads).toList();
        long[] seeds = new long[drawn.size()];
        for (int q = 0; q < seeds.length; q++) {
            seeds[q] = Marketplace.splitSeed(drawn.get(q).userSeed(), -1 - drawn.get(q).r());
        }
        int k = rankers.length;
        double[][][] scores = new double[k][][];
        for (int i = 0; i < k; i++) {
            long t0 = System.nanoTime();
            scores[i] = rankers[i].scores(reqs, ads, seeds);
            scoringNanos.addAndGet(i, System.nanoTime() - t0);
        }
        for (int q = 0; q < drawn.size(); q++) {
            int[][] order = new int[k][];
            for (int i = 0; i < k; i++) {
                order[i] = Rankers.order(scores[i][q]);
            }
            Drawn d = drawn.get(q);
            if (d.n() < verify) {
                verify(d, scores, q, order);
            }
            respond(d, order);
        }
    }

    /** Compares the batched scores of one request with one forward pass per request (the app's). */
    private void verify(Drawn d, double[][][] scores, int q, int[][] order) {
        for (int i = 0; i < rankers.length; i++) {
            if (!rankers[i].batches()) {
                continue;
            }
            double[] single = rankers[i].scores(d.request(), d.ads(), 0);
            double[] batched = scores[i][q];
            for (int c = 0; c < single.length; c++) {
                double rel =
                        single[c] == batched[c]
                                ? 0
                                : Math.abs(single[c] - batched[c]) / Math.abs(single[c]);
                verifyMaxRelative.accumulateAndGet(
                        Double.doubleToLongBits(rel),
                        (x, y) -> Double.longBitsToDouble(x) >= Double.longBitsToDouble(y) ? x : y);
            }
            int[] app = Rankers.order(single);
            boolean same = true;
            for (int s = 0; s < slots && s < app.length; s++) {
                same &= app[s] == order[i][s];
            }
            verifiedLists.incrementAndGet();
            if (!same) {
                verifyDifferentLists.incrementAndGet();
            }
        }
    }

    private void respond(Drawn d, int[][] order) {
        int n = d.n();
        int r = d.r();
        int[] ads = d.ads();
        int k = rankers.length;
        Responses responses =
                new Responses(
                        d.request(), ads, Marketplace.splitSeed(d.userSeed(), -1_000_000 - r));
        double[] looked = new double[slots];
        SplittableRandom examine =
                new SplittableRandom(Marketplace.splitSeed(d.userSeed(), -2_000_000 - r));
        for (int s = 0; s < slots; s++) {
            looked[s] = examine.nextDouble();
        }
        String[] itemIds = new String[ads.length];
        Map<String, Integer> index = new HashMap<>();
        // as RankService seeds the merge: FNV-1a of the unit id and the candidates' item ids
        StringBuilder mergeSeed = new StringBuilder(d.unit());
        for (int c = 0; c < ads.length; c++) {
            itemIds[c] = "a" + ads[c];
            index.put(itemIds[c], c);
            mergeSeed.append('\u0000').append(itemIds[c]);
        }
        long ilSeed = FnvHash.fnv1a32(mergeSeed);
        List<List<String>> lists = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            List<String> ids = new ArrayList<>(ads.length);
            for (int c : order[i]) {
                ids.add(itemIds[c]);
            }
            lists.add(ids);
        }
        List<List<InterleavedItem>> merged = new ArrayList<>(k - 1);
        for (int p = 0; p + 1 < k; p++) {
            merged.add(
                    TeamDraft.interleave(List.of(lists.get(0), lists.get(p + 1)), ilSeed, slots));
        }
        for (int v = 0; v < views; v++) {
            for (int i = 0; i < k; i++) {
                for (int s = 0; s < slots && s < ads.length; s++) {
                    int c = order[i][s];
                    double e = examination(v, s);
                    expectedRevenue[v][i][n] += e * responses.expectedRevenue(c);
                    expectedClicks[v][i][n] += e * responses.pClick(c);
                    if (looked[s] < e && responses.outcome(c).click()) {
                        clicks[v][i][n]++;
                        revenue[v][i][n] += responses.charge(c);
                    }
                }
            }
            for (int p = 0; p + 1 < k; p++) {
                List<InterleavedItem> list = merged.get(p);
                for (int s = 0; s < list.size(); s++) {
                    InterleavedItem item = list.get(s);
                    int c = index.get(item.itemId());
                    double e = examination(v, s);
                    double side = item.arm() == 0 ? -1 : 1;
                    ilExpectedClickDiff[v][p][n] += side * e * responses.pClick(c);
                    ilExpectedValueDiff[v][p][n] += side * e * responses.expectedRevenue(c);
                    // only shown, looked-at positions can be clicked and credited
                    if (!(looked[s] < e) || !responses.outcome(c).click()) {
                        continue;
                    }
                    double value = responses.charge(c);
                    if (item.arm() == 0) {
                        ilClicksA[v][p][n]++;
                        ilValueA[v][p][n] += value;
                    } else {
                        ilClicksB[v][p][n]++;
                        ilValueB[v][p][n] += value;
                    }
                }
            }
        }
    }

    /**
     * One request's responses, drawn lazily per candidate from a stream of the candidate's own, so
     * that what is drawn does not depend on which candidates were shown or in what order.
     */
    private final class Responses {
        private final LiveTraffic.Request request;
        private final int[] ads;
        private final long seed;
        private final Outcome[] outcomes;
        private final GroundTruth[] truths;

        Responses(LiveTraffic.Request request, int[] ads, long seed) {
            this.request = request;
            this.ads = ads;
            this.seed = seed;
            this.outcomes = new Outcome[ads.length];
            this.truths = new GroundTruth[ads.length];
        }

        Outcome outcome(int c) {
            if (outcomes[c] == null) {
                LiveTraffic own = new LiveTraffic(world, Marketplace.splitSeed(seed, ads[c]));
                outcomes[c] = own.respond(request, ads[c]);
            }
            return outcomes[c];
        }

        /** What the platform charges for the candidate's outcome (0 without a conversion). */
        double charge(int c) {
            return world.bidOf(ads[c]).charge(outcome(c));
        }

        GroundTruth truth(int c) {
            if (truths[c] == null) {
                truths[c] = world.truth(request.user(), ads[c], request.scenario());
            }
            return truths[c];
        }

        double pClick(int c) {
            return truth(c).pClick();
        }

        /** E[charge] of showing the candidate (looked at): pClick · pConversion · price. */
        double expectedRevenue(int c) {
            GroundTruth t = truth(c);
            return world.bidOf(ads[c])
                    .expectedRevenue(t.pClick(), t.pConversion(), t.expectedAmount());
        }
    }
}
