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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.stereotype.Component;

/**
 * The event log in PostgreSQL. One transaction per batch: COPY the batch's events into {@code
 * event} and mark the batch pending for the aggregator. Idempotency comes from the event log
 * itself: each monthly partition has a unique index on {@code event_id}, so a batch holding an id
 * already stored (a resend) fails its COPY; it is then retried with the ids already stored looked
 * up first and left out, and reported as duplicates. A fresh batch, the usual case, costs one COPY
 * and no look-up. Two batches sharing ids at the same moment make one of them wait for the other
 * and then fail or deadlock; the retry sees the winner's ids as duplicates. Events are written in
 * id order to make such deadlocks rarer.
 */
@Component
class PostgresEventLog implements EventLog {

    static final String COPY =
            "copy event (batch_id, event_id, type, unit_id, ts, scenario, item_id,"
                    + " conversion_type, value, ranking_id, position, received_at) from stdin";
    private static final String STORED =
            "select event_id from event where event_id = any(?::varchar[])";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK = "40P01";

    /**
     * Attempts after the optimistic one; each sees the ids committed by the batches it collided
     * with.
     */
    private static final int RETRIES = 5;

    private final DataSource dataSource;
    private final Clock clock;

    PostgresEventLog(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public AppendResult append(List<Event> events) {
        List<Event> sorted = distinctInIdOrder(events);
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    // first optimistically (a fresh batch), then without the ids already stored
                    List<Event> accepted = attempt == 0 ? sorted : withoutStored(c, sorted);
                    if (!accepted.isEmpty()) {
                        write(c, accepted);
                    }
                    c.commit();
                    return new AppendResult(accepted.size(), events.size() - accepted.size());
                } catch (SQLException e) {
                    rollbackQuietly(c);
                    if (attempt < RETRIES && isConflict(e)) {
                        continue;
                    }
                    throw e;
                } catch (IOException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException | IOException e) {
                throw new EventLogUnavailableException(
                        "could not write " + events.size() + " events", e);
            }
        }
    }

    /**
     * Writes within the caller's transaction (the Kafka transport's consumer, which commits its
     * offsets with the rows): the events whose ids are neither stored yet nor repeated earlier in
     * the list, looked up first. Nothing is committed or rolled back here; a unique violation (the
     * same id committed meanwhile by another writer) or a deadlock leaves the transaction for the
     * caller to roll back and retry.
     */
    void appendWithin(Connection c, List<Event> events) throws SQLException, IOException {
        List<Event> fresh = withoutStored(c, distinctInIdOrder(events));
        if (!fresh.isEmpty()) {
            write(c, fresh);
        }
    }

    /**
     * The first event of each id, in id order (the order writers lock the unique index in). A hash
     * map and one sort: a tree map cost twice as much for a batch of thousands.
     */
    private static List<Event> distinctInIdOrder(List<Event> events) {
        Map<String, Event> unique = new HashMap<>(events.size() * 2);
        for (Event e : events) {
            unique.putIfAbsent(e.eventId(), e);
        }
        List<Event> sorted = new ArrayList<>(unique.values());
        sorted.sort(Comparator.comparing(Event::eventId));
        return sorted;
    }

    /** Whether a write failed only because it met another writer: roll back and try again. */
    static boolean isConflict(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
    }

    /** The events whose ids are not in the event log yet (in any partition). */
    private static List<Event> withoutStored(Connection c, List<Event> events) throws SQLException {
        Set<String> stored = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(STORED)) {
            Array array = c.createArrayOf("varchar", events.stream().map(Event::eventId).toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getString(1));
                }
            }
            array.free();
        }
        List<Event> fresh = new ArrayList<>(events.size() - stored.size());
        for (Event e : events) {
            if (!stored.contains(e.eventId())) {
                fresh.add(e);
            }
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
            text(rows, e.unitId()).append('\t');
            Timestamps.appendIso(rows, e.timestamp()).append('\t');
            text(rows, e.scenario()).append('\t');
            text(rows, e.itemId()).append('\t');
            text(rows, e.conversionType()).append('\t');
            if (e.value() == null) {
                rows.append("\\N");
            } else {
                rows.append(e.value().doubleValue());
            }
            rows.append('\t');
            text(rows, e.rankingId()).append('\t');
            if (e.position() == null) {
                rows.append("\\N");
            } else {
                rows.append(e.position().intValue());
            }
            rows.append('\t').append(receivedText).append('\n');
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(bytes));
        try (PreparedStatement ps =
                c.prepareStatement(
                        "insert into event_batch_pending"
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
        // the usual value has nothing to escape: appended whole, not a character at a time
        int plain = 0;
        while (plain < value.length() && !escaped(value.charAt(plain))) {
            plain++;
        }
        sb.append(value, 0, plain);
        for (int i = plain; i < value.length(); i++) {
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

    private static boolean escaped(char ch) {
        return ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r';
    }

    /** Rolls back, ignoring a broken connection (closing it discards the transaction anyway). */
    static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it discards the transaction anyway
        }
    }
}
