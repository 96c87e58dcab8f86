package io.splitrank.app.aggregate;

import io.splitrank.app.aggregate.MetricCatalogue.Definition;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The aggregates' public query API, for the live report, the scheduled report and anything else that
 * needs per-arm sufficient statistics. Reads only the per-unit tables the aggregator maintains (bounded
 * by exposed units) and the exposure table, never the event log, so its cost does not grow with
 * traffic. The numbers are as fresh as the aggregator's last pass ({@link ExperimentAggregates#processedAt()};
 * call {@link AttributionAggregator#processNow()} first for up-to-the-moment figures).
 */
@Component
public class MetricAggregates {

    private static final String UNIT_JOIN = " join agg_unit u on u.experiment_id = t.experiment_id and u.phase = t.phase"
            + " and u.scenario = t.scenario and u.conversion_type = '' and u.unit_id = t.unit_id";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    MetricAggregates(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /** The database id of the experiment with this key, if there is one. */
    public Optional<Long> experimentId(String key) {
        return jdbc.query("select id from experiment where key = ?", (rs, i) -> rs.getLong(1), key).stream().findFirst();
    }

    /** Every metric's per-arm statistics for an experiment phase, all scenarios, uncapped, without CUPED. */
    public ExperimentAggregates forExperiment(long experimentId, int phase, String scenario, Double capPercentile) {
        return forExperiment(new AggregateQuery(experimentId, phase, scenario, capPercentile, false));
    }

    /** Every metric's per-arm statistics as the query asks (scenario, capping, CUPED). */
    public ExperimentAggregates forExperiment(AggregateQuery query) {
        return readOnly.execute(status -> {
            String scenario = scenarioKey(query.scenario());
            Object[] key = {query.experimentId(), query.phase(), scenario};
            Instant processedAt = jdbc.queryForObject("select processed_at from agg_progress where id = 1",
                    (rs, i) -> instant(rs, 1));
            Map<Integer, Long> units = new TreeMap<>();
            jdbc.query("select arm_index, count(*) from exposure where experiment_id = ? and phase = ? group by arm_index",
                    rs -> {
                        units.put(rs.getInt(1), rs.getLong(2));
                    }, query.experimentId(), query.phase());
            Double cap = query.capPercentile() == null ? null : valueCap(query.capPercentile(), key);
            Terms terms = new Terms(cap, query.cuped());
            Map<Integer, double[]> totals = new HashMap<>();
            jdbc.query("select u.arm_index, " + terms.totalsSelect() + " from agg_unit u where u.experiment_id = ?"
                    + " and u.phase = ? and u.scenario = ? and u.conversion_type = '' group by u.arm_index", rs -> {
                        totals.put(rs.getInt(1), row(rs, 2, terms.totals.size()));
                    }, key);
            Map<String, Map<Integer, double[]>> typed = new TreeMap<>();
            jdbc.query("select t.conversion_type, t.arm_index, " + terms.typedSelect() + " from agg_unit t" + UNIT_JOIN
                    + " where t.experiment_id = ? and t.phase = ? and t.scenario = ? and t.conversion_type <> ''"
                    + " group by t.conversion_type, t.arm_index", rs -> {
                        typed.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .put(rs.getInt(2), row(rs, 3, terms.typed.size()));
                    }, key);
            return new ExperimentAggregates(query.experimentId(), query.phase(), query.scenario(),
                    query.capPercentile(), cap, processedAt, armUnits(units),
                    terms.metrics(units, totals, typed));
        });
    }

    /**
     * Cumulative statistics at the end of each UTC day from the phase's first exposure to its last
     * event or exposure: per day d, the units exposed by the end of d and their events up to the end
     * of d. Without CUPED; capping uses today's cap for every day. Reads the per-unit-day table, so it
     * costs more than {@link #forExperiment} (unit-days × days): a report should cache it per day.
     */
    public List<DailyAggregates> dailyCumulative(AggregateQuery query) {
        return readOnly.execute(status -> {
            String scenario = scenarioKey(query.scenario());
            Object[] key = {query.experimentId(), query.phase(), scenario};
            TreeMap<LocalDate, Map<Integer, Long>> exposedOn = new TreeMap<>();
            jdbc.query("select (exposed_at at time zone 'UTC')::date, arm_index, count(*) from exposure"
                    + " where experiment_id = ? and phase = ? group by 1, 2", rs -> {
                        exposedOn.computeIfAbsent(rs.getDate(1).toLocalDate(), d -> new TreeMap<>())
                                .put(rs.getInt(2), rs.getLong(3));
                    }, query.experimentId(), query.phase());
            if (exposedOn.isEmpty()) {
                return List.of();
            }
            LocalDate first = exposedOn.firstKey();
            LocalDate last = exposedOn.lastKey();
            Date lastEvent = jdbc.queryForObject("select max(day) from agg_unit_day where experiment_id = ?"
                    + " and phase = ? and scenario = ?", Date.class, key);
            if (lastEvent != null && lastEvent.toLocalDate().isAfter(last)) {
                last = lastEvent.toLocalDate();
            }
            Double cap = query.capPercentile() == null ? null : valueCap(query.capPercentile(), key);
            Terms terms = new Terms(cap, false);
            String cumulative = "with days as (select generate_series(?::date, ?::date, interval '1 day')::date as day),"
                    + " cum as (select d.day, a.arm_index, a.unit_id, a.conversion_type,"
                    + " sum(a.impressions) impressions, sum(a.clicks) clicks, sum(a.conversions) conversions,"
                    + " sum(a.value) as value from days d join agg_unit_day a on a.day <= d.day"
                    + " where a.experiment_id = ? and a.phase = ? and a.scenario = ?"
                    + " group by d.day, a.arm_index, a.unit_id, a.conversion_type) ";
            Object[] params = {Date.valueOf(first), Date.valueOf(last), query.experimentId(), query.phase(), scenario};
            Map<LocalDate, Map<Integer, double[]>> totals = new TreeMap<>();
            jdbc.query(cumulative + "select u.day, u.arm_index, " + terms.totalsSelect() + " from cum u"
                    + " where u.conversion_type = '' group by u.day, u.arm_index", rs -> {
                        totals.computeIfAbsent(rs.getDate(1).toLocalDate(), d -> new HashMap<>())
                                .put(rs.getInt(2), row(rs, 3, terms.totals.size()));
                    }, params);
            Map<LocalDate, Map<String, Map<Integer, double[]>>> typed = new TreeMap<>();
            jdbc.query(cumulative + "select t.day, t.conversion_type, t.arm_index, " + terms.typedSelect()
                    + " from cum t join cum u on u.day = t.day and u.unit_id = t.unit_id and u.conversion_type = ''"
                    + " where t.conversion_type <> '' group by t.day, t.conversion_type, t.arm_index", rs -> {
                        typed.computeIfAbsent(rs.getDate(1).toLocalDate(), d -> new TreeMap<>())
                                .computeIfAbsent(rs.getString(2), k -> new HashMap<>())
                                .put(rs.getInt(3), row(rs, 4, terms.typed.size()));
                    }, params);
            List<DailyAggregates> days = new ArrayList<>();
            Map<Integer, Long> units = new TreeMap<>();
            for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                exposedOn.getOrDefault(day, Map.of()).forEach((arm, n) -> units.merge(arm, n, Long::sum));
                days.add(new DailyAggregates(day, armUnits(units), terms.metrics(units,
                        totals.getOrDefault(day, Map.of()), typed.getOrDefault(day, Map.of()))));
            }
            return days;
        });
    }

    /** The capPercentile quantile of the phase's positive per-unit values, pooled over arms; null if none. */
    private Double valueCap(double percentile, Object[] key) {
        return jdbc.queryForObject("select percentile_cont(?) within group (order by value) from agg_unit"
                + " where experiment_id = ? and phase = ? and scenario = ? and conversion_type = '' and value > 0",
                Double.class, percentile, key[0], key[1], key[2]);
    }

    static String scenarioKey(String scenario) {
        return scenario == null ? "" : scenario;
    }

    private static List<ArmUnits> armUnits(Map<Integer, Long> units) {
        List<ArmUnits> arms = new ArrayList<>();
        units.forEach((arm, n) -> arms.add(new ArmUnits(arm, n)));
        return arms;
    }

    private static double[] row(ResultSet rs, int from, int count) throws SQLException {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = rs.getDouble(from + i);
        }
        return values;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    /** The distinct sums every metric needs, split into the totals query and the per-type join. */
    private static final class Terms {
        final boolean cuped;
        final List<Definition> totalMetrics;
        final Map<String, Integer> totals = new LinkedHashMap<>();
        final Map<String, Integer> typed = new LinkedHashMap<>();

        Terms(Double cap, boolean cuped) {
            this.cuped = cuped;
            String value = cap == null ? "u.value" : "least(u.value, " + cap + "::float8)";
            String preValue = cap == null ? "u.pre_value" : "least(u.pre_value, " + cap + "::float8)";
            this.totalMetrics = MetricCatalogue.totals(value, preValue);
            List<Definition> all = new ArrayList<>(totalMetrics);
            all.addAll(MetricCatalogue.perTypeTemplate());
            for (Definition m : all) {
                for (String[] term : MetricCatalogue.terms(m, cuped)) {
                    Map<String, Integer> target = MetricCatalogue.readsType(term) ? typed : totals;
                    target.putIfAbsent(MetricCatalogue.sql(term), target.size());
                }
            }
        }

        String totalsSelect() {
            return String.join(", ", totals.keySet());
        }

        String typedSelect() {
            return String.join(", ", typed.keySet());
        }

        List<MetricStatistics> metrics(Map<Integer, Long> units, Map<Integer, double[]> totalRows,
                Map<String, Map<Integer, double[]>> typedRows) {
            List<MetricStatistics> metrics = new ArrayList<>();
            for (Definition m : totalMetrics) {
                metrics.add(metric(m, units, totalRows, Map.of()));
            }
            for (String type : new TreeSet<>(typedRows.keySet())) {
                for (Definition m : MetricCatalogue.perType(type)) {
                    metrics.add(metric(m, units, totalRows, typedRows.get(type)));
                }
            }
            return metrics;
        }

        private MetricStatistics metric(Definition m, Map<Integer, Long> units, Map<Integer, double[]> totalRows,
                Map<Integer, double[]> typedRows) {
            List<ArmStatistics> arms = new ArrayList<>();
            units.forEach((arm, n) -> {
                double[] total = totalRows.get(arm);
                double[] type = typedRows.get(arm);
                arms.add(new ArmStatistics(arm, statistics(m, n, term -> {
                    boolean readsType = MetricCatalogue.readsType(term);
                    double[] row = readsType ? type : total;
                    return row == null ? 0 : row[(readsType ? typed : totals).get(MetricCatalogue.sql(term))];
                })));
            });
            return new MetricStatistics(m.id(), m.kind(), m.scale(), m.capped(), arms);
        }

        private SufficientStatistics statistics(Definition m, long n, ToDoubleFunction<String[]> sum) {
            String y = m.y();
            String d = m.d();
            String x = m.x();
            CupedSums cupedSums = cuped ? new CupedSums(sum.applyAsDouble(new String[] {x, null}),
                    sum.applyAsDouble(new String[] {x, x}), sum.applyAsDouble(new String[] {x, y}),
                    m.kind() == MetricKind.RATIO ? sum.applyAsDouble(new String[] {x, d}) : 0) : null;
            return switch (m.kind()) {
                case PROPORTION -> new ProportionSums(n, sum.applyAsDouble(new String[] {y, null}), cupedSums);
                case MEAN -> new MeanSums(n, sum.applyAsDouble(new String[] {y, null}),
                        sum.applyAsDouble(new String[] {y, y}), cupedSums);
                case RATIO -> new RatioSums(n, sum.applyAsDouble(new String[] {y, null}),
                        sum.applyAsDouble(new String[] {y, y}), sum.applyAsDouble(new String[] {d, null}),
                        sum.applyAsDouble(new String[] {d, d}), sum.applyAsDouble(new String[] {y, d}), cupedSums);
            };
        }
    }
}
