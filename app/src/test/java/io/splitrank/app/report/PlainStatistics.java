package io.splitrank.app.report;

import io.splitrank.app.report.SimulatedTraffic.Exposure;
import io.splitrank.app.report.SimulatedTraffic.SimEvent;
import io.splitrank.stats.Covariate;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioCovariate;
import io.splitrank.stats.RatioStatistic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report's inputs computed the plain way from raw events and exposures in memory, from the
 * definitions of docs/events.md (Attribution): an event counts when its unit was exposed and it is
 * at or after the exposure; events in the cupedDays before the exposure make the CUPED covariate
 * (the unit's pre-exposure value).
 */
final class PlainStatistics {

    /** One unit's sums. */
    static final class Unit {
        final int arm;
        double impressions;
        double clicks;
        double purchases;
        double conversions;
        double value;
        double preValue;

        Unit(int arm) {
            this.arm = arm;
        }
    }

    final List<List<Unit>> arms = new ArrayList<>();
    Double cap;

    PlainStatistics(
            List<SimEvent> events,
            Map<String, Exposure> exposures,
            int armCount,
            String scenario,
            int cupedDays) {
        this(events, exposures, armCount, scenario, cupedDays, null);
    }

    /** As of {@code until} (null: everything): units exposed before it, their events before it. */
    PlainStatistics(
            List<SimEvent> events,
            Map<String, Exposure> exposures,
            int armCount,
            String scenario,
            int cupedDays,
            Instant until) {
        for (int i = 0; i < armCount; i++) {
            arms.add(new ArrayList<>());
        }
        Map<String, Unit> units = new HashMap<>();
        exposures.forEach(
                (id, x) -> {
                    if (until != null && !x.exposedAt().isBefore(until)) {
                        return;
                    }
                    Unit u = new Unit(x.arm());
                    units.put(id, u);
                    arms.get(x.arm()).add(u);
                });
        for (SimEvent e : events) {
            Exposure x = exposures.get(e.unitId());
            if (x == null
                    || !units.containsKey(e.unitId())
                    || (until != null && !e.ts().isBefore(until))
                    || (scenario != null && !scenario.equals(e.scenario()))) {
                continue;
            }
            Unit u = units.get(e.unitId());
            double value = e.value() == null ? 0 : e.value();
            if (e.ts().isBefore(x.exposedAt())) {
                if (!e.ts().isBefore(x.exposedAt().minus(Duration.ofDays(cupedDays)))) {
                    u.preValue += value;
                }
                continue;
            }
            u.value += value;
            switch (e.type()) {
                case "impression" -> u.impressions++;
                case "click" -> u.clicks++;
                default -> {
                    u.conversions++;
                    if ("purchase".equals(e.conversionType())) {
                        u.purchases++;
                    }
                }
            }
        }
    }

    /**
     * Winsorises unit values at PostgreSQL's percentile_cont(p) of the positive unit values, all
     * arms pooled.
     */
    PlainStatistics capped(double percentile) {
        List<Double> positive = new ArrayList<>();
        arms.forEach(
                a ->
                        a.forEach(
                                u -> {
                                    if (u.value > 0) {
                                        positive.add(u.value);
                                    }
                                }));
        positive.sort(Double::compare);
        double rank = percentile * (positive.size() - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        cap = positive.get(lo) + (rank - lo) * (positive.get(hi) - positive.get(lo));
        arms.forEach(
                a ->
                        a.forEach(
                                u -> {
                                    u.value = Math.min(u.value, cap);
                                    u.preValue = Math.min(u.preValue, cap);
                                }));
        return this;
    }

    long units(int arm) {
        return arms.get(arm).size();
    }

    double sum(int arm, ToDoubleFunction<Unit> f) {
        return arms.get(arm).stream().mapToDouble(f).sum();
    }

    double sumProducts(int arm, ToDoubleFunction<Unit> f, ToDoubleFunction<Unit> g) {
        return arms.get(arm).stream()
                .mapToDouble(u -> f.applyAsDouble(u) * g.applyAsDouble(u))
                .sum();
    }

    RatioStatistic ratio(
            int arm, ToDoubleFunction<Unit> m, ToDoubleFunction<Unit> d, boolean cuped) {
        ToDoubleFunction<Unit> x = u -> u.preValue;
        return new RatioStatistic(
                units(arm),
                sum(arm, m),
                sumProducts(arm, m, m),
                sum(arm, d),
                sumProducts(arm, d, d),
                sumProducts(arm, m, d),
                cuped
                        ? new RatioCovariate(
                                sum(arm, x),
                                sumProducts(arm, x, x),
                                sumProducts(arm, x, m),
                                sumProducts(arm, x, d))
                        : null);
    }

    MeanStatistic mean(int arm, ToDoubleFunction<Unit> y, ToDoubleFunction<Unit> x) {
        return new MeanStatistic(
                units(arm),
                sum(arm, y),
                sumProducts(arm, y, y),
                x == null
                        ? null
                        : new Covariate(
                                sum(arm, x), sumProducts(arm, x, x), sumProducts(arm, x, y)));
    }

    ProportionStatistic proportion(int arm, ToDoubleFunction<Unit> occurred) {
        return new ProportionStatistic(
                units(arm),
                arms.get(arm).stream().filter(u -> occurred.applyAsDouble(u) > 0).count());
    }
}
