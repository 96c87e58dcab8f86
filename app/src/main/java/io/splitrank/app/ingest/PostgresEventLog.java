package io.splitrank.app.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.stereotype.Component;

/**
 * The event log in PostgreSQL. One transaction per batch: claim the batch's event ids in
 * {@code event_id_seen} (a plain table, so the idempotency key holds across the event table's time
 * partitions), COPY the events whose ids were new into {@code event}, and mark the batch pending for
 * the aggregator. Ids are claimed in sorted order so that two batches sharing ids wait for each other
 * instead of deadlocking; the second one sees the first one's ids as duplicates once it commits.
 */
@Component
class PostgresEventLog implements EventLog {

    static final String COPY = "copy event (batch_id, event_id, type, unit_id, ts, scenario, item_id,"
            + " conversion_type, value, received_at) from stdin";
    private static final String CLAIM = "insert into event_id_seen (event_id) select unnest(?::varchar[])"
            + " on conflict do nothing returning event_id";

    private final DataSource dataSource;
    private final Clock clock;

    PostgresEventLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public AppendResult append(List<Event> events) {
        Map<String, Event> unique = new LinkedHashMap<>();
        for (Event e : events) {
            unique.putIfAbsent(e.eventId(), e);
        }
        String[] ids = unique.keySet().toArray(String[]::new);
        Arrays.sort(ids);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<String> fresh = claim(c, ids);
                List<Event> accepted = new ArrayList<>(fresh.size());
                for (Event e : unique.values()) {
                    if (fresh.contains(e.eventId())) {
                        accepted.add(e);
                    }
                }
                if (!accepted.isEmpty()) {
                    write(c, accepted);
                }
                c.commit();
                return new AppendResult(accepted.size(), events.size() - accepted.size());
            } catch (SQLException | IOException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new EventLogUnavailableException("could not write " + events.size() + " events", e);
        }
    }

    private static Set<String> claim(Connection c, String[] ids) throws SQLException {
        Set<String> fresh = new HashSet<>(ids.length * 2);
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            Array array = c.createArrayOf("varchar", ids);
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
            array.free();
        }
        return fresh;
    }

    private void write(Connection c, List<Event> events) throws SQLException, IOException {
        long batch;
        try (PreparedStatement ps = c.prepareStatement("select nextval('event_batch_seq')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            batch = rs.getLong(1);
        }
        Instant received = clock.instant();
        Instant min = events.get(0).timestamp();
        Instant max = min;
        StringBuilder rows = new StringBuilder(events.size() * 128);
        String batchText = Long.toString(batch);
        String receivedText = received.toString();
        for (Event e : events) {
            if (e.timestamp().isBefore(min)) {
                min = e.timestamp();
            }
            if (e.timestamp().isAfter(max)) {
                max = e.timestamp();
            }
            rows.append(batchText).append('\t');
            text(rows, e.eventId()).append('\t').append(e.type().code()).append('\t');
            text(rows, e.unitId()).append('\t').append(e.timestamp()).append('\t');
            text(rows, e.scenario()).append('\t');
            text(rows, e.itemId()).append('\t');
            text(rows, e.conversionType()).append('\t');
            if (e.value() == null) {
                rows.append("\\N");
            } else {
                rows.append(e.value().doubleValue());
            }
            rows.append('\t').append(receivedText).append('\n');
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(bytes));
        try (PreparedStatement ps = c.prepareStatement("insert into event_batch_pending"
                + " (batch_id, min_ts, max_ts, events, received_at) values (?, ?, ?, ?, ?)")) {
            ps.setLong(1, batch);
            ps.setTimestamp(2, Timestamp.from(min));
            ps.setTimestamp(3, Timestamp.from(max));
            ps.setInt(4, events.size());
            ps.setTimestamp(5, Timestamp.from(received));
            ps.executeUpdate();
        }
    }

    /** Appends a value in COPY's text format: \N for null, backslash escapes for the separators. */
    static StringBuilder text(StringBuilder sb, String value) {
        if (value == null) {
            return sb.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(ch);
            }
        }
        return sb;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}
