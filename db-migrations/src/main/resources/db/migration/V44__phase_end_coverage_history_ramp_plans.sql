-- Final results, coverage history, ramp plans and decisions (issue #11).

-- A stopped experiment's phase ends when it stops: events after that never count. Phases of
-- experiments stopped before this migration get their stop time.
update experiment_phase p
set ended_at = x.stopped_at
from experiment x
where p.experiment_id = x.id
  and p.phase = x.phase
  and p.ended_at is null
  and x.status in ('stopped', 'archived')
  and x.stopped_at is not null;

-- Every coverage a phase ran at, with when, who and why (start, an edit, a ramp step, a rollback).
create table experiment_coverage (
    id            bigserial    primary key,
    experiment_id bigint       not null references experiment (id) on delete cascade,
    phase         integer      not null,
    at            timestamptz  not null,
    coverage      double precision not null check (coverage >= 0 and coverage <= 1),
    actor         varchar(200) not null,
    reason        text         not null
);

create index experiment_coverage_idx on experiment_coverage (experiment_id, phase, at);

insert into experiment_coverage (experiment_id, phase, at, coverage, actor, reason)
select experiment_id, phase, started_at, coverage, 'system', 'start'
from experiment_phase;

-- The ramp plan (JSON, as the client wrote it) and where the experiment is on it: the step, when
-- it began, the exposed units of the phase when it began, and the plan's state with its reason.
alter table experiment
    add column ramp_plan_json       text,
    add column ramp_step            integer,
    add column ramp_step_started_at timestamptz,
    add column ramp_step_units      bigint,
    add column ramp_state           varchar(16)
        check (ramp_state in ('ramping', 'manual', 'complete', 'rolled-back')),
    add column ramp_reason          text,
    add column stop_reason          text;

-- Why an automatic action was taken, and the numbers it was taken on.
alter table audit_log
    add column reason        text,
    add column evidence_json text;

-- The last decision seen per experiment phase (package report): a change is sent to the webhook.
create table decision_state (
    experiment_id bigint       not null references experiment (id) on delete cascade,
    phase         integer      not null,
    outcome       varchar(16)  not null,
    arm           varchar(64),
    decided_at    timestamptz  not null,
    primary key (experiment_id, phase)
);
