-- People who sign in to the dashboard (API clients use api_key instead). Only a BCrypt hash of the
-- password is stored. The first account, admin, is created at start-up (SPLITRANK_ADMIN_PASSWORD).
create table dashboard_user (
    id            bigserial primary key,
    username      varchar(100) not null unique,
    password_hash varchar(100) not null,
    role          varchar(16)  not null check (role in ('admin', 'writer', 'reader')),
    created_at    timestamptz  not null,
    disabled_at   timestamptz
);
