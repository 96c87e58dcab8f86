package io.splitrank.app.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The stored report snapshots ({@code report_snapshot}), in plain JDBC: they are written once,
 * never edited.
 */
@Repository
class ReportSnapshots {

    /** A stored snapshot's listing entry; decisionJson is the decision object as JSON. */
    record Entry(
            long id,
            Instant createdAt,
            int phase,
            String trigger,
            String recommendation,
            String decisionJson) {}

    private final JdbcTemplate jdbc;

    ReportSnapshots(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insert(
            long experimentId,
            int phase,
            Instant createdAt,
            String trigger,
            String recommendation,
            String decisionJson,
            String json,
            String csv,
            String html) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(
                c -> {
                    var ps =
                            c.prepareStatement(
                                    "insert into report_snapshot (experiment_id, phase, created_at, trigger,"
                                            + " recommendation, decision_json, report_json, report_csv, report_html)"
                                            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    new String[] {"id"});
                    ps.setLong(1, experimentId);
                    ps.setInt(2, phase);
                    ps.setTimestamp(3, Timestamp.from(createdAt));
                    ps.setString(4, trigger);
                    ps.setString(5, recommendation);
                    ps.setString(6, decisionJson);
                    ps.setString(7, json);
                    ps.setString(8, csv);
                    ps.setString(9, html);
                    return ps;
                },
                keys);
        return keys.getKey().longValue();
    }

    /** Newest first, at most {@code limit}. */
    List<Entry> list(long experimentId, int limit) {
        return jdbc.query(
                "select id, created_at, phase, trigger, recommendation, decision_json from report_snapshot"
                        + " where experiment_id = ? order by created_at desc, id desc limit ?",
                (rs, i) ->
                        new Entry(
                                rs.getLong(1),
                                rs.getTimestamp(2).toInstant(),
                                rs.getInt(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6)),
                experimentId,
                limit);
    }

    /**
     * One rendering ({@code report_json}, {@code report_csv} or {@code report_html}) of a snapshot.
     */
    Optional<String> body(long experimentId, long id, Format format) {
        return jdbc
                .queryForList(
                        "select "
                                + format.column
                                + " from report_snapshot where id = ? and experiment_id = ?",
                        String.class,
                        id,
                        experimentId)
                .stream()
                .findFirst();
    }

    enum Format {
        JSON("report_json"),
        CSV("report_csv"),
        HTML("report_html");

        final String column;

        Format(String column) {
            this.column = column;
        }
    }
}
