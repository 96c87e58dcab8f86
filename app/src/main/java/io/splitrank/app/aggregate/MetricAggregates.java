package io.splitrank.app.aggregate;

import io.splitrank.app.aggregate.MetricCatalogue.Definition;
import io.splitrank.app.aggregate.MetricCatalogue.Term;
import io.splitrank.stats.Covariate;
import io.splitrank.stats.MeanStatistic;
import io.splitrank.stats.MetricStatistic;
import io.splitrank.stats.ProportionStatistic;
import io.splitrank.stats.RatioCovariate;
import io.splitrank.stats.RatioStatistic;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The aggregates' public query API, for the live report, the scheduled report and anything else
 * that needs per-arm sufficient statistics. {@link #forExperiment} reads the per-arm sums the
 * aggregator maintains (arms × terms rows), so its cost grows neither with traffic nor with exposed
 * units; the daily series reads the per-unit-day table. Never the event log. The numbers are as
 * fresh as the aggregator's last pass ({@link ExperimentAggregates#processedAt()}; call {@link
 * AttributionAggregator#processNow()} first for up-to-the-moment figures).
 */
@Component
public class MetricAggregates {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    MetricAggregates(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * Every metric's per-arm statistics for an experiment phase, all scenarios, uncapped, without
     * CUPED.
     */
    public ExperimentAggregates forExperiment(
            long experimentId, int phase, String scenario, Double capPercentile) {
        return forExperiment(
                new AggregateQuery(experimentId, phase, scenario, capPercentile, false));
    }

    /**
     * Every metric's per-arm statistics as the query asks (scenario, capping, CUPED). Reads the
     * per-arm sums the aggregator maintains (arms × terms rows); a capped query also reads the
     * units' totals rows twice (the cap's percentile, then the capped sums), so its cost grows with
     * exposed units.
     */
    public ExperimentAggregates forExperiment(AggregateQuery query) {
        return readOnly.execute(
                status -> {
                    String scenario = scenarioKey(query.scenario());
                    Object[] key = {query.experimentId(), query.phase(), scenario};
                    Instant processedAt =
                            jdbc.queryForObject(
                                    "select processed_at from agg_progress where id = 1",
                                    (rs, i) -> instant(rs, 1));
                    Map<Integer, Long> units = new TreeMap<>();
                    jdbc.query(
                            "select arm_index, units from agg_arm_units where experiment_id = ? and phase = ?",
                            rs -> {
                                units.put(rs.getInt(1), rs.getLong(2));
                            },
                            query.experimentId(),
                            query.phase());
                    Map<Integer, Map<String, Double>> totals = new HashMap<>();
                    Map<String, Map<Integer, Map<String, Double>>> typed = new TreeMap<>();
                    jdbc.query(
                            "select conversion_type, arm_index, term, sum from agg_arm_sum"
                                    + " where experiment_id = ? and phase = ? and scenario = ?",
                            rs -> {
                                String type = rs.getString(1);
                                Map<Integer, Map<String, Double>> target =
                                        type.isEmpty()
                                                ? totals
                                                : typed.computeIfAbsent(type, k -> new HashMap<>());
                                target.computeIfAbsent(rs.getInt(2), k -> new HashMap<>())
                                        .put(rs.getString(3), rs.getDouble(4));
                            },
                            key);
                    Double cap =
                            query.capPercentile() == null
                                    ? null
                                    : valueCap(query.capPercentile(), key);
                    Terms terms = new Terms(cap, query.cuped());
                    if (cap != null) {
                        capTotals(terms, totals, key);
                    }
                    return new ExperimentAggregates(
                            query.experimentId(),
                            query.phase(),
                            query.scenario(),
                            query.capPercentile(),
                            cap,
                            processedAt,
                            armUnits(units),
                            terms.metrics(units, totals, typed));
                });
    }

    /** The scenarios of the phase's aggregated events, sorted. */
    public List<String> scenarios(long experimentId, int phase) {
        return jdbc.queryForList(
                "select distinct scenario from agg_arm_sum"
                        + " where experiment_id = ? and phase = ? and scenario <> '' order by 1",
                String.class,
                experimentId,
                phase);
    }

    /**
     * Replaces the arms' sums of the terms that capping changes (those reading the value) with
     * capped ones, summed over the units' totals rows: capping is the one option that reads every
     * unit.
     */
    private void capTotals(Terms capped, Map<Integer, Map<String, Double>> totals, Object[] key) {
        List<String> changed = new ArrayList<>();
        capped.uncapped.forEach(
                (cappedTerm, plainTerm) -> {
                    if (!cappedTerm.equals(plainTerm)) {
                        changed.add(cappedTerm);
                    }
                });
        jdbc.query(
                "select u.arm_index, "
                        + String.join(", ", changed)
                        + " from "
                        + totalsTable((String) key[2])
                        + " u where u.experiment_id = ? and u.phase = ? and u.scenario = ? group by u.arm_index",
                rs -> {
                    totals.computeIfAbsent(rs.getInt(1), arm -> new HashMap<>())
                            .putAll(sums(rs, 2, changed));
                },
                key);
    }

    /** The partition holding the totals rows of all scenarios ('') or of one. */
    private static String totalsTable(String scenario) {
        return scenario.isEmpty() ? "agg_unit_all_totals" : "agg_unit_scenario_totals";
    }

    /**
     * Cumulative statistics at the end of each UTC day from the phase's first exposure to its last
     * event or exposure: per day d, the units exposed by the end of d and their events up to the
     * end of d. Without CUPED; capping uses today's cap for every day. Reads the per-unit-day
     * table, so it costs more than {@link #forExperiment} (unit-days × days): a report should cache
     * it per day.
     */
    public List<DailyAggregates> dailyCumulative(AggregateQuery query) {
        return readOnly.execute(
                status -> {
                    String scenario = scenarioKey(query.scenario());
                    Object[] key = {query.experimentId(), query.phase(), scenario};
                    TreeMap<LocalDate, Map<Integer, Long>> exposedOn = new TreeMap<>();
                    jdbc.query(
                            "select (exposed_at at time zone 'UTC')::date, arm_index, count(*) from exposure"
                                    + " where experiment_id = ? and phase = ? group by 1, 2",
                            rs -> {
                                exposedOn
                                        .computeIfAbsent(
                                                rs.getDate(1).toLocalDate(), d -> new TreeMap<>())
                                        .put(rs.getInt(2), rs.getLong(3));
                            },
                            query.experimentId(),
                            query.phase());
                    if (exposedOn.isEmpty()) {
                        return List.of();
                    }
                    LocalDate first = exposedOn.firstKey();
                    LocalDate last = exposedOn.lastKey();
                    Date lastEvent =
                            jdbc.queryForObject(
                                    "select max(day) from agg_unit_day where experiment_id = ?"
                                            + " and phase = ? and scenario = ?",
                                    Date.class,
                                    key);
                    if (lastEvent != null && lastEvent.toLocalDate().isAfter(last)) {
                        last = lastEvent.toLocalDate();
                    }
                    Double cap =
                            query.capPercentile() == null
                                    ? null
                                    : valueCap(query.capPercentile(), key);
                    Terms terms = new Terms(cap, false);
                    String cumulative =
                            "with days as (select generate_series(?::date, ?::date, interval '1 day')::date as day),"
                                    + " cum as (select d.day, a.arm_index, a.unit_id, a.conversion_type,"
                                    + " sum(a.impressions) impressions, sum(a.clicks) clicks, sum(a.conversions) conversions,"
                                    + " sum(a.value) as value from days d join agg_unit_day a on a.day <= d.day"
                                    + " where a.experiment_id = ? and a.phase = ? and a.scenario = ?"
                                    + " group by d.day, a.arm_index, a.unit_id, a.conversion_type) ";
                    Object[] params = {
                        Date.valueOf(first),
                        Date.valueOf(last),
                        query.experimentId(),
                        query.phase(),
                        scenario
                    };
                    Map<LocalDate, Map<Integer, Map<String, Double>>> totals = new TreeMap<>();
                    jdbc.query(
                            cumulative
                                    + "select u.day, u.arm_index, "
                                    + terms.totalsSelect()
                                    + " from cum u"
                                    + " where u.conversion_type = '' group by u.day, u.arm_index",
                            rs -> {
                                totals.computeIfAbsent(
                                                rs.getDate(1).toLocalDate(), d -> new HashMap<>())
                                        .put(rs.getInt(2), sums(rs, 3, terms.totals));
                            },
                            params);
                    Map<LocalDate, Map<String, Map<Integer, Map<String, Double>>>> typed =
                            new TreeMap<>();
                    jdbc.query(
                            cumulative
                                    + "select t.day, t.conversion_type, t.arm_index, "
                                    + terms.typedSelect()
                                    + " from cum t join cum u on u.day = t.day and u.unit_id = t.unit_id and u.conversion_type = ''"
                                    + " where t.conversion_type <> '' group by t.day, t.conversion_type, t.arm_index",
                            rs -> {
                                typed.computeIfAbsent(
                                                rs.getDate(1).toLocalDate(), d -> new TreeMap<>())
                                        .computeIfAbsent(rs.getString(2), k -> new HashMap<>())
                                        .put(rs.getInt(3), sums(rs, 4, terms.typed));
                            },
                            params);
                    List<DailyAggregates> days = new ArrayList<>();
                    Map<Integer, Long> units = new TreeMap<>();
                    for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                        exposedOn
                                .getOrDefault(day, Map.of())
                                .forEach((arm, n) -> units.merge(arm, n, Long::sum));
                        days.add(
                                new DailyAggregates(
                                        day,
                                        armUnits(units),
                                        terms.metrics(
                                                units,
                                                totals.getOrDefault(day, Map.of()),
                                                typed.getOrDefault(day, Map.of()))));
                    }
                    return days;
                });
    }

    /**
     * The capPercentile quantile of the phase's positive per-unit values, pooled over arms; null if
     * none.
     */
    private Double valueCap(double percentile, Object[] key) {
        return jdbc.queryForObject(
                "select percentile_cont(?) within group (order by value) from "
                        + totalsTable((String) key[2])
                        + " where experiment_id = ? and phase = ? and scenario = ? and value > 0",
                Double.class,
                percentile,
                key[0],
                key[1],
                key[2]);
    }

    static String scenarioKey(String scenario) {
        return scenario == null ? "" : scenario;
    }

    private static List<ArmExposures> armUnits(Map<Integer, Long> units) {
        List<ArmExposures> arms = new ArrayList<>();
        units.forEach((arm, n) -> arms.add(new ArmExposures(arm, n)));
        return arms;
    }

    private static Map<String, Double> sums(ResultSet rs, int from, List<String> terms)
            throws SQLException {
        Map<String, Double> sums = new HashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            sums.put(terms.get(i), rs.getDouble(from + i));
        }
        return sums;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    /**
     * The distinct sums every metric needs, split into the unit totals' terms and the per-type
     * terms, each named by its SQL; with a cap, {@code uncapped} maps each totals term to its
     * uncapped form.
     */
    static final class Terms {
        final boolean cuped;
        final List<Definition> totalMetrics;
        final List<String> totals;
        final List<String> typed;
        final Map<String, String> uncapped = new LinkedHashMap<>();

        Terms(Double cap, boolean cuped) {
            this.cuped = cuped;
            String value = cap == null ? "u.value" : "least(u.value, " + cap + "::float8)";
            String preValue =
                    cap == null ? "u.pre_value" : "least(u.pre_value, " + cap + "::float8)";
            this.totalMetrics = MetricCatalogue.totals(value, preValue);
            List<Definition> plainMetrics = MetricCatalogue.totals("u.value", "u.pre_value");
            Set<String> totalTerms = new LinkedHashSet<>();
            Set<String> typedTerms = new LinkedHashSet<>();
            for (int i = 0; i < totalMetrics.size(); i++) {
                List<Term> terms = MetricCatalogue.terms(totalMetrics.get(i), cuped);
                List<Term> plain = MetricCatalogue.terms(plainMetrics.get(i), cuped);
                for (int k = 0; k < terms.size(); k++) {
                    String sql = terms.get(k).sql();
                    totalTerms.add(sql);
                    uncapped.put(sql, plain.get(k).sql());
                }
            }
            for (Definition m : MetricCatalogue.perTypeTemplate()) {
                for (Term term : MetricCatalogue.terms(m, cuped)) {
                    (term.readsType() ? typedTerms : totalTerms).add(term.sql());
                }
            }
            this.totals = List.copyOf(totalTerms);
            this.typed = List.copyOf(typedTerms);
        }

        String totalsSelect() {
            return String.join(", ", totals);
        }

        String typedSelect() {
            return String.join(", ", typed);
        }

        /**
         * The metrics from per-arm sums by term: the totals' and, per conversion type, the type's.
         */
        List<MetricByArm> metrics(
                Map<Integer, Long> units,
                Map<Integer, Map<String, Double>> totalSums,
                Map<String, Map<Integer, Map<String, Double>>> typedSums) {
            List<MetricByArm> metrics = new ArrayList<>();
            for (Definition m : totalMetrics) {
                metrics.add(metric(m, units, totalSums, Map.of()));
            }
            for (String type : new TreeSet<>(typedSums.keySet())) {
                for (Definition m : MetricCatalogue.perType(type)) {
                    metrics.add(metric(m, units, totalSums, typedSums.get(type)));
                }
            }
            return metrics;
        }

        private MetricByArm metric(
                Definition m,
                Map<Integer, Long> units,
                Map<Integer, Map<String, Double>> totalSums,
                Map<Integer, Map<String, Double>> typedSums) {
            List<ArmStatistics> arms = new ArrayList<>();
            units.forEach(
                    (arm, n) -> {
                        Map<String, Double> total = totalSums.getOrDefault(arm, Map.of());
                        Map<String, Double> type = typedSums.getOrDefault(arm, Map.of());
                        arms.add(
                                new ArmStatistics(
                                        arm,
                                        statistics(
                                                m,
                                                n,
                                                term ->
                                                        (term.readsType() ? type : total)
                                                                .getOrDefault(term.sql(), 0.0))));
                    });
            return new MetricByArm(m.id(), m.type(), m.scale(), m.capped(), arms);
        }

        /** The stats module's statistic of one arm, from the sums of its terms. */
        private MetricStatistic statistics(Definition m, long n, ToDoubleFunction<Term> sum) {
            String y = m.y();
            String d = m.d();
            String x = m.x();
            return switch (m.type()) {
                case PROPORTION -> new ProportionStatistic(n, sum.applyAsDouble(new Term(y, null)));
                case MEAN ->
                        new MeanStatistic(
                                n,
                                sum.applyAsDouble(new Term(y, null)),
                                sum.applyAsDouble(new Term(y, y)),
                                !cuped
                                        ? null
                                        : new Covariate(
                                                sum.applyAsDouble(new Term(x, null)),
                                                sum.applyAsDouble(new Term(x, x)),
                                                sum.applyAsDouble(new Term(x, y))));
                case RATIO ->
                        new RatioStatistic(
                                n,
                                sum.applyAsDouble(new Term(y, null)),
                                sum.applyAsDouble(new Term(y, y)),
                                sum.applyAsDouble(new Term(d, null)),
                                sum.applyAsDouble(new Term(d, d)),
                                sum.applyAsDouble(new Term(y, d)),
                                !cuped
                                        ? null
                                        : new RatioCovariate(
                                                sum.applyAsDouble(new Term(x, null)),
                                                sum.applyAsDouble(new Term(x, x)),
                                                sum.applyAsDouble(new Term(x, y)),
                                                sum.applyAsDouble(new Term(x, d))));
            };
        }
    }
}
