-- Tables: create, drop, several at once, in other schemas, hostile names.

-- case: create a table in an empty database
-- current
-- desired
create table users (id bigint primary key, email text not null);

-- case: add a second table
-- current
create table users (id bigint primary key);
-- desired
create table users (id bigint primary key);
create table teams (id bigint primary key, name text);

-- case: drop a table
-- current
create table users (id bigint primary key);
create table legacy (id int);
-- desired
create table users (id bigint primary key);

-- case: table without columns
-- current
-- desired
create table marker ();

-- case: table in a named schema
-- current
-- desired
create schema billing;
create table billing.invoices (id bigint primary key, amount numeric(12, 2) not null);

-- case: mixed-case quoted names
-- current
create table "Users" ("Id" int primary key);
-- desired
create table "Users" ("Id" int primary key, "DisplayName" text);

-- case: hostile identifiers round-trip safely
-- current
create table "x""; drop table y; --" (id int);
-- desired
create table "x""; drop table y; --" (id int, "a b" text, "select" int);

-- case: reserved words as names
-- current
-- desired
create table "order" ("user" text, "from" int, "group" int);

-- case: many tables at once with foreign keys between them
-- current
-- desired
create table a (id int primary key);
create table b (id int primary key, a_id int references a);
create table c (id int primary key, b_id int references b, a_id int references a);

-- case: unlogged tables created unlogged, with their indexes
-- current
-- desired
create unlogged table cache (k text primary key, v jsonb);
create unlogged table scratch (id int) with (fillfactor = 80);
create index scratch_id_idx on scratch (id);

-- case: tables switched between logged and unlogged in place
-- current
create unlogged table cache (k text primary key, v jsonb);
create table log (id int primary key, body text);
-- desired
create table cache (k text primary key, v jsonb);
create unlogged table log (id int primary key, body text);

-- case: replica identities, as pg_dump writes them after the indexes
-- current
-- desired
create table events (id int primary key, body text);
alter table only events replica identity full;
create table quiet (id int);
alter table quiet replica identity nothing;
create table keyed (id int not null, code text not null, constraint keyed_code_key unique (code));
create unique index keyed_id_idx on keyed (id);
alter table keyed replica identity using index keyed_id_idx;

-- case: replica identities changed, one moved to an index created with it
-- current
create table events (id int primary key, body text);
alter table events replica identity full;
create table keyed (id int not null, code text not null);
-- desired
create table events (id int primary key, body text);
create table keyed (id int not null, code text not null);
create unique index keyed_code_idx on keyed (code);
alter table keyed replica identity using index keyed_code_idx;
