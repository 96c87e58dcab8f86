package io.splitrank.app.serving;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Stores the merged lists rank answers for interleaving experiments, so that clicks and conversions
 * can be credited to the arm that contributed each item (the aggregate package reads them).
 */
@Repository
class InterleavedRankings {

    private final JdbcTemplate jdbc;

    InterleavedRankings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One merged list: its items in order and the index of the arm credited with each. */
    void save(
            String rankingId,
            long experimentId,
            int phase,
            String unitId,
            Instant at,
            List<String> itemIds,
            List<Integer> arms) {
        jdbc.update(
                connection -> {
                    var ps =
                            connection.prepareStatement(
                                    "insert into interleaved_ranking (ranking_id, experiment_id,"
                                            + " phase, unit_id, created_at, item_ids, arms) values"
                                            + " (?, ?, ?, ?, ?, ?, ?)");
                    ps.setString(1, rankingId);
                    ps.setLong(2, experimentId);
                    ps.setInt(3, phase);
                    ps.setString(4, unitId);
                    ps.setTimestamp(5, Timestamp.from(at));
                    ps.setArray(6, connection.createArrayOf("text", itemIds.toArray()));
                    ps.setArray(
                            7,
                            connection.createArrayOf(
                                    "int2", arms.stream().map(Integer::shortValue).toArray()));
                    return ps;
                });
    }
}
