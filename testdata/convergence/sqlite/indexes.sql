-- Indexes: created and dropped in place; unique, partial, expression, descending, collated.

-- case: add an index
-- current
create table t (id integer primary key, email text);
-- desired
create table t (id integer primary key, email text);
create index t_email on t (email);

-- case: drop an index
-- current
create table t (id integer primary key, email text);
create index t_email on t (email);
-- desired
create table t (id integer primary key, email text);

-- case: a unique index
-- current
create table t (id integer primary key, email text);
-- desired
create table t (id integer primary key, email text);
create unique index t_email on t (email);

-- case: make an index unique
-- current
create table t (id integer primary key, email text);
create index t_email on t (email);
-- desired
create table t (id integer primary key, email text);
create unique index t_email on t (email);

-- case: a partial index
-- current
create table t (id integer primary key, email text, deleted integer);
-- desired
create table t (id integer primary key, email text, deleted integer);
create index t_live on t (email) where deleted = 0;

-- case: an expression index
-- current
create table t (id integer primary key, email text);
-- desired
create table t (id integer primary key, email text);
create index t_lower_email on t (lower(email));

-- case: a multi-column descending index
-- current
create table t (a integer, b integer);
-- desired
create table t (a integer, b integer);
create index t_a_b on t (a, b desc);

-- case: a collated index key
-- current
create table t (name text);
-- desired
create table t (name text);
create index t_name on t (name collate nocase);

-- case: change the columns of an index
-- current
create table t (a integer, b integer);
create index t_idx on t (a);
-- desired
create table t (a integer, b integer);
create index t_idx on t (a, b);

-- case: drop a column that an index used
-- current
create table t (id integer primary key, a integer, b integer);
create index t_b on t (b);
-- desired
create table t (id integer primary key, a integer);
