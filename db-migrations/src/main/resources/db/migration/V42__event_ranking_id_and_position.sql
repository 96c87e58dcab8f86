-- Events carry back what the ranking API answered (POST /api/v1/rank): the ranking's id and the
-- 1-based slot the item was shown in (1 to 1000); both optional, validated by the ingest endpoint.
-- Added to the partitioned parent, the columns reach every existing partition, and the partitions
-- ensure_event_partitions creates later get them too. Nullable, without a default or a constraint:
-- no partition is rewritten or scanned.
alter table event add column ranking_id varchar(64);
alter table event add column position smallint;
