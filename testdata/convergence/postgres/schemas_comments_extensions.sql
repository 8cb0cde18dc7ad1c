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
