package io.splitrank.app.ingest;

import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Kafka event transport, on with {@code splitrank.events.transport=kafka} (the default, {@code
 * direct}, writes batches straight to PostgreSQL): {@code POST /api/v1/events} produces to the
 * topic ({@link KafkaEventLog}, which takes the place of the direct event log), and this node's
 * consumers of the group write the topic to PostgreSQL ({@link KafkaEventWriter}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "splitrank.events.transport", havingValue = "kafka")
class KafkaTransportConfiguration {

    @Bean
    KafkaAdmin eventKafkaAdmin(KafkaTransportProperties p) {
        KafkaAdmin admin =
                new KafkaAdmin(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrapServers()));
        admin.setOperationTimeout((int) Math.max(1, p.ackTimeout().toSeconds()));
        return admin;
    }

    /** Created at start when missing (an existing topic keeps its partitions). */
    @Bean
    NewTopic eventTopic(KafkaTransportProperties p) {
        return TopicBuilder.name(p.topic())
                .partitions(p.partitions())
                .replicas(p.replicationFactor())
                .config("min.insync.replicas", p.replicationFactor() >= 3 ? "2" : "1")
                .build();
    }

    @Bean
    ProducerFactory<String, byte[]> eventProducerFactory(KafkaTransportProperties p) {
        long ack = Math.max(2_000, p.ackTimeout().toMillis());
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // an unreachable cluster answers 503 within ack-timeout rather than block the request
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ack);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (ack / 2));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ack);
        return new DefaultKafkaProducerFactory<>(config);
    }

    @Bean
    KafkaTemplate<String, byte[]> eventKafkaTemplate(ProducerFactory<String, byte[]> factory) {
        return new KafkaTemplate<>(factory);
    }

    @Bean
    @Primary
    KafkaEventLog kafkaEventLog(
            KafkaTemplate<String, byte[]> eventKafkaTemplate, KafkaTransportProperties p) {
        return new KafkaEventLog(eventKafkaTemplate, p);
    }

    @Bean
    KafkaEventWriter kafkaEventWriter(
            DataSource dataSource, PostgresEventLog eventLog, KafkaTransportProperties p) {
        return new KafkaEventWriter(dataSource, eventLog, p.consumerGroup());
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> eventWriterContainer(
            KafkaTransportProperties p, KafkaEventWriter writer) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, p.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, p.consumerGroup());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, p.maxPollRecords());
        // only committed producer data (the producer is not transactional: all of it)
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ContainerProperties container = new ContainerProperties(p.topic());
        container.setMessageListener(writer);
        container.setConsumerRebalanceListener(writer);
        container.setAckMode(ContainerProperties.AckMode.BATCH);
        ConcurrentMessageListenerContainer<String, byte[]> listeners =
                new ConcurrentMessageListenerContainer<>(
                        new DefaultKafkaConsumerFactory<>(config), container);
        listeners.setConcurrency(p.consumers());
        listeners.setBeanName("event-writer");
        // PostgreSQL down: poll the same records again, every second, until they are written
        listeners.setCommonErrorHandler(
                new DefaultErrorHandler(new FixedBackOff(1_000L, FixedBackOff.UNLIMITED_ATTEMPTS)));
        return listeners;
    }
}
