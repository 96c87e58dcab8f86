-- The experiment package's published read model for SQL consumers (the aggregator's attribution
-- runs in the database): per experiment phase, when it ended and the CUPED window in days. Only the
-- experiment package reads its own tables; other packages read this view.
create view experiment_phase_window as
select p.experiment_id,
       p.phase,
       p.ended_at,
       greatest(0, coalesce((x.analysis_json::jsonb ->> 'cupedDays')::int, 0)) as cuped_days
from experiment_phase p
join experiment x on x.id = p.experiment_id;
