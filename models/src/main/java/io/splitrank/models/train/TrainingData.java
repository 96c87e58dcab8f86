package io.splitrank.models.train;

import io.splitrank.models.data.ImpressionLog;
import java.util.Random;
import java.util.function.LongFunction;

/**
 * Where a {@link RankingTrainer} takes its training impressions from: an endless sequence of
 * chunks, each gone through once in the given order.
 *
 * <ul>
 *   <li>{@link #stream}: fresh impressions, chunk {@code c} logged by a generator with its own
 *       seed, so no impression is seen twice however large the budget (the marketplace's logging
 *       policy never runs out);
 *   <li>{@link #epochs}: one fixed log, reshuffled for every pass (small tests).
 * </ul>
 */
public interface TrainingData {

    /** The next chunk: its rows are visited in {@code order} (row indices of {@code log}). */
    Chunk next();

    /** One chunk of training rows. */
    record Chunk(ImpressionLog log, int[] order) {}

    /**
     * Fresh chunks of {@code chunkSize} impressions: chunk {@code c} (0, 1, …) is {@code
     * generator.apply(c)}, which must log fresh impressions (e.g. with a seed derived from {@code
     * c}). Rows are visited in logged order: logged impressions are already independent draws.
     */
    static TrainingData stream(LongFunction<ImpressionLog> generator) {
        return new TrainingData() {
            private long chunk;

            @Override
            public Chunk next() {
                ImpressionLog log = generator.apply(chunk++);
                return new Chunk(log, identity(log.size()));
            }
        };
    }

    /** Passes over one fixed log, each in a new order shuffled with {@code seed}. */
    static TrainingData epochs(ImpressionLog log, long seed) {
        return new TrainingData() {
            private final Random random = new Random(seed);
            private final int[] order = identity(log.size());

            @Override
            public Chunk next() {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int tmp = order[i];
                    order[i] = order[j];
                    order[j] = tmp;
                }
                return new Chunk(log, order.clone());
            }
        };
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
