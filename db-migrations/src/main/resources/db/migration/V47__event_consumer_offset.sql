-- The Kafka event transport (splitrank.events.transport=kafka): the position of the consumer group
-- in each partition of the event topic, written in the same transaction as the event rows consumed
-- up to it, so that a consumer restarted (or a partition moved to another node) resumes exactly
-- where the last committed write ended: every event is written once.
create table event_consumer_offset (
    consumer_group  varchar(200) not null,
    topic           varchar(250) not null,
    kafka_partition integer      not null,
    -- the offset of the next record to consume (the last one written + 1)
    next_offset     bigint       not null,
    updated_at      timestamptz  not null default now(),
    primary key (consumer_group, topic, kafka_partition)
);
