package io.splitrank.models.marketplace;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Live traffic for the online simulation: a seeded stream of requests (a user drawn in proportion
 * to activity, a scenario by traffic share) and the user's response to whichever ad an experiment
 * arm chose, drawn from the same ground truth as the logged data. Deterministic in (world, seed)
 * for a given sequence of calls; calls are serialised, so one instance may be shared by threads (at
 * the cost of a call order that depends on scheduling).
 */
public final class LiveTraffic {

    /**
     * One request to rank ads for.
     *
     * @param user the user index
     * @param scenario the scenario index
     * @param scenarioName the scenario name
     * @param userFeatures the user's raw features by name, for {@link FeatureEncoder}
     */
    public record Request(
            int user, int scenario, String scenarioName, Map<String, Object> userFeatures) {}

    private final Marketplace marketplace;
    private final SplittableRandom rng;

    /** A request stream over {@code marketplace} seeded with {@code seed}. */
    public LiveTraffic(Marketplace marketplace, long seed) {
        this.marketplace = marketplace;
        this.rng = new SplittableRandom(seed);
    }

    /** The next request. */
    public synchronized Request nextRequest() {
        int user = marketplace.drawUser(rng);
        int scenario = marketplace.drawScenario(rng);
        return new Request(
                user,
                scenario,
                marketplace.featureSpec().scenarios().get(scenario),
                marketplace.userFeatures(user));
    }

    /** The next request of a given user (a returning visitor): only the scenario is drawn. */
    public synchronized Request nextRequest(int user) {
        if (user < 0 || user >= marketplace.numUsers()) {
            throw new IllegalArgumentException("no user " + user);
        }
        int scenario = marketplace.drawScenario(rng);
        return new Request(
                user,
                scenario,
                marketplace.featureSpec().scenarios().get(scenario),
                marketplace.userFeatures(user));
    }

    /** A user drawn in proportion to activity, as {@link #nextRequest()} draws them. */
    public synchronized int drawUser() {
        return marketplace.drawUser(rng);
    }

    /**
     * {@code k} distinct ads drawn uniformly from the catalogue: the candidates of one request,
     * drawn the same way whichever arm ranks them.
     */
    public synchronized int[] drawCandidates(int k) {
        int n = marketplace.numAds();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
        }
        // Floyd's sampling: k distinct indices with k draws, in the order drawn
        LinkedHashSet<Integer> chosen = new LinkedHashSet<>();
        for (int j = n - k; j < n; j++) {
            int t = rng.nextInt(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The user's response to being shown {@code ad} for {@code request}. */
    public synchronized Outcome respond(Request request, int ad) {
        return marketplace.drawOutcome(request.user(), ad, request.scenario(), rng);
    }
}
