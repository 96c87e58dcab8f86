-- Accounts with roles, scoped API keys, experiment owners and webhook secrets (issue #12).

-- Dashboard roles: viewer (reads), owner (creates experiments, edits its own), admin (everything).
alter table dashboard_user drop constraint dashboard_user_role_check;
update dashboard_user set role = case role when 'writer' then 'owner' when 'reader' then 'viewer' else role end;
alter table dashboard_user add constraint dashboard_user_role_check check (role in ('viewer', 'owner', 'admin'));
alter table dashboard_user add column password_changed_at timestamptz;

-- API key scopes: sdk (what a recommendation service needs), reader, writer (sdk + analysis + reads),
-- admin. The secret's first characters are kept to recognise a key; its hash authenticates it.
alter table api_key drop constraint api_key_role_check;
alter table api_key rename column role to scope;
alter table api_key add constraint api_key_scope_check check (scope in ('sdk', 'reader', 'writer', 'admin'));
alter table api_key
    add column prefix       varchar(16),
    add column created_by   varchar(200),
    add column last_used_at timestamptz,
    add column revoked_by   varchar(200),
    add column rate_limit   integer not null default 0 check (rate_limit >= 0);

-- The owner of an experiment (its creator); experiments from before belong to admin. A per-experiment
-- secret signs its webhook calls (HMAC-SHA256 of the body).
alter table experiment
    add column owner          varchar(200),
    add column webhook_secret varchar(100);
update experiment set owner = 'admin' where owner is null;
update experiment set webhook_secret = md5(random()::text || id::text || clock_timestamp()::text)
                                       || md5(random()::text || key || clock_timestamp()::text)
where webhook_secret is null;
alter table experiment alter column owner set not null;
alter table experiment alter column webhook_secret set not null;

-- Who changed which account or key, and how (package security); experiment changes are in audit_log.
create table security_audit (
    id          bigserial    primary key,
    actor       varchar(200) not null,
    action      varchar(32)  not null,
    subject     varchar(200) not null,
    at          timestamptz  not null,
    detail_json text
);

create index security_audit_at_idx on security_audit (at);
