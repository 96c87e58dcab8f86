package io.splitrank.app.aggregate;

import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.MetricType;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioStatistic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The per-arm sufficient statistics computed the plain way, from raw events and exposures in
 * memory: what the SQL aggregates must equal. Written from the metric definitions of
 * docs/architecture.md (Metrics), independently of the SQL.
 */
final class ExpectedStatistics {

    record SimEvent(
            String eventId,
            String type,
            String unitId,
            Instant ts,
            String scenario,
            String conversionType,
            Double value) {}

    record SimExposure(int arm, Instant exposedAt) {}

    /** One unit's sums after (and, for CUPED, before) its first exposure. */
    static final class Unit {
        long impressions, clicks, conversions;
        double value;
        long preImpressions, preClicks, preConversions;
        double preValue;
        final Map<String, long[]> byType = new HashMap<>(); // type → {post, pre}
    }

    private record Def(
            String id,
            MetricType kind,
            ToDoubleFunction<Unit> y,
            ToDoubleFunction<Unit> d,
            ToDoubleFunction<Unit> x) {}

    private ExpectedStatistics() {}

    /**
     * Per metric id, per arm: the fields of {@link #flatten} for the given events (deduplicated by
     * id, first occurrence wins) and exposures, restricted to a scenario (null: all) and to events
     * up to {@code until} (null: all), with units exposed by {@code until}.
     */
    static Map<String, Map<Integer, double[]>> compute(
            List<SimEvent> events,
            Map<String, SimExposure> exposures,
            String scenario,
            Double capPercentile,
            int cupedDays,
            boolean cuped,
            Instant until) {
        Map<String, Unit> units = new HashMap<>();
        exposures.forEach(
                (unit, x) -> {
                    if (until == null || x.exposedAt().isBefore(until)) {
                        units.put(unit, new Unit());
                    }
                });
        Set<String> seen = new HashSet<>();
        Set<String> types = new TreeSet<>();
        for (SimEvent e : events) {
            if (!seen.add(e.eventId())) {
                continue;
            }
            SimExposure x = exposures.get(e.unitId());
            Unit u = units.get(e.unitId());
            if (x == null
                    || u == null
                    || (scenario != null && !scenario.equals(e.scenario()))
                    || (until != null && !e.ts().isBefore(until))) {
                continue;
            }
            boolean post = !e.ts().isBefore(x.exposedAt());
            boolean pre =
                    !post && !e.ts().isBefore(x.exposedAt().minus(Duration.ofDays(cupedDays)));
            if (!post && !pre) {
                continue;
            }
            double value = e.value() == null ? 0 : e.value();
            switch (e.type()) {
                case "impression" -> {
                    if (post) u.impressions++;
                    else u.preImpressions++;
                }
                case "click" -> {
                    if (post) u.clicks++;
                    else u.preClicks++;
                }
                default -> {
                    if (post) u.conversions++;
                    else u.preConversions++;
                    u.byType.computeIfAbsent(e.conversionType(), k -> new long[2])[post ? 0 : 1]++;
                    types.add(e.conversionType());
                }
            }
            if (post) {
                u.value += value;
            } else {
                u.preValue += value;
            }
        }
        double cap = Double.POSITIVE_INFINITY;
        if (capPercentile != null) {
            double[] positive =
                    units.values().stream()
                            .mapToDouble(u -> u.value)
                            .filter(v -> v > 0)
                            .sorted()
                            .toArray();
            if (positive.length > 0) {
                cap = percentileCont(positive, capPercentile);
            }
        }
        double c = cap;
        List<Def> defs =
                new ArrayList<>(
                        List.of(
                                new Def(
                                        "impressions_per_unit",
                                        MetricType.MEAN,
                                        u -> u.impressions,
                                        null,
                                        u -> u.preImpressions),
                                new Def(
                                        "ctr",
                                        MetricType.RATIO,
                                        u -> u.clicks,
                                        u -> u.impressions,
                                        u -> u.preClicks),
                                new Def(
                                        "cvr",
                                        MetricType.RATIO,
                                        u -> u.conversions,
                                        u -> u.clicks,
                                        u -> u.preConversions),
                                new Def(
                                        "ctcvr",
                                        MetricType.RATIO,
                                        u -> u.conversions,
                                        u -> u.impressions,
                                        u -> u.preConversions),
                                new Def(
                                        "ecpm",
                                        MetricType.RATIO,
                                        u -> Math.min(u.value, c),
                                        u -> u.impressions,
                                        u -> Math.min(u.preValue, c)),
                                new Def(
                                        "value_per_unit",
                                        MetricType.MEAN,
                                        u -> Math.min(u.value, c),
                                        null,
                                        u -> Math.min(u.preValue, c)),
                                new Def(
                                        "conversion_rate",
                                        MetricType.PROPORTION,
                                        u -> u.conversions > 0 ? 1 : 0,
                                        null,
                                        u -> u.preConversions > 0 ? 1 : 0)));
        for (String type : types) {
            ToDoubleFunction<Unit> post = u -> u.byType.getOrDefault(type, new long[2])[0];
            ToDoubleFunction<Unit> pre = u -> u.byType.getOrDefault(type, new long[2])[1];
            defs.add(new Def("cvr:" + type, MetricType.RATIO, post, u -> u.clicks, pre));
            defs.add(new Def("ctcvr:" + type, MetricType.RATIO, post, u -> u.impressions, pre));
            defs.add(
                    new Def(
                            "conversion_rate:" + type,
                            MetricType.PROPORTION,
                            u -> post.applyAsDouble(u) > 0 ? 1 : 0,
                            null,
                            u -> pre.applyAsDouble(u) > 0 ? 1 : 0));
        }
        Map<String, Map<Integer, double[]>> result = new LinkedHashMap<>();
        for (Def def : defs) {
            Map<Integer, double[]> arms = new TreeMap<>();
            units.forEach(
                    (unitId, u) -> {
                        double[] f =
                                arms.computeIfAbsent(
                                        exposures.get(unitId).arm(), a -> new double[10]);
                        double y = def.y().applyAsDouble(u);
                        double d = def.d() == null ? 0 : def.d().applyAsDouble(u);
                        double x = def.x().applyAsDouble(u);
                        f[0]++;
                        f[1] += y;
                        f[2] += def.kind() == MetricType.PROPORTION ? 0 : y * y;
                        f[3] += d;
                        f[4] += d * d;
                        f[5] += y * d;
                        // the stats module adjusts means and ratios; a proportion carries no
                        // covariate
                        if (cuped && def.kind() != MetricType.PROPORTION) {
                            f[6] += x;
                            f[7] += x * x;
                            f[8] += x * y;
                            f[9] += def.kind() == MetricType.RATIO ? x * d : 0;
                        }
                    });
            result.put(def.id(), arms);
        }
        return result;
    }

