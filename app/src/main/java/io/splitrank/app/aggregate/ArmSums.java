package io.splitrank.app.aggregate;

import java.sql.PreparedStatement;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The per-arm sums of every catalogue term ({@code agg_arm_sum}) and the exposed units per arm
 * ({@code agg_arm_units}), maintained by the aggregator inside its pass: before folding the pass's
 * pairs it subtracts the changed units' current contributions, after folding it adds their new
 * ones. A report then reads arms × terms rows, whatever the number of units. The terms are the
 * uncapped ones, CUPED covariates included; capped statistics replace the few terms that read the
 * value.
 */
final class ArmSums {

    /** The totals terms (over a unit's totals row {@code u}), as the SQL of their sums. */
    static final List<String> TOTAL_TERMS;

    /** The per-conversion-type terms (over {@code t}, the type's row, and {@code u}). */
    static final List<String> TYPED_TERMS;

    /** What the stored sums were built from; a different catalogue means a recomputation. */
    static final String FINGERPRINT;

    static {
        // the very terms the query side reads, uncapped and with the CUPED covariates
        MetricAggregates.Terms all = new MetricAggregates.Terms(null, true);
        TOTAL_TERMS = all.totals;
        TYPED_TERMS = all.typed;
        FINGERPRINT = String.join("\n", TOTAL_TERMS) + "\n--\n" + String.join("\n", TYPED_TERMS);
    }

    /** The units a pass changes: each with its scenario's and the all-scenarios ('') rows. */
    static final String CREATE_PASS_UNITS =
            """
            create temp table pass_unit on commit drop as
            select distinct p.experiment_id, p.phase, s.scenario, p.unit_id
            from pass_pair p cross join lateral (values (''), (p.scenario)) s(scenario)
            where s.scenario is not null""";

    /**
     * The conversion-type rows the changed units may have: every type the experiment has seen and
     * every type in the pass (a missing row contributes nothing). Looked up by primary key, so a
     * pass reads only its own units' rows.
     */
    static final String CREATE_PASS_UNIT_TYPES =
            """
            create temp table pass_unit_type on commit drop as
            with types as (
                select distinct experiment_id, phase, conversion_type from agg_arm_sum
                 where conversion_type <> '' and scenario = ''
                union
                select distinct experiment_id, phase, conversion_type from pass_pair
                 where type = 2 and conversion_type is not null)
            select c.experiment_id, c.phase, c.scenario, ty.conversion_type, c.unit_id
            from pass_unit c join types ty on ty.experiment_id = c.experiment_id and ty.phase = c.phase""";

    private static final String TOTALS_FROM_PASS =
            " from pass_unit c join agg_unit u on u.experiment_id = c.experiment_id"
                    + " and u.phase = c.phase and u.scenario = c.scenario and u.conversion_type = '' and u.unit_id = c.unit_id";
    private static final String TOTALS_FROM_ALL = " from agg_unit u where u.conversion_type = ''";
    private static final String TYPED_FROM_PASS =
            " from pass_unit_type c join agg_unit t on t.experiment_id = c.experiment_id"
                    + " and t.phase = c.phase and t.scenario = c.scenario and t.conversion_type = c.conversion_type"
                    + " and t.unit_id = c.unit_id";
    private static final String TYPED_FROM_ALL = " from agg_unit t";
    private static final String TYPED_UNIT_JOIN =
            " join agg_unit u on u.experiment_id = t.experiment_id"
                    + " and u.phase = t.phase and u.scenario = t.scenario and u.conversion_type = '' and u.unit_id = t.unit_id";

    private ArmSums() {}

    /**
     * Whether a pass should look its changed rows up by key rather than join whole tables: when
     * they are fewer than a quarter of the exposed units (a look-up costs about as much as scanning
     * four rows).
     */
    static boolean lookups(JdbcTemplate jdbc) {
        long changed = jdbc.queryForObject("select count(*) from pass_unit", Long.class);
        long exposed =
                jdbc.queryForObject(
                        "select coalesce(sum(units), 0) from agg_arm_units", Long.class);
        return changed * 4 < exposed;
    }

