package io.splitrank.benchmarks.assignment;

import io.splitrank.experiments.Assignment;
import io.splitrank.experiments.AssignmentEngine;
import io.splitrank.experiments.BucketRange;
import io.splitrank.experiments.BucketRanges;
import io.splitrank.experiments.Experiment;
import io.splitrank.experiments.GrowthBookHash;
import io.splitrank.experiments.PhaseHasher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of assignment on one thread: the bare GrowthBook hash plus bucket choice for a
 * three-arm experiment at full coverage, and a full {@link AssignmentEngine#assign} with and
 * without a targeting condition. Unit ids cycle through a precomputed pool so that id construction
 * is not measured.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AssignmentBenchmark -f 1 -wi 3 -i 5 -w
 * 2s -r 2s -t 1}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AssignmentBenchmark {

    private static final int POOL = 4096;

    private final AssignmentEngine engine = new AssignmentEngine();
    private Experiment plain;
    private Experiment targeted;
    private String phaseSeed;
    private PhaseHasher hasher;
    private List<BucketRange> ranges;
    private String[] unitIds;
    private Map<String, Object>[] attributes;
    private int next;

    /** Builds the experiments and a pool of realistic unit ids and attribute maps. */
    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() {
        plain =
                Experiment.builder("ranker-ektm-2026q4")
                        .arm("control", "baseline", 0.34)
                        .arm("ektm", "ektm", 0.33)
                        .arm("htlnet", "htlnet", 0.33)
                        .phase(2)
                        .build();
        targeted =
                plain.toBuilder()
                        .condition(
                                Map.of(
                                        "country", Map.of("$in", List.of("US", "CA", "GB", "DE")),
                                        "age", Map.of("$gte", 18),
                                        "platform", Map.of("$ne", "bot")))
                        .build();
        phaseSeed = plain.phaseSeed();
        hasher = PhaseHasher.of(plain);
        ranges = plain.bucketRanges();
        unitIds = new String[POOL];
        attributes = new Map[POOL];
        String[] countries = {"US", "CA", "GB", "DE", "FR"};
        for (int i = 0; i < POOL; i++) {
            unitIds[i] = "u-" + Long.toHexString(0x9E3779B97F4A7C15L * (i + 1));
            attributes[i] =
                    Map.of(
                            "userId",
                            unitIds[i],
                            "country",
                            countries[i % countries.length],
                            "age",
                            16 + i % 50,
                            "platform",
                            i % 2 == 0 ? "ios" : "android");
        }
    }

    private int nextIndex() {
        next = (next + 1) & (POOL - 1);
        return next;
    }

    /**
     * What the engine does per unit: the GrowthBook v2 hash of the phase seed and unit id, with the
     * seed's FNV state computed once per phase ({@link PhaseHasher}), then the arm whose range
     * holds it.
     */
    @Benchmark
    public int hashAndChooseArm() {
        double n = hasher.bucket(unitIds[nextIndex()]);
        return BucketRanges.chooseVariation(n, ranges);
    }

    /**
     * The same from scratch with GrowthBook's primitive: the seed is hashed again for every unit.
     */
    @Benchmark
    public int growthBookHashAndChooseArm() {
        double n = GrowthBookHash.hashV2(phaseSeed, unitIds[nextIndex()]);
        return BucketRanges.chooseVariation(n, ranges);
    }

    /**
     * The full engine, no layer, no condition, with the phase's hasher prepared (as the app does).
     */
    @Benchmark
    public Assignment assign() {
        return engine.assign(hasher, attributes[nextIndex()], Map.of());
    }

    /** The full engine with a three-clause targeting condition ($in, $gte, $ne). */
    @Benchmark
    public Assignment assignWithCondition() {
        return engine.assign(targeted, attributes[nextIndex()]);
    }
}
