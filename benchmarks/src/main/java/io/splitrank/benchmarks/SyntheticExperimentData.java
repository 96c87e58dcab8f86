package io.splitrank.benchmarks;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Bulk data for the large-scale benchmarks, written straight into PostgreSQL with {@code generate_series}
 * (going through the API would take hours at this size): events over the last 9 days for {@code units}
 * units (70% impressions, 23% clicks, 7% conversions of two types, three scenarios), and first exposures of
 * the same units to one experiment phase, split over two arms. The ingestion and report benchmarks share it,
 * so they measure the same data.
 */
public final class SyntheticExperimentData {

    private SyntheticExperimentData() {
    }

    /**
     * Inserts the events and exposures, then analyzes both tables.
     *
     * @param prefix prefix of event and unit ids, unique per run
     * @param batchId the event log's batch id to file the events under (negative: not from the API)
     * @param label printed before the timings
     */
    public static void generate(Connection connection, long experimentId, String prefix, int batchId, long units,
            long events, String label) throws SQLException {
        String unit = "'" + prefix + "-' || ";
        try (Statement s = connection.createStatement()) {
            long t = System.nanoTime();
            s.executeUpdate("insert into event (batch_id, event_id, type, unit_id, ts, scenario, item_id,"
                    + " conversion_type, value, received_at)"
                    + " select " + batchId + ", '" + prefix + "-' || g,"
                    + " case when r < 0.7 then 0 when r < 0.93 then 1 else 2 end,"
                    + unit + "(g % " + units + "), now() - interval '9 days' + ((g % " + units + ") % 6) * interval '1 day'"
                    + " + (g * 7919 % 259200) * interval '1 second',"
                    + " (array['home', 'search', 'detail'])[1 + (g % 3)], 'ad' || (g % 5000),"
                    + " case when r >= 0.93 then (array['purchase', 'signup'])[1 + (g % 2)] end,"
                    + " case when r >= 0.7 then round((r * 100)::numeric, 2)::float8 end, now()"
                    + " from (select g, random() r from generate_series(1::bigint, " + events + ") g) x");
            System.out.printf(Locale.ROOT, "%s generated %d events in %.0f s%n", label, events,
                    (System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            s.executeUpdate("insert into exposure (experiment_id, phase, unit_id, arm_index, exposed_at)"
                    + " select " + experimentId + ", 1, " + unit + "g, g % 2,"
                    + " now() - interval '8 days' + (g % 5) * interval '1 day'"
                    + " from generate_series(0, " + (units - 1) + ") g");
            s.execute("analyze event");
            s.execute("analyze exposure");
            System.out.printf(Locale.ROOT, "%s generated %d exposures in %.0f s%n", label, units,
                    (System.nanoTime() - t) / 1e9);
        }
    }
}
