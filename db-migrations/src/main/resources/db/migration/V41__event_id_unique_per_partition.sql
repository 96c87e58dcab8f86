-- Idempotency by the event log itself: each monthly partition of `event` gets a unique index on
-- event_id, and the separate `event_id_seen` table goes. An acknowledged batch then costs one COPY
-- (a resend fails on the index and is retried with a look-up of the ids already stored), and the
-- ids leave with their partition when it is dropped, instead of growing forever in a table of their
-- own. The key's scope is the partition (the month of the event's timestamp); a resent event carries
-- its original timestamp, so a resend is always a duplicate (docs/events.md).

do $$
declare
    p record;
begin
    for p in select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
             where i.inhparent = 'event'::regclass loop
        execute format('create unique index if not exists %I on %I (event_id)', p.relname || '_event_id_key', p.relname);
    end loop;
end $$;

drop table event_id_seen;

-- Monthly partitions of the event log covering [from_day, to_day], each with its unique event_id
-- index; idempotent. Bounds as V10's (the session's time zone; UTC for the app), so new partitions
-- meet the existing ones.
create or replace function ensure_event_partitions(from_day date, to_day date) returns integer language plpgsql as $$
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
            execute format('create unique index %I on %I (event_id)', name || '_event_id_key', name);
            created := created + 1;
        end if;
        m := (m + interval '1 month')::date;
    end loop;
    return created;
end $$;
