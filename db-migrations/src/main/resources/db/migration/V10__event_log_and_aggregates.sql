-- Event ingestion (package io.splitrank.app.ingest) and attribution aggregates
-- (package io.splitrank.app.aggregate).

-- The event log, partitioned by event time (monthly; ensure_event_partitions creates them ahead).
-- type: 0 impression, 1 click, 2 conversion. batch_id: the ingest batch that wrote the row, which
-- the aggregator uses to find events it has not attributed yet.
create table event (
    batch_id        bigint       not null,
    event_id        varchar(200) not null,
    type            smallint     not null check (type in (0, 1, 2)),
    unit_id         varchar(200) not null,
    ts              timestamptz  not null,
    scenario        varchar(64),
    item_id         varchar(200),
    conversion_type varchar(64),
    value           double precision,
    received_at     timestamptz  not null
) partition by range (ts);

create index event_batch_idx on event (batch_id);
create index event_unit_ts_idx on event (unit_id, ts);

-- Idempotency across partitions: an event id is accepted once, whatever its timestamp.
create table event_id_seen (
    event_id varchar(200) primary key
);

create sequence event_batch_seq;

-- Committed batches the aggregator has not attributed yet. Written in the ingest transaction and
-- deleted in the aggregator's, so every event is attributed exactly once whatever the commit order.
create table event_batch_pending (
    batch_id    bigint      primary key,
    min_ts      timestamptz not null,
    max_ts      timestamptz not null,
    events      integer     not null,
    received_at timestamptz not null
);

-- First exposures the aggregator has not attributed yet: events that arrived before the exposure
-- row was written (exposures are buffered) are attributed when it appears.
create table exposure_pending (
    experiment_id bigint       not null,
    phase         integer      not null,
    unit_id       varchar(200) not null,
    primary key (experiment_id, phase, unit_id)
);

create function exposure_pending_insert() returns trigger language plpgsql as $$
begin
    insert into exposure_pending (experiment_id, phase, unit_id)
    values (new.experiment_id, new.phase, new.unit_id) on conflict do nothing;
    return null;
end $$;

create trigger exposure_pending_trigger after insert on exposure
    for each row execute function exposure_pending_insert();

-- An event is attributed to every experiment phase its unit was exposed to.
create index exposure_unit_idx on exposure (unit_id);

-- Monthly partitions of the event log covering [from_day, to_day]; idempotent.
create function ensure_event_partitions(from_day date, to_day date) returns integer language plpgsql as $$
declare
    m date := date_trunc('month', from_day)::date;
    created integer := 0;
    name text;
begin
    while m <= to_day loop
        name := 'event_' || to_char(m, 'YYYY_MM');
        if to_regclass(name) is null then
            execute format('create table %I partition of event for values from (%L) to (%L)',
                           name, m::timestamptz, (m + interval '1 month')::timestamptz);
            created := created + 1;
        end if;
        m := (m + interval '1 month')::date;
    end loop;
    return created;
end $$;

-- Per-unit sums per experiment phase, arm and scenario ('' = all scenarios), and per conversion type
-- ('' = the unit's totals: impressions, clicks, conversions of every type and value; a type's row
-- holds only that type's conversions). pre_* are the unit's events in the CUPED window before its
-- first exposure (analysis.cupedDays); the others are at or after its first exposure.
create table agg_unit (
    experiment_id   bigint       not null,
    phase           integer      not null,
    scenario        varchar(64)  not null,
    conversion_type varchar(64)  not null,
    unit_id         varchar(200) not null,
    arm_index       smallint     not null,
    impressions     bigint           not null default 0,
    clicks          bigint           not null default 0,
    conversions     bigint           not null default 0,
    value           double precision not null default 0,
    pre_impressions bigint           not null default 0,
    pre_clicks      bigint           not null default 0,
    pre_conversions bigint           not null default 0,
    pre_value       double precision not null default 0,
    primary key (experiment_id, phase, scenario, conversion_type, unit_id)
) partition by list (scenario);

-- The report's main query reads the all-scenarios totals rows (one per exposed unit) and the
-- all-scenarios per-type rows: partitions of their own, so it never scans the per-scenario rows.
-- fillfactor leaves room for HOT updates: the aggregator updates these rows in place.
create table agg_unit_all partition of agg_unit for values in ('') partition by list (conversion_type);
create table agg_unit_all_totals partition of agg_unit_all for values in ('') with (fillfactor = 70);
create table agg_unit_all_types partition of agg_unit_all default with (fillfactor = 70);
create table agg_unit_scenario partition of agg_unit default partition by list (conversion_type);
create table agg_unit_scenario_totals partition of agg_unit_scenario for values in ('') with (fillfactor = 70);
create table agg_unit_scenario_types partition of agg_unit_scenario default with (fillfactor = 70);

-- The same sums per UTC day of the event (post-exposure only), for the cumulative daily series.
create table agg_unit_day (
    experiment_id   bigint       not null,
    phase           integer      not null,
    scenario        varchar(64)  not null,
    conversion_type varchar(64)  not null,
    unit_id         varchar(200) not null,
    day             date         not null,
    arm_index       smallint     not null,
    impressions     bigint           not null default 0,
    clicks          bigint           not null default 0,
    conversions     bigint           not null default 0,
    value           double precision not null default 0,
    primary key (experiment_id, phase, scenario, conversion_type, day, unit_id)
) partition by list (scenario);

create table agg_unit_day_all partition of agg_unit_day for values in ('') with (fillfactor = 70);
create table agg_unit_day_scenario partition of agg_unit_day default with (fillfactor = 70);

-- When the aggregator last attributed something, and how far it got; one row.
create table agg_progress (
    id              integer     primary key check (id = 1),
    processed_at    timestamptz,
    events          bigint      not null default 0,
    pairs           bigint      not null default 0
);
insert into agg_progress (id, events, pairs) values (1, 0, 0);
