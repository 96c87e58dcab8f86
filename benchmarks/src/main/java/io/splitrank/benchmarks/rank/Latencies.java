package io.splitrank.benchmarks.rank;

import io.splitrank.benchmarks.CpuShare;
import java.util.Arrays;
import java.util.Locale;

/**
 * Latencies of one measured phase and their order statistics (nearest rank: p99 of 2,000 calls is
 * the 1,980th smallest).
 *
 * @param millis every call's latency, sorted
 * @param seconds the phase's wall-clock time, for throughput
 * @param cpu the cores the benchmark's processes and all others used meanwhile, or null if unknown
 */
record Latencies(double[] millis, double seconds, CpuShare.Usage cpu) {

    static Latencies of(long[] nanos, long wallNanos, CpuShare.Usage cpu) {
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        Arrays.sort(ms);
        return new Latencies(ms, wallNanos / 1e9, cpu);
    }

    /** Both halves of a phase measured in two parts (before and after something else) as one. */
    static Latencies pooled(Latencies a, Latencies b) {
        double[] ms = Arrays.copyOf(a.millis, a.millis.length + b.millis.length);
        System.arraycopy(b.millis, 0, ms, a.millis.length, b.millis.length);
        Arrays.sort(ms);
        return new Latencies(
                ms,
                a.seconds + b.seconds,
                CpuShare.Usage.pooled(a.cpu, a.seconds, b.cpu, b.seconds));
    }

    int count() {
        return millis.length;
    }

    /** The nearest-rank percentile, {@code p} in (0, 1]. */
    double percentile(double p) {
        int rank = (int) Math.ceil(p * millis.length);
        return millis[Math.max(0, Math.min(millis.length, rank) - 1)];
    }

    double p50() {
        return percentile(0.50);
    }

    double p90() {
        return percentile(0.90);
    }

    double p99() {
        return percentile(0.99);
    }

    double max() {
        return millis[millis.length - 1];
    }

    double perSecond() {
        return millis.length / seconds;
    }

    /**
     * One row of the markdown table: p50, p90, p99, max, calls/s, cores used by other processes
     * meanwhile.
     */
    String cells() {
        return String.format(
                Locale.ROOT,
                "%s | %s | %s | %s | %,.0f | %s",
                ms(p50()),
                ms(p90()),
                ms(p99()),
                ms(max()),
                perSecond(),
                cpu == null ? "?" : String.format(Locale.ROOT, "%.2f", cpu.others()));
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.1f ms", millis);
    }
}
