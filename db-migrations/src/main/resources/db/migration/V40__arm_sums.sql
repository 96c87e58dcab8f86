-- Per-arm sums maintained by the aggregator (package io.splitrank.app.aggregate), so that a report
-- reads a few hundred rows instead of one row per exposed unit.

-- For each experiment phase, scenario ('' = all), conversion type ('' = the unit totals' terms) and
-- arm: the sum over the arm's units of every term the metric catalogue needs (a term is the SQL of
-- the sum, e.g. sum((u.clicks)::float8 * (u.impressions)::float8)). A pass subtracts the changed
-- units' old contributions and adds their new ones.
create table agg_arm_sum (
    experiment_id   bigint           not null,
    phase           integer          not null,
    scenario        varchar(64)      not null,
    conversion_type varchar(64)      not null,
    arm_index       smallint         not null,
    term            text             not null,
    sum             double precision not null,
    primary key (experiment_id, phase, scenario, conversion_type, arm_index, term)
);

-- Exposed units per experiment phase and arm, counted as the aggregator attributes first exposures
-- (so they agree with the sums' snapshot).
create table agg_arm_units (
    experiment_id bigint   not null,
    phase         integer  not null,
    arm_index     smallint not null,
    units         bigint   not null,
    primary key (experiment_id, phase, arm_index)
);

-- The term list agg_arm_sum was built with; when the code's catalogue differs, the aggregator
-- recomputes the sums from agg_unit before anything reads them.
create table agg_arm_terms (
    id    integer primary key check (id = 1),
    terms text    not null
);
