-- The aggregator finds the events of pending batches by batch_id. Batch ids come from a sequence as
-- each batch is written, so a batch's rows sit together at the end of its partition, and a block
-- range index (BRIN: the least and greatest batch id per 128 pages) finds them as well as the B-tree
-- did, at a fraction of the cost: the B-tree added an index entry to every event's COPY (about a
-- tenth of the COPY's time here, docs/performance.md), the BRIN summary is written once per range.
-- autosummarize: ranges are summarised as they fill, not only by VACUUM; the newest, unsummarised
-- ranges (where pending batches are) are always read.
drop index event_batch_idx;
create index event_batch_brin on event using brin (batch_id) with (autosummarize = on);
