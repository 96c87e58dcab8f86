package io.splitrank.app.ingest;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * The consumers of the event topic (one group, on every node): writes each polled batch of records
 * to PostgreSQL exactly once. In one transaction it locks the group's stored offset of every
 * partition in the batch, leaves out the records below it (already written, e.g. by the consumer
 * that had the partition before a rebalance), appends the events through {@link PostgresEventLog}
 * (which leaves out ids already stored, so duplicates by event id are refused across partitions and
 * restarts) and stores the offset after the last record. A consumer given a partition seeks to the
 * stored offset, so a restart resumes exactly where the last commit ended; Kafka's own committed
 * offsets are written too (after the PostgreSQL commit), but only for monitoring (lag).
 */
class KafkaEventWriter
        implements BatchMessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventWriter.class);
    private static final int RETRIES = 5;

    private final DataSource dataSource;
    private final PostgresEventLog eventLog;
    private final String group;

    KafkaEventWriter(DataSource dataSource, PostgresEventLog eventLog, String group) {
        this.dataSource = dataSource;
        this.eventLog = eventLog;
        this.group = group;
    }

    @Override
    public void onPartitionsAssigned(
            Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select next_offset from event_consumer_offset"
                                        + " where consumer_group = ? and topic = ? and kafka_partition = ?")) {
            for (TopicPartition tp : partitions) {
                ps.setString(1, group);
                ps.setString(2, tp.topic());
                ps.setInt(3, tp.partition());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        consumer.seek(tp, rs.getLong(1));
                    } else {
                        consumer.seekToBeginning(List.of(tp));
                    }
                }
            }
        } catch (SQLException e) {
            // no harm: whatever position Kafka gives, records below the stored offsets are skipped
            // when written
            log.warn("Could not read the stored offsets of {}: {}", partitions, e.toString());
        }
    }

    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition =
                new TreeMap<>(partitionOrder());
        for (ConsumerRecord<String, byte[]> r : records) {
            byPartition
                    .computeIfAbsent(
                            new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>())
                    .add(r);
        }
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    write(c, byPartition);
                    c.commit();
                    return;
                } catch (SQLException e) {
                    PostgresEventLog.rollbackQuietly(c);
                    if (attempt < RETRIES && PostgresEventLog.isConflict(e)) {
                        continue;
                    }
                    throw e;
                } catch (IOException | RuntimeException e) {
                    PostgresEventLog.rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException | IOException e) {
                // the container's error handler polls the same records again after a pause
                throw new EventLogUnavailableException(
                        "could not write " + records.size() + " consumed events", e);
            }
        }
    }

    private void write(
            Connection c, Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition)
            throws SQLException, IOException {
        List<Event> events = new ArrayList<>();
        Map<TopicPartition, Long> next = new TreeMap<>(partitionOrder());
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, byte[]>>> e :
                byPartition.entrySet()) {
            TopicPartition tp = e.getKey();
            long stored = lockOffset(c, tp);
            long last = -1;
            for (ConsumerRecord<String, byte[]> r : e.getValue()) {
                last = Math.max(last, r.offset());
                if (r.offset() < stored) {
                    continue; // written before, by this group
                }
                try {
                    events.add(EventCodec.decode(r.value()));
                } catch (RuntimeException unreadable) {
                    // not an event this app produced: nothing to write, but skip it for good
                    log.error(
                            "Skipping an unreadable record at {}@{}: {}",
                            tp,
                            r.offset(),
                            unreadable.toString());
                }
            }
            if (last + 1 > stored) {
                next.put(tp, last + 1);
            }
        }
        if (!events.isEmpty()) {
            eventLog.appendWithin(c, events);
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "update event_consumer_offset set next_offset = ?, updated_at = now()"
                                + " where consumer_group = ? and topic = ? and kafka_partition = ?")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, group);
                ps.setString(3, e.getKey().topic());
                ps.setInt(4, e.getKey().partition());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Comparator<TopicPartition> partitionOrder() {
        return (a, b) ->
                a.topic().equals(b.topic())
                        ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic());
    }

    /** The group's stored offset of a partition, locked until the commit (0 when none yet). */
    private long lockOffset(Connection c, TopicPartition tp) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement(
                        "insert into event_consumer_offset (consumer_group, topic, kafka_partition,"
                                + " next_offset) values (?, ?, ?, 0) on conflict do nothing")) {
            insert.setString(1, group);
            insert.setString(2, tp.topic());
            insert.setInt(3, tp.partition());
            insert.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "select next_offset from event_consumer_offset"
                                + " where consumer_group = ? and topic = ? and kafka_partition = ?"
                                + " for update")) {
            ps.setString(1, group);
            ps.setString(2, tp.topic());
            ps.setInt(3, tp.partition());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