    /** PostgreSQL's percentile_cont: linear interpolation between the closest ranks. */
    static double percentileCont(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The same ten fields from the query API's records (unused fields 0). */
    static Map<String, Map<Integer, double[]>> flatten(List<MetricByArm> metrics) {
        Map<String, Map<Integer, double[]>> result = new LinkedHashMap<>();
        for (MetricByArm m : metrics) {
            Map<Integer, double[]> arms = new TreeMap<>();
            for (ArmStatistics a : m.arms()) {
                double[] f = new double[10];
                MetricStatistic s = a.statistics();
                f[0] = s.n();
                if (s instanceof ProportionStatistic p) {
                    f[1] = p.sum();
                } else if (s instanceof MeanStatistic mean) {
                    f[1] = mean.sum();
                    f[2] = mean.sumSquares();
                    if (mean.covariate() != null) {
                        f[6] = mean.covariate().xSum();
                        f[7] = mean.covariate().xSumSquares();
                        f[8] = mean.covariate().xySumProducts();
                    }
                } else if (s instanceof RatioStatistic r) {
                    f[1] = r.mSum();
                    f[2] = r.mSumSquares();
                    f[3] = r.dSum();
                    f[4] = r.dSumSquares();
                    f[5] = r.mdSumProducts();
                    if (r.covariate() != null) {
                        f[6] = r.covariate().xSum();
                        f[7] = r.covariate().xSumSquares();
                        f[8] = r.covariate().xmSumProducts();
                        f[9] = r.covariate().xdSumProducts();
                    }
                }
                arms.put(a.armIndex(), f);
            }
            result.put(m.metric(), arms);
        }
        return result;
    }

    /**
     * Whether two flattened results agree to a relative 1e-9 (sums of doubles in another order).
     */
    static String difference(
            Map<String, Map<Integer, double[]>> expected,
            Map<String, Map<Integer, double[]>> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            return "metrics " + expected.keySet() + " != " + actual.keySet();
        }
        for (String metric : expected.keySet()) {
            Map<Integer, double[]> e = expected.get(metric);
            Map<Integer, double[]> a = actual.get(metric);
            if (!e.keySet().equals(a.keySet())) {
                return metric + ": arms " + e.keySet() + " != " + a.keySet();
            }
            for (Integer arm : e.keySet()) {
                double[] x = e.get(arm);
                double[] y = a.get(arm);
                for (int i = 0; i < x.length; i++) {
                    if (Math.abs(x[i] - y[i]) > 1e-9 * Math.max(1, Math.abs(x[i]))) {
                        return metric
                                + " arm "
                                + arm
                                + " field "
                                + i
                                + ": expected "
                                + Arrays.toString(x)
                                + " got "
                                + Arrays.toString(y);
                    }
                }
            }
        }
        return null;
    }
}
