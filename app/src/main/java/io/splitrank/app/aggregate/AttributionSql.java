package io.splitrank.app.aggregate;

/**
 * The attribution SQL, kept together because its parts must agree. An event and an exposure of the
 * same unit form a pair when the event is at or after the first exposure (and before the phase
 * ended), or within the CUPED window before it. The aggregator keeps one invariant: the per-unit
 * tables hold exactly the pairs of events and exposures that are no longer pending. A pass adds the
 * pairs of pending events with every exposure and of every other event with pending exposures, then
 * clears what it saw as pending, all in one repeatable-read transaction, so the order in which
 * events and buffered exposures commit never loses or doubles a pair. Plain SQL: a distributed
 * PostgreSQL (Citus, with everything distributed by unit) or a warehouse can run it as it is.
 */
final class AttributionSql {

    private AttributionSql() {}

    /**
     * Per experiment phase: when it ended, and the CUPED window, from the experiment package's
     * published view (V43): no other package reads the experiment tables.
     */
    static final String WINDOWS =
            """
            create temp table pass_window on commit drop as
            select w.experiment_id, w.phase, coalesce(w.ended_at, 'infinity'::timestamptz) as ended_at,
                   make_interval(days => w.cuped_days) as pre
            from experiment_phase_window w""";

    private static final String PAIR_COLUMNS =
            """
            select x.experiment_id, x.phase, x.arm_index, x.unit_id, e.scenario, e.type, e.conversion_type,
                   e.value, e.ts, e.ts >= x.exposed_at as post""";

    private static final String PAIR_WINDOW =
            """
             join pass_window w on w.experiment_id = x.experiment_id and w.phase = x.phase
            where e.ts < w.ended_at and e.ts >= x.exposed_at - w.pre""";

    /** The pass's pairs, in a temporary table the upserts read. */
    static final String CREATE_PAIRS =
            """
            create temp table pass_pair (experiment_id bigint, phase integer, arm_index smallint,
                unit_id varchar(200), scenario varchar(64), type smallint, conversion_type varchar(64),
                value double precision, ts timestamptz, post boolean) on commit drop""";

    /**
     * Pairs of the pending events (batch ids = ?, timestamps between ? and ? for partition pruning)
     * with every exposure of their units. The new events are materialised first so that the plan
     * starts from them and looks exposures up by unit, whatever the statistics say.
     */
    static final String NEW_EVENT_PAIRS =
            "insert into pass_pair with e as materialized (select * from event"
                    + " where batch_id = any(?) and ts between ? and ?)\n"
                    + PAIR_COLUMNS
                    + "\n"
                    + """
             from e join exposure x on x.unit_id = e.unit_id"""
                    + "\n"
                    + PAIR_WINDOW;

    /**
     * Pairs of the pending exposures with the unit's settled events (those not in pending batches =
     * ?).
     */
    static final String NEW_EXPOSURE_PAIRS =
            "insert into pass_pair "
                    + PAIR_COLUMNS
                    + "\n"
                    + """
             from exposure_pending p
             join exposure x on x.experiment_id = p.experiment_id and x.phase = p.phase and x.unit_id = p.unit_id
             join event e on e.unit_id = x.unit_id"""
                    + "\n"
                    + PAIR_WINDOW
                    + "\n"
                    + """
             and not (e.batch_id = any(?))""";

    /**
     * Pairs of a rebuild: settled events × settled exposures (the pending ones are the next
     * pass's).
     */
    static final String REBUILD_PAIRS =
            "insert into pass_pair "
                    + PAIR_COLUMNS
                    + "\n"
                    + """
             from exposure x
             join event e on e.unit_id = x.unit_id"""
                    + "\n"
                    + PAIR_WINDOW
                    + "\n"
                    + """
             and not exists (select 1 from event_batch_pending b where b.batch_id = e.batch_id)
             and not exists (select 1 from exposure_pending p
                             where p.experiment_id = x.experiment_id and p.phase = x.phase and p.unit_id = x.unit_id)""";

    /**
     * Per-unit sums of the pass's pairs, into each unit's rows for its scenario and for all
     * scenarios (''), and for its totals ('') and the conversion's type.
     */
    static final String UPSERT_UNITS =
            """
            insert into agg_unit as a (experiment_id, phase, scenario, conversion_type, unit_id, arm_index,
                impressions, clicks, conversions, value, pre_impressions, pre_clicks, pre_conversions, pre_value)
            select p.experiment_id, p.phase, s.scenario, c.conversion_type, p.unit_id, min(p.arm_index),
                count(*) filter (where p.post and p.type = 0),
                count(*) filter (where p.post and p.type = 1),
                count(*) filter (where p.post and p.type = 2),
                coalesce(sum(p.value) filter (where p.post and c.conversion_type = ''), 0),
                count(*) filter (where not p.post and p.type = 0),
                count(*) filter (where not p.post and p.type = 1),
                count(*) filter (where not p.post and p.type = 2),
                coalesce(sum(p.value) filter (where not p.post and c.conversion_type = ''), 0)
            from pass_pair p
            cross join lateral (values (''), (p.scenario)) s(scenario)
            cross join lateral (values (''), (case when p.type = 2 then p.conversion_type end)) c(conversion_type)
            where s.scenario is not null and c.conversion_type is not null
              and (c.conversion_type = '' or p.type = 2)
            group by p.experiment_id, p.phase, s.scenario, c.conversion_type, p.unit_id
            on conflict (experiment_id, phase, scenario, conversion_type, unit_id) do update set
                impressions = a.impressions + excluded.impressions,
                clicks = a.clicks + excluded.clicks,
                conversions = a.conversions + excluded.conversions,
                value = a.value + excluded.value,
                pre_impressions = a.pre_impressions + excluded.pre_impressions,
                pre_clicks = a.pre_clicks + excluded.pre_clicks,
                pre_conversions = a.pre_conversions + excluded.pre_conversions,
                pre_value = a.pre_value + excluded.pre_value""";

    /** The same per UTC day of the event, post-exposure pairs only. */
    static final String UPSERT_UNIT_DAYS =
            """
            insert into agg_unit_day as a (experiment_id, phase, scenario, conversion_type, unit_id, day, arm_index,
                impressions, clicks, conversions, value)
            select p.experiment_id, p.phase, s.scenario, c.conversion_type, p.unit_id,
                (p.ts at time zone 'UTC')::date, min(p.arm_index),
                count(*) filter (where p.type = 0),
                count(*) filter (where p.type = 1),
                count(*) filter (where p.type = 2),
                coalesce(sum(p.value) filter (where c.conversion_type = ''), 0)
            from pass_pair p
            cross join lateral (values (''), (p.scenario)) s(scenario)
            cross join lateral (values (''), (case when p.type = 2 then p.conversion_type end)) c(conversion_type)
            where p.post and s.scenario is not null and c.conversion_type is not null
              and (c.conversion_type = '' or p.type = 2)
            group by p.experiment_id, p.phase, s.scenario, c.conversion_type, p.unit_id, (p.ts at time zone 'UTC')::date
            on conflict (experiment_id, phase, scenario, conversion_type, day, unit_id) do update set
                impressions = a.impressions + excluded.impressions,
                clicks = a.clicks + excluded.clicks,
                conversions = a.conversions + excluded.conversions,
                value = a.value + excluded.value""";
}
