package io.splitrank.app.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Credits the clicks and conversions of an interleaving experiment's units to the arms whose items
 * they were on. Each click or conversion about an item is matched to one merged list: the one its
 * {@code rankingId} names, when it names a list of this phase holding the item; otherwise, without
 * a ranking id, the unit's latest list before the event that held the item. It counts only when the
 * unit was shown the item (with a ranking id: an impression of the item matched to the same list;
 * without one, where the list is the latest guess, an impression of the item to the unit up to the
 * event), and only before the phase ended. Computed from the event log at report time: an
 * interleaving experiment needs few units, and its events are read per unit through the event log's
 * (unit, time) index.
 */
@Component
public class InterleavingCredits {

    /**
     * One unit's credited clicks, conversions and conversion value per arm (index as the phase's
     * arms).
     */
    public record UnitCredit(String unitId, long[] clicks, long[] conversions, double[] value) {}

    /**
     * The phase's credits.
     *
     * @param units units with at least one merged list in the phase
     * @param credited the units with at least one credited click or conversion
     */
    public record Credits(long units, List<UnitCredit> credited) {}

    private static final String SQL =
            """
            with rk as (
                select r.ranking_id, r.unit_id, r.created_at, i.item_id, i.arm
                from interleaved_ranking r
                cross join lateral unnest(r.item_ids, r.arms) as i(item_id, arm)
                where r.experiment_id = ? and r.phase = ?
            ),
            units as (select distinct unit_id from rk),
            w as (
                select coalesce(max(ended_at), 'infinity'::timestamptz) as ended_at
                from experiment_phase_window where experiment_id = ? and phase = ?
            ),
            ev as (
                select e.event_id, e.unit_id, e.type, e.item_id, e.ranking_id, e.ts,
                       coalesce(e.value, 0) as value
                from event e
                join units u on u.unit_id = e.unit_id
                cross join w
                where e.item_id is not null and e.ts < w.ended_at
            ),
            candidates as (
                select ev.event_id, rk.ranking_id as matched, rk.arm,
                       row_number() over (partition by ev.event_id order by rk.created_at desc) as n
                from ev
                join rk on rk.unit_id = ev.unit_id and rk.item_id = ev.item_id
                where (ev.ranking_id is not null and rk.ranking_id = ev.ranking_id)
                   or (ev.ranking_id is null and rk.created_at <= ev.ts)
            ),
            matched as (
                select ev.unit_id, ev.type, ev.item_id, ev.value, ev.ranking_id, ev.ts,
                       c.matched, c.arm
                from ev join candidates c on c.event_id = ev.event_id and c.n = 1
            ),
            shown as (select distinct matched, item_id from matched where type = 0)
            select m.unit_id, m.arm,
                   count(*) filter (where m.type = 1) as clicks,
                   count(*) filter (where m.type = 2) as conversions,
                   coalesce(sum(m.value) filter (where m.type = 2), 0) as value
            from matched m
            where m.type in (1, 2)
              and case when m.ranking_id is not null
                  then exists (select 1 from shown s
                               where s.matched = m.matched and s.item_id = m.item_id)
                  -- no ranking id: the list is a guess (the latest with the item), so any
                  -- impression of the item to the unit up to the event shows it was seen
                  else exists (select 1 from ev i
                               where i.unit_id = m.unit_id and i.item_id = m.item_id
                                 and i.type = 0 and i.ts <= m.ts)
                  end
            group by m.unit_id, m.arm
            order by m.unit_id, m.arm""";

    private final JdbcTemplate jdbc;

    InterleavingCredits(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The credits of an experiment phase with {@code arms} arms. */
    @Transactional(readOnly = true)
    public Credits credits(long experimentId, int phase, int arms) {
        Long units =
                jdbc.queryForObject(
                        "select count(distinct unit_id) from interleaved_ranking"
                                + " where experiment_id = ? and phase = ?",
                        Long.class,
                        experimentId,
                        phase);
        Map<String, UnitCredit> byUnit = new LinkedHashMap<>();
        jdbc.query(
                SQL,
                rs -> {
                    int arm = rs.getInt(2);
                    if (arm < 0 || arm >= arms) {
                        return;
                    }
                    UnitCredit c =
                            byUnit.computeIfAbsent(
                                    rs.getString(1),
                                    u ->
                                            new UnitCredit(
                                                    u,
                                                    new long[arms],
                                                    new long[arms],
                                                    new double[arms]));
                    c.clicks()[arm] += rs.getLong(3);
                    c.conversions()[arm] += rs.getLong(4);
                    c.value()[arm] += rs.getDouble(5);
                },
                experimentId,
                phase,
                experimentId,
                phase);
        return new Credits(units == null ? 0 : units, new ArrayList<>(byUnit.values()));
    }
}