    /**
     * Adds sign × the current contribution of the pass's units (pass_unit, pass_unit_type) to the
     * sums. With {@code lookups} ({@link #lookups}) the units are looked up by primary key whatever
     * the planner's statistics say: with stale ones it hash-joins the whole per-unit table, and a
     * small pass would cost all exposed units rather than its own.
     */
    static void addPassContribution(JdbcTemplate jdbc, int sign, boolean lookups) {
        if (lookups) {
            jdbc.execute("set local enable_hashjoin = off");
            jdbc.execute("set local enable_mergejoin = off");
        }
        add(jdbc, "u", "''", TOTAL_TERMS, TOTALS_FROM_PASS, "", sign);
        add(
                jdbc,
                "t",
                "t.conversion_type",
                TYPED_TERMS,
                TYPED_FROM_PASS + TYPED_UNIT_JOIN,
                "",
                sign);
        if (lookups) {
            jdbc.execute("set local enable_hashjoin = on");
            jdbc.execute("set local enable_mergejoin = on");
        }
    }

    /**
     * Replaces every sum with one computed from all of agg_unit, and the units from the settled
     * exposures.
     */
    static void recomputeAll(JdbcTemplate jdbc) {
        // delete, not truncate: a report reading meanwhile keeps its snapshot of the old sums
        jdbc.update("delete from agg_arm_sum");
        jdbc.update("delete from agg_arm_units");
        add(jdbc, "u", "''", TOTAL_TERMS, TOTALS_FROM_ALL, "", 1);
        add(
                jdbc,
                "t",
                "t.conversion_type",
                TYPED_TERMS,
                TYPED_FROM_ALL + TYPED_UNIT_JOIN,
                " where t.conversion_type <> ''",
                1);
        jdbc.update(
                "insert into agg_arm_units (experiment_id, phase, arm_index, units)"
                        + " select x.experiment_id, x.phase, x.arm_index, count(*) from exposure x"
                        + " where not exists (select 1 from exposure_pending p where p.experiment_id = x.experiment_id"
                        + " and p.phase = x.phase and p.unit_id = x.unit_id) group by 1, 2, 3");
        jdbc.update(
                "insert into agg_arm_terms (id, terms) values (1, ?)"
                        + " on conflict (id) do update set terms = excluded.terms",
                FINGERPRINT);
    }

    /** Counts the pending first exposures into their arms' units. */
    static void addPendingExposures(JdbcTemplate jdbc) {
        jdbc.update(
                "insert into agg_arm_units as a (experiment_id, phase, arm_index, units)"
                        + " select x.experiment_id, x.phase, x.arm_index, count(*) from exposure_pending p"
                        + " join exposure x on x.experiment_id = p.experiment_id and x.phase = p.phase and x.unit_id = p.unit_id"
                        + " group by 1, 2, 3 on conflict (experiment_id, phase, arm_index) do update set units = a.units + excluded.units");
    }

    /** Whether the stored sums were built with this code's terms. */
    static boolean current(JdbcTemplate jdbc) {
        List<String> stored =
                jdbc.queryForList("select terms from agg_arm_terms where id = 1", String.class);
        return !stored.isEmpty() && stored.get(0).equals(FINGERPRINT);
    }

    private static void add(
            JdbcTemplate jdbc,
            String row,
            String type,
            List<String> terms,
            String from,
            String where,
            int sign) {
        String sql =
                "insert into agg_arm_sum as s (experiment_id, phase, scenario, conversion_type, arm_index, term, sum)"
                        + " select g.experiment_id, g.phase, g.scenario, g.conversion_type, g.arm_index, v.term, v.sum * "
                        + sign
                        + " from (select "
                        + row
                        + ".experiment_id, "
                        + row
                        + ".phase, "
                        + row
                        + ".scenario, "
                        + type
                        + " as conversion_type, "
                        + row
                        + ".arm_index, array["
                        + String.join(", ", terms)
                        + "] as sums"
                        + from
                        + where
                        + " group by 1, 2, 3, 4, 5) g"
                        + " cross join lateral unnest(?::text[], g.sums) v(term, sum)"
                        + " on conflict (experiment_id, phase, scenario, conversion_type, arm_index, term)"
                        + " do update set sum = s.sum + excluded.sum";
        jdbc.update(
                con -> {
                    PreparedStatement ps = con.prepareStatement(sql);
                    ps.setArray(1, con.createArrayOf("text", terms.toArray()));
                    return ps;
                });
    }
}
