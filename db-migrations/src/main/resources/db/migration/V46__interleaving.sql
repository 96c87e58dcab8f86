-- Interleaving experiments (issue #14).

-- An experiment is an A/B test (units split between arms) or an interleaving experiment (every unit
-- in it sees one list merged from every arm's ranking).
alter table experiment add column type varchar(16) not null default 'ab'
    check (type in ('ab', 'interleaving'));

-- The merged lists that rank answered for interleaving experiments (package serving): per ranking,
-- its items in order and the arm credited with each. Clicks and conversions are credited through
-- them (package aggregate): by the event's ranking id, else by the unit's latest ranking before
-- the event that contained the item.
create table interleaved_ranking (
    ranking_id    varchar(64)  primary key,
    experiment_id bigint       not null references experiment (id) on delete cascade,
    phase         integer      not null,
    unit_id       varchar(200) not null,
    created_at    timestamptz  not null,
    item_ids      text[]       not null,
    arms          smallint[]   not null,
    check (cardinality(item_ids) = cardinality(arms))
);

create index interleaved_ranking_phase_idx on interleaved_ranking (experiment_id, phase, unit_id, created_at);
