package io.splitrank.benchmarks.stats;

import io.splitrank.stats.ArmInput;
import io.splitrank.stats.Comparison;
import io.splitrank.stats.DifferenceType;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricType;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The A/A peeking simulation of the stats test suite at a large size: many experiments, each
 * checked after every batch, printing how often the fixed-horizon and the sequential test ever
 * reject a true null. Run by hand:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.splitrank.benchmarks.stats.PeekingSimulation \
 *     [experiments=10000] [peeks=50] [batchPerArm=500] [alpha=0.05] [seed=1]
 * </pre>
 */
public final class PeekingSimulation {

    private PeekingSimulation() {}

    /** Runs the simulation with the arguments described in the class comment. */
    public static void main(String[] args) {
        int experiments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int peeks = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int batchPerArm = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        double alpha = args.length > 3 ? Double.parseDouble(args[3]) : 0.05;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1L;
        ExperimentAnalysis analysis =
                ExperimentAnalysis.withDefaults()
                        .withAlpha(alpha)
                        .withDifferenceType(DifferenceType.ABSOLUTE);
        SplittableRandom random = new SplittableRandom(seed);
        int fixed = 0;
        int sequential = 0;
        for (int e = 0; e < experiments; e++) {
            double[] a = new double[2];
            double[] b = new double[2];
            boolean fixedRejected = false;
            boolean sequentialRejected = false;
            for (int peek = 1; peek <= peeks; peek++) {
                for (int i = 0; i < batchPerArm; i++) {
                    add(a, -5 * Math.log(1 - random.nextDouble()));
                    add(b, -5 * Math.log(1 - random.nextDouble()));
                }
                long n = (long) peek * batchPerArm;
                Comparison c =
                        analysis.analyze(
                                        MetricType.MEAN,
                                        List.of(
                                                new ArmInput(
                                                        "a", 1, new MeanStatistic(n, a[0], a[1])),
                                                new ArmInput(
                                                        "b", 1, new MeanStatistic(n, b[0], b[1]))))
                                .arms()
                                .get(1)
                                .comparison();
                fixedRejected |= c.fixedHorizon().pValue() < alpha;
                sequentialRejected |= c.sequential().pValue() < alpha;
            }
            fixed += fixedRejected ? 1 : 0;
            sequential += sequentialRejected ? 1 : 0;
        }
        System.out.printf(
                "%d A/A experiments, %d peeks of %d units per arm, alpha %.3f:%n"
                        + "  fixed-horizon false-positive rate %.4f%n  sequential false-positive rate %.4f%n",
                experiments,
                peeks,
                batchPerArm,
                alpha,
                (double) fixed / experiments,
                (double) sequential / experiments);
    }

    private static void add(double[] sums, double y) {
        sums[0] += y;
        sums[1] += y * y;
    }
}
