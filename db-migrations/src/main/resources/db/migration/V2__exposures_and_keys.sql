-- First exposure of a unit to an experiment phase: what the analysis counts.
-- Written in batches by the exposure recorder with ON CONFLICT DO NOTHING, so the first one wins.
create table exposure (
    experiment_id bigint      not null references experiment (id) on delete cascade,
    phase         integer     not null,
    unit_id       varchar(200) not null,
    arm_index     smallint    not null,
    exposed_at    timestamptz not null,
    primary key (experiment_id, phase, unit_id)
);

-- API keys; only a SHA-256 of the secret is stored.
create table api_key (
    id         bigserial primary key,
    name       varchar(100) not null unique,
    key_hash   varchar(64)  not null unique,
    role       varchar(16)  not null check (role in ('admin', 'writer', 'reader')),
    created_at timestamptz  not null,
    revoked_at timestamptz
);
