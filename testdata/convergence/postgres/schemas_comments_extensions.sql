-- Schemas, comments and extensions.

-- case: create a schema
-- current
-- desired
create schema reporting;

-- case: drop a schema with objects
-- current
create schema scratch;
create table scratch.tmp (id int);
-- desired

-- case: comments on a table and columns
-- current
create table t (id int, name text);
-- desired
create table t (id int, name text);
comment on table t is 'Things';
comment on column t.name is 'Display name, it''s shown';

-- case: change and remove comments
-- current
create table t (id int);
comment on table t is 'old';
comment on column t.id is 'key';
-- desired
create table t (id int);
comment on table t is 'new';

-- case: comments on other objects
-- current
-- desired
create schema app;
comment on schema app is 'Application objects';
create table app.t (id int);
create index t_id on app.t (id);
comment on index app.t_id is 'Lookup by id';
create view app.v as select id from app.t;
comment on view app.v is 'A view';
create sequence app.s;
comment on sequence app.s is 'Numbers';
create type app.e as enum ('x');
comment on type app.e is 'An enum';

-- case: comments on constraints and triggers, created with them
-- current
-- desired
create extension if not exists btree_gist;
create table parent (id int primary key, code text unique);
create table child (
    id int constraint "my.key" primary key,
    parent_id int references parent (id),
    n int check (n > 0),
    during tstzrange,
    exclude using gist (during with &&)
);
comment on constraint parent_pkey on parent is 'Key';
comment on constraint parent_code_key on parent is 'Codes are unique';
comment on constraint "my.key" on child is 'A dotted name';
comment on constraint child_parent_id_fkey on child is 'Belongs to a parent';
comment on constraint child_n_check on child is 'Positive, it''s checked';
comment on constraint child_during_excl on child is 'No overlap';
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger child_touch before update on child for each row execute function touch();
comment on trigger child_touch on child is 'Touches';

-- case: constraint and trigger comments changed, removed and added in place; a changed constraint keeps its comment
-- current
create table t (id int primary key, n int constraint t_n_check check (n > 0), m int unique);
comment on constraint t_pkey on t is 'old';
comment on constraint t_n_check on t is 'checked';
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger t_touch before update on t for each row execute function touch();
comment on trigger t_touch on t is 'old';
-- desired
create table t (id int primary key, n int constraint t_n_check check (n > 1), m int unique);
comment on constraint t_pkey on t is 'new';
comment on constraint t_n_check on t is 'checked';
comment on constraint t_m_key on t is 'added';
create function touch() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger t_touch before update on t for each row execute function touch();

-- case: create an extension and use its type
-- current
-- desired
create extension if not exists citext;
create table users (email citext unique);

-- case: extension in a schema
-- current
-- desired
create schema ext;
create extension pg_trgm schema ext;
