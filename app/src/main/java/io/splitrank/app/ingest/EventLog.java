package io.splitrank.app.ingest;

import java.util.List;

/**
 * Where validated events go: the seam between the API and the storage, so that a Kafka topic
 * (partitioned by unit) can sit between ingestion and the aggregator without changing either.
 */
public interface EventLog {

    /**
     * Appends a batch durably, once per event id: events whose id was appended before (or earlier
     * in the same batch) are counted as duplicates and not written again. Returns only after the
     * batch is durable.
     *
     * @throws EventLogUnavailableException when nothing could be written
     */
    AppendResult append(List<Event> events);

    /**
     * @param accepted events written now
     * @param duplicates events already in the log (or repeated in the batch)
     */
    record AppendResult(int accepted, int duplicates) {}
}
