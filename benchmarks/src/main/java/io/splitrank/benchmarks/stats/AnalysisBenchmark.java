package io.splitrank.benchmarks.stats;

import io.splitrank.stats.AnalysisResult;
import io.splitrank.stats.ArmInput;
import io.splitrank.stats.Correction;
import io.splitrank.stats.Covariate;
import io.splitrank.stats.ExperimentAnalysis;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.MetricType;
import io.splitrank.stats.MultipleComparisons;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioStatistic;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A full report's statistics: 20 arms × 30 metrics (10 proportions, 10 means of which 5 with CUPED,
 * 10 ratios), each analysed with Welch, the confidence sequence and the Bayesian posterior, then
 * Benjamini–Hochberg across all 570 comparisons. Goal: under 5 ms.
 *
 * <pre>
 * mvn -q -B -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AnalysisBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AnalysisBenchmark {

    private static final int ARMS = 20;
    private static final int METRICS = 30;

    private final List<MetricType> types = new ArrayList<>();
    private final List<List<ArmInput>> metrics = new ArrayList<>();
    private final List<ExperimentAnalysis> analyses = new ArrayList<>();

    /** Sufficient statistics as a warehouse would send them: a million units per arm. */
    @Setup
    public void createInputs() {
        SplittableRandom random = new SplittableRandom(20);
        ExperimentAnalysis base = ExperimentAnalysis.withDefaults().withCorrection(Correction.NONE);
        for (int metric = 0; metric < METRICS; metric++) {
            MetricType type = MetricType.values()[metric % 3];
            boolean cuped = type == MetricType.MEAN && metric % 2 == 0;
            List<ArmInput> arms = new ArrayList<>();
            for (int arm = 0; arm < ARMS; arm++) {
                long n = 1_000_000 + random.nextInt(5_000);
                arms.add(new ArmInput("arm" + arm, 1.0, statistic(type, cuped, n, random)));
            }
            types.add(type);
            metrics.add(arms);
            analyses.add(base.withRegressionAdjustment(cuped));
        }
    }

    private static MetricStatistic statistic(
            MetricType type, boolean cuped, long n, SplittableRandom random) {
        double lift = 1 + random.nextDouble(-0.02, 0.02);
        return switch (type) {
            case PROPORTION -> new ProportionStatistic(n, Math.floor(n * 0.1 * lift));
            case MEAN -> {
                double mean = 3.0 * lift;
                double sum = n * mean;
                double sumSquares = n * (mean * mean + 16.0);
                Covariate covariate =
                        cuped
                                ? new Covariate(
                                        n * 2.9, n * (2.9 * 2.9 + 15.0), n * (mean * 2.9 + 10.0))
                                : null;
                yield new MeanStatistic(n, sum, sumSquares, covariate);
            }
            case RATIO -> {
                double d = n * 12.0;
                double m = d * 0.05 * lift;
                yield new RatioStatistic(
                        n,
                        m,
                        n * (0.6 * 0.6 * lift * lift + 0.9),
                        d,
                        n * (144.0 + 80.0),
                        n * (0.6 * lift * 12.0 + 5.0));
            }
        };
    }

    /** Thirty analyses and one correction across all their comparisons. */
    @Benchmark
    public List<AnalysisResult> analyzeTwentyArmsByThirtyMetrics() {
        List<AnalysisResult> results = new ArrayList<>(METRICS);
        for (int metric = 0; metric < METRICS; metric++) {
            results.add(analyses.get(metric).analyze(types.get(metric), metrics.get(metric)));
        }
        return MultipleComparisons.adjustAcross(Correction.BENJAMINI_HOCHBERG, results);
    }
}
