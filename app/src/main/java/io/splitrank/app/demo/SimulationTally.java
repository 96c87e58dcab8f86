package io.splitrank.app.demo;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the simulator sent, per arm: the counts the platform's report must show as its numerators
 * and denominators (units exposed, impressions, clicks, conversions per type, revenue). Units
 * outside the experiment are tallied under {@link #OUTSIDE}; the report leaves them out.
 */
public final class SimulationTally {

    /** The pseudo-arm of units the experiment did not admit. */
    public static final String OUTSIDE = "(outside)";

    /** One arm's counts; thread-safe. */
    public static final class Arm {
        final LongAdder units = new LongAdder();
        final LongAdder requests = new LongAdder();
        final LongAdder impressions = new LongAdder();
        final LongAdder clicks = new LongAdder();
        final Map<String, LongAdder> conversions = new ConcurrentHashMap<>();
        final DoubleAdder revenue = new DoubleAdder();

        public long units() {
            return units.sum();
        }

        public long requests() {
            return requests.sum();
        }

        public long impressions() {
            return impressions.sum();
        }

        public long clicks() {
            return clicks.sum();
        }

        /** Conversions by type. */
        public Map<String, Long> conversions() {
            Map<String, Long> out = new TreeMap<>();
            conversions.forEach((type, n) -> out.put(type, n.sum()));
            return out;
        }

        public long allConversions() {
            return conversions.values().stream().mapToLong(LongAdder::sum).sum();
        }

        public double revenue() {
            return revenue.sum();
        }
    }

    private final Map<String, Arm> arms = new ConcurrentHashMap<>();
    final LongAdder errors = new LongAdder();
    final LongAdder events = new LongAdder();
    final LongAdder users = new LongAdder();

    Arm arm(String key) {
        return arms.computeIfAbsent(key, k -> new Arm());
    }

    /** Every arm's counts, by arm key. */
    public Map<String, Arm> arms() {
        return new TreeMap<>(arms);
    }

    /** Requests or event batches that failed for good (after retries). */
    public long errors() {
        return errors.sum();
    }

    /** Events the platform accepted. */
    public long events() {
        return events.sum();
    }

    /** Simulated users done. */
    public long users() {
        return users.sum();
    }
}
