package io.splitrank.app.ingest;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Kafka event transport, used only with {@code splitrank.events.transport=kafka}.
 *
 * @param bootstrapServers the brokers, comma-separated {@code host:port}
 * @param topic the event topic (keyed, hence partitioned, by unit id)
 * @param partitions partitions of the topic when the app creates it: the most consumers that share
 *     the work across all nodes
 * @param replicationFactor replicas of each partition when the app creates the topic (3 on a real
 *     cluster, 1 on a single broker)
 * @param consumerGroup the group of the consumers that write the events to PostgreSQL: the same on
 *     every node, so that the nodes share the partitions
 * @param consumers consumer threads on this node
 * @param ackTimeout how long {@code POST /api/v1/events} waits for Kafka to acknowledge a batch
 *     before answering 503
 * @param maxPollRecords the most records one consumer writes in one PostgreSQL transaction
 */
@Validated
@ConfigurationProperties("splitrank.events.kafka")
public record KafkaTransportProperties(
        @DefaultValue("localhost:9092") @NotBlank String bootstrapServers,
        @DefaultValue("splitrank-events") @NotBlank String topic,
        @DefaultValue("12") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("splitrank-event-writers") @NotBlank String consumerGroup,
        @DefaultValue("2") @Min(1) int consumers,
        @DefaultValue("10s") Duration ackTimeout,
        @DefaultValue("5000") @Min(1) int maxPollRecords) {}
