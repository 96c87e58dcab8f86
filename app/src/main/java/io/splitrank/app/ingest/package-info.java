/**
 * Event ingestion: {@code POST /api/v1/events} validates a batch of up to 10,000 impressions,
 * clicks and conversions and appends it, idempotently by event id, to the event log.
 *
 * <p>The controller and the validation talk to the log only through {@link
 * io.splitrank.app.ingest.EventLog}. Today {@code PostgresEventLog} writes a batch with COPY into
 * the time-partitioned {@code event} table in one transaction (the event id dedupe table, the rows
 * and a pending-batch marker for the aggregator), and acknowledges only after the commit. To grow
 * past one machine, {@code splitrank.events.transport=kafka} puts {@code KafkaEventLog} in its
 * place: it produces the batch to a Kafka topic partitioned by unit id (the idempotent producer's
 * acknowledgement being the durability point), and {@code KafkaEventWriter}, one consumer group
 * across the nodes, writes the topic to the table through {@code PostgresEventLog} (where the
 * dedupe happens) with the consumed offsets in the same transaction. The aggregator downstream
 * stays as it is, since it reads only what was committed to the log. See {@code docs/scaling.md}.
 */
package io.splitrank.app.ingest;
