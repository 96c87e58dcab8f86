package io.splitrank.app.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The event log behind a Kafka topic ({@code splitrank.events.transport=kafka}): each event of a
 * batch becomes a record keyed by its unit id (so a unit's events share a partition), sent by an
 * idempotent producer with {@code acks=all}, and the batch is acknowledged only when Kafka has
 * acknowledged every record. {@link KafkaEventWriter} writes them to PostgreSQL.
 *
 * <p>What the answer means here: {@code accepted} is the number of distinct events handed to Kafka
 * (durable in the topic), {@code duplicates} the events repeated within the batch. Whether an id
 * was received before is known only when the events are written, where such events are left out, as
 * on the direct path; a resend is therefore always safe, but it is counted as accepted again. When
 * Kafka cannot acknowledge (unreachable, or not within {@code ack-timeout}) the batch is refused as
 * a whole, even if some of its records did reach the topic: the client resends it and the writer
 * stores each event once.
 */
class KafkaEventLog implements EventLog {

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaTransportProperties properties;

    KafkaEventLog(KafkaTemplate<String, byte[]> kafka, KafkaTransportProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    @Override
    public AppendResult append(List<Event> events) {
        Map<String, Event> unique = new LinkedHashMap<>();
        for (Event e : events) {
            unique.putIfAbsent(e.eventId(), e);
        }
        long deadline = System.nanoTime() + properties.ackTimeout().toNanos();
        List<CompletableFuture<?>> sent = new ArrayList<>(unique.size());
        try {
            for (Event e : unique.values()) {
                sent.add(kafka.send(properties.topic(), e.unitId(), EventCodec.encode(e)));
            }
            for (CompletableFuture<?> f : sent) {
                long left = Math.max(0, deadline - System.nanoTime());
                f.get(left, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw unavailable(events, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw unavailable(events, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(events, e);
        }
        return new AppendResult(unique.size(), events.size() - unique.size());
    }

    private static EventLogUnavailableException unavailable(List<Event> events, Throwable cause) {
        return new EventLogUnavailableException(
                "Kafka did not acknowledge " + events.size() + " events", cause);
    }
}
