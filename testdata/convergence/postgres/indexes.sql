-- Indexes: plain, unique, multi-column, partial, expression, ordering, INCLUDE, methods, opclasses.

-- case: create a plain index
-- current
create table t (a int, b int);
-- desired
create table t (a int, b int);
create index t_a_idx on t (a);

-- case: unnamed index gets PostgreSQL's name
-- current
create table t (a int, b int);
-- desired
create table t (a int, b int);
create index on t (a, b);

-- case: unique index
-- current
create table t (email text);
-- desired
create table t (email text);
create unique index t_email_uidx on t (email);

-- case: partial index
-- current
create table t (email text, deleted_at timestamptz);
-- desired
create table t (email text, deleted_at timestamptz);
create index t_live_email on t (email) where deleted_at is null;

-- case: expression index
-- current
create table t (email text);
-- desired
create table t (email text);
create unique index t_lower_email on t (lower(email));

-- case: descending and nulls ordering
-- current
create table t (a int, b int);
-- desired
create table t (a int, b int);
create index t_order on t (a desc, b nulls first);

-- case: include columns
-- current
create table t (a int, b int, c text);
-- desired
create table t (a int, b int, c text);
create index t_a_inc on t (a) include (b, c);

-- case: gin index on jsonb and hash index
-- current
create table t (doc jsonb, code text);
-- desired
create table t (doc jsonb, code text);
create index t_doc on t using gin (doc);
create index t_code on t using hash (code);

-- case: non-default operator class
-- current
create table t (name text);
-- desired
create table t (name text);
create index t_name_pattern on t (name text_pattern_ops);

-- case: change index columns
-- current
create table t (a int, b int);
create index t_idx on t (a);
-- desired
create table t (a int, b int);
create index t_idx on t (a, b);

-- case: drop an index
-- current
create table t (a int);
create index t_a_idx on t (a);
-- desired
create table t (a int);

-- case: index on a new table in another schema
-- current
-- desired
create schema app;
create table app.events (id bigint, at timestamptz);
create index events_at_idx on app.events (at);
