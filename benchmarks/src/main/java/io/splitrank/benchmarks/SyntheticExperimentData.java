package io.splitrank.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Bulk data for the large-scale benchmarks, written straight into PostgreSQL with {@code
 * generate_series} (going through the API would take hours at this size): events over the last 9
 * days for {@code units} units (70% impressions, 23% clicks, 7% conversions of two types, three
 * scenarios), and first exposures of the same units to one experiment phase, split over two arms.
 * The ingestion and report benchmarks share it, so they measure the same data.
 */
public final class SyntheticExperimentData {

    private SyntheticExperimentData() {}

    /**
     * Inserts the events and exposures, then analyzes both tables.
     *
     * @param prefix prefix of event and unit ids, unique per run
     * @param batchId the event log's batch id to file the events under (negative: not from the API)
     * @param label printed before the timings
     */
    public static void generate(
            Connection connection,
            long experimentId,
            String prefix,
            int batchId,
            long units,
            long events,
            String label)
            throws SQLException {
        String unit = "'" + prefix + "-' || ";
        try (Statement s = connection.createStatement()) {
            long t = System.nanoTime();
            s.executeUpdate(
                    "insert into event (batch_id, event_id, type, unit_id, ts, scenario, item_id,"
                            + " conversion_type, value, received_at)"
                            + " select "
                            + batchId
                            + ", '"
                            + prefix
                            + "-' || g,"
                            + " case when r < 0.7 then 0 when r < 0.93 then 1 else 2 end,"
                            + unit
                            + "(g % "
                            + units
                            + "), now() - interval '9 days' + ((g % "
                            + units
                            + ") % 6) * interval '1 day'"
                            + " + (g * 7919 % 259200) * interval '1 second',"
                            + " (array['home', 'search', 'detail'])[1 + (g % 3)], 'ad' || (g % 5000),"
                            + " case when r >= 0.93 then (array['purchase', 'signup'])[1 + (g % 2)] end,"
                            + " case when r >= 0.7 then round((r * 100)::numeric, 2)::float8 end, now()"
                            + " from (select g, random() r from generate_series(1::bigint, "
                            + events
                            + ") g) x");
            System.out.printf(
                    Locale.ROOT,
                    "%s generated %d events in %.0f s%n",
                    label,
                    events,
                    (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            s.executeUpdate(
                    "insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at)"
                            + " select "
                            + experimentId
                            + ", 1, "
                            + unit
                            + "g, g % 2,"
                            + " now() - interval '8 days' + (g % 5) * interval '1 day'"
                            + " from generate_series(0, "
                            + (units - 1)
                            + ") g");
            s.execute("analyze event");
            s.execute("analyze exposure");
            System.out.printf(
                    Locale.ROOT,
                    "%s generated %d exposures in %.0f s%n",
                    label,
                    units,
                    (System.nanoTime() - t) / 1e9);
        }
    }

    /**
     * Recomputes an experiment's first-phase per-arm sums of the post-exposure totals straight from
     * the event log (impressions, clicks, conversions, value and their products; no per-type,
     * scenario or CUPED sums), as a report without the aggregates would have to; returns the
     * milliseconds it took.
     */
    public static double recomputeFromEventLog(Connection connection, long experimentId)
            throws SQLException {
        long start = System.nanoTime();
        try (Statement s = connection.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "with u as (select x.arm_index, x.unit_id,"
                                        + " count(*) filter (where e.type = 0) imp, count(*) filter (where e.type = 1) clk,"
                                        + " count(*) filter (where e.type = 2) conv, coalesce(sum(e.value), 0) val"
                                        + " from exposure x join event e on e.unit_id = x.unit_id and e.ts >= x.exposed_at"
                                        + " where x.experiment_id = "
                                        + experimentId
                                        + " and x.phase = 1 group by x.arm_index, x.unit_id)"
                                        + " select arm_index, count(*), sum(imp), sum(imp * imp), sum(clk), sum(clk * clk), sum(clk * imp),"
                                        + " sum(conv), sum(conv * conv), sum(conv * clk), sum(conv * imp), sum(val), sum(val * val),"
                                        + " sum(val * imp) from u group by arm_index")) {
            while (rs.next()) {
                rs.getLong(2);
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }
}
