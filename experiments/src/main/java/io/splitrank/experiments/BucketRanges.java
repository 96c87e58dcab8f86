package io.splitrank.experiments;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * GrowthBook's bucket arithmetic: arm weights and coverage to hash ranges, and a hash value to an
 * arm. The arithmetic is the JavaScript SDK's, operation for operation, so range boundaries are the
 * same doubles an SDK client computes (no rounding is applied: GrowthBook's SDK does not round,
 * only its tests compare to 8 decimals).
 */
public final class BucketRanges {

    private BucketRanges() {}

    /** {@code n} equal weights of {@code 1 / n}; empty for {@code n <= 0}. */
    public static List<Double> getEqualWeights(int n) {
        if (n <= 0) {
            return List.of();
        }
        return Collections.nCopies(n, 1.0 / n);
    }

    /**
     * GrowthBook's {@code getBucketRanges}. Coverage is clamped to [0, 1]; weights that are null,
     * of the wrong length, or that do not sum to within [0.99, 1.01] are replaced by equal weights.
     * Arm {@code i} gets [c_i, c_i + coverage * w_i) where c_i is the sum of the weights before it,
     * so raising coverage only widens each range from its fixed start and never moves a covered
     * unit to another arm.
     *
     * @param numVariations number of arms
     * @param coverage share of traffic in the experiment
     * @param weights per-arm weights, or null for equal weights
     */
    public static List<BucketRange> getBucketRange(
            int numVariations, double coverage, List<? extends Number> weights) {
        double[] w = effectiveWeights(numVariations, weights);
        double c = clampCoverage(coverage);
        List<BucketRange> ranges = new ArrayList<>(w.length);
        double cumulative = 0;
        for (double weight : w) {
            double start = cumulative;
            cumulative += weight;
            ranges.add(new BucketRange(start, start + c * weight));
        }
        return List.copyOf(ranges);
    }

    /**
     * GrowthBook's {@code chooseVariation}: the index of the first range containing {@code n}, or
     * -1.
     */
    public static int chooseVariation(double n, List<BucketRange> ranges) {
        for (int i = 0, size = ranges.size(); i < size; i++) {
            if (ranges.get(i).contains(n)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code chooseVariation(n, getBucketRange(arms.size(), coverage, weights of arms))} without
     * building the ranges; the assignment hot path.
     */
    static int chooseArm(double n, List<Arm> arms, double coverage) {
        int size = arms.size();
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += arms.get(i).weight();
        }
        boolean equal = total < 0.99 || total > 1.01;
        double equalWeight = 1.0 / size;
        double c = clampCoverage(coverage);
        double cumulative = 0;
        for (int i = 0; i < size; i++) {
            double weight = equal ? equalWeight : arms.get(i).weight();
            double start = cumulative;
            cumulative += weight;
            if (n >= start && n < start + c * weight) {
                return i;
            }
        }
        return -1;
    }

    private static double clampCoverage(double coverage) {
        if (coverage < 0) {
            return 0;
        }
        return coverage > 1 ? 1 : coverage;
    }

    private static double[] effectiveWeights(int numVariations, List<? extends Number> weights) {
        double[] equal = new double[Math.max(numVariations, 0)];
        java.util.Arrays.fill(equal, numVariations > 0 ? 1.0 / numVariations : 0);
        if (weights == null || weights.size() != numVariations) {
            return equal;
        }
        double[] w = new double[numVariations];
        double total = 0;
        for (int i = 0; i < numVariations; i++) {
            w[i] = weights.get(i).doubleValue();
            total += w[i];
        }
        return total < 0.99 || total > 1.01 ? equal : w;
    }
}
