package io.splitrank.experiments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Team-draft interleaving of two rankings (Radlinski, Kurup and Joachims, CIKM 2008) and team-draft
 * multileaving of more (Schuth et al., CIKM 2014): one list merged from the arms' rankings, each
 * item credited to the arm that contributed it, so that a user's clicks compare the rankers
 * directly.
 *
 * <p>The merge goes in rounds. In each round every arm picks once, in an order drawn at random for
 * that round (for two arms: a coin decides which arm goes first); an arm picks the highest-ranked
 * item of its own ranking that is not in the merged list yet and is credited with it. An arm whose
 * ranking has no such item left skips its turn. The merge stops at the requested length or when
 * every ranking is used up. Consequences the tests check: every item comes from the ranking of the
 * arm credited with it, no item appears twice, each arm's items keep its own order, and the arms
 * that still have items have picked equally often, within one, at every point of the list.
 *
 * <p>The round orders come from {@link SplittableRandom} seeded with the caller's seed (derived
 * from the unit and the request), so the same rankings and seed give the same list. The JDK does
 * not specify that generator's sequence; {@code TeamDraftTest} pins the lists of a few seeds, so a
 * JDK that changed it would fail the build rather than silently re-deal replayed requests.
 *
 * <p>Pure and thread-safe; the rankings are not modified. A ranking may repeat an item (the repeat
 * is skipped) and may be empty.
 */
public final class TeamDraft {

    private TeamDraft() {}

    /**
     * Merges all distinct items of the rankings.
     *
     * @see #interleave(List, long, int)
     */
    public static List<InterleavedItem> interleave(
            List<? extends List<String>> rankings, long seed) {
        return interleave(rankings, seed, Integer.MAX_VALUE);
    }

    /**
     * Merges the rankings into a list of {@code min(length, number of distinct items)} items.
     * Shorter lengths give prefixes of longer ones for the same seed.
     *
     * @param rankings each arm's ranking of item ids, best first; at least two; the index of a
     *     ranking is the arm of {@link InterleavedItem#arm()}
     * @param seed the seed of the round orders, e.g. a hash of the unit id and the request
     * @param length the largest length of the merged list, non-negative
     * @return the merged list, best first, each item with the arm credited with it
     * @throws IllegalArgumentException with fewer than two rankings or a negative length
     * @throws NullPointerException when a ranking or an item id is null
     */
    public static List<InterleavedItem> interleave(
            List<? extends List<String>> rankings, long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        return merge(rankings, length, () -> shuffledArms(rankings.size(), random));
    }

    /**
     * The merge with the round orders given: {@code roundOrder} returns, for each round, a
     * permutation of the arm indices. Package-private so that tests can follow worked examples coin
     * by coin.
     */
    static List<InterleavedItem> merge(
            List<? extends List<String>> rankings, int length, Supplier<int[]> roundOrder) {
        validate(rankings, length);
        int arms = rankings.size();
        int target = Math.min(length, distinctItems(rankings));
        List<InterleavedItem> merged = new ArrayList<>(target);
        Set<String> used = new HashSet<>();
        // next[arm]: position of the arm's next candidate; only ever moves forward, because an item
        // once in the merged list stays there
        int[] next = new int[arms];
        while (merged.size() < target) {
            for (int arm : roundOrder.get()) {
                if (merged.size() == target) {
                    break;
                }
                List<String> ranking = rankings.get(arm);
                while (next[arm] < ranking.size() && used.contains(ranking.get(next[arm]))) {
                    next[arm]++;
                }
                if (next[arm] == ranking.size()) {
                    continue; // exhausted: skips its turn
                }
                String item = ranking.get(next[arm]++);
                used.add(item);
                merged.add(new InterleavedItem(item, arm));
            }
        }
        return List.copyOf(merged);
    }

    /** A Fisher–Yates shuffle of 0 … arms − 1; for two arms, one coin. */
    private static int[] shuffledArms(int arms, SplittableRandom random) {
        int[] order = new int[arms];
        for (int i = 0; i < arms; i++) {
            order[i] = i;
        }
        for (int i = arms - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static int distinctItems(List<? extends List<String>> rankings) {
        Set<String> items = new HashSet<>();
        for (List<String> ranking : rankings) {
            items.addAll(ranking);
        }
        return items.size();
    }

    private static void validate(List<? extends List<String>> rankings, int length) {
        Objects.requireNonNull(rankings, "rankings must not be null");
        if (rankings.size() < 2) {
            throw new IllegalArgumentException(
                    "at least two rankings are needed, got " + rankings.size());
        }
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        for (int arm = 0; arm < rankings.size(); arm++) {
            List<String> ranking = rankings.get(arm);
            Objects.requireNonNull(ranking, "ranking " + arm + " must not be null");
            for (String item : ranking) {
                Objects.requireNonNull(item, "ranking " + arm + " holds a null item id");
            }
        }
    }
}
