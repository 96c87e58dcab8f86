-- Scheduled and on-demand report snapshots (package io.splitrank.app.report).

-- A report as it was when written: the JSON of GET .../report, and its CSV and HTML renderings,
-- rendered once at write time so that a snapshot never changes afterwards.
create table report_snapshot (
    id             bigserial    primary key,
    experiment_id  bigint       not null references experiment (id) on delete cascade,
    phase          integer      not null,
    created_at     timestamptz  not null,
    trigger        varchar(16)  not null check (trigger in ('schedule', 'manual')),
    recommendation varchar(16)  not null,
    decision_json  text         not null,
    report_json    text         not null,
    report_csv     text         not null,
    report_html    text         not null
);

create index report_snapshot_experiment_idx on report_snapshot (experiment_id, created_at desc);

-- When each running experiment's next scheduled report is due. The scheduler claims a due row by
-- moving next_run_at forward with a conditional update, so a restart or a second node never writes
-- the same scheduled report twice.
create table report_schedule (
    experiment_id bigint       primary key references experiment (id) on delete cascade,
    cron          varchar(120) not null,
    next_run_at   timestamptz  not null,
    last_run_at   timestamptz
);
