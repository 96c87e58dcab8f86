-- Experiment configuration (JPA), its phases and its audit log.

create table experiment (
    id             bigserial primary key,
    key            varchar(64)  not null unique,
    name           varchar(200) not null,
    hypothesis     text,
    status         varchar(16)  not null default 'draft'
                   check (status in ('draft', 'running', 'stopped', 'archived')),
    layer          varchar(64),
    layer_start    double precision,
    layer_end      double precision,
    hash_attribute varchar(64)  not null default 'userId',
    seed           varchar(200) not null,
    hash_version   integer      not null default 2 check (hash_version in (1, 2)),
    coverage       double precision not null default 1 check (coverage >= 0 and coverage <= 1),
    condition_json text,
    metrics_json   text,
    analysis_json  text,
    phase          integer      not null default 1 check (phase >= 1),
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    started_at     timestamptz,
    stopped_at     timestamptz,
    version        bigint       not null default 0,
    check ((layer is null) = (layer_start is null) and (layer_start is null) = (layer_end is null)),
    check (layer_start is null or (layer_start >= 0 and layer_end <= 1 and layer_start < layer_end))
);

create index experiment_status_idx on experiment (status);
create index experiment_layer_idx on experiment (layer) where layer is not null;

-- The arms of the current phase, in order; the first is the control.
create table experiment_arm (
    experiment_id bigint       not null references experiment (id) on delete cascade,
    position      integer      not null,
    key           varchar(64)  not null,
    name          varchar(200) not null,
    model         varchar(64)  not null,
    weight        double precision not null check (weight >= 0 and weight <= 1),
    primary key (experiment_id, position),
    unique (experiment_id, key)
);

-- Every phase an experiment ran in, with the arms and seed it hashed with; results are per phase.
create table experiment_phase (
    experiment_id bigint      not null references experiment (id) on delete cascade,
    phase         integer     not null,
    hash_seed     varchar(220) not null,
    arms_json     text        not null,
    coverage      double precision not null,
    started_at    timestamptz not null,
    ended_at      timestamptz,
    primary key (experiment_id, phase)
);

-- Who changed what and when; before/after are the experiment documents as JSON.
create table audit_log (
    id             bigserial primary key,
    experiment_key varchar(64) not null,
    actor          varchar(200) not null,
    action         varchar(32) not null,
    at             timestamptz not null,
    before_json    text,
    after_json     text
);

create index audit_log_experiment_idx on audit_log (experiment_key, at);
