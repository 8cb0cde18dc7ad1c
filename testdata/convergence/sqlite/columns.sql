-- Columns: ADD COLUMN where SQLite allows it, DROP COLUMN, and rebuilds for the rest.

-- case: add a nullable column
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, note text);

-- case: add a not null column with a constant default
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, active integer not null default 1);

-- case: add a column with a string default
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, status text not null default 'draft');

-- case: add a column with a negative default
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, balance real default -1.5);

-- case: add a column with a non-constant default rebuilds
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, created_at text default current_timestamp);

-- case: add a not null column without a default rebuilds
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, code text not null);

-- case: drop a column
-- current
create table t (id integer primary key, old text);
-- desired
create table t (id integer primary key);

-- case: change a column type
-- current
create table t (id integer primary key, n integer);
-- desired
create table t (id integer primary key, n text);

-- case: widen a varchar
-- current
create table t (name varchar(50));
-- desired
create table t (name varchar(200));

-- case: set not null
-- current
create table t (id integer primary key, email text);
-- desired
create table t (id integer primary key, email text not null);

-- case: drop not null
-- current
create table t (id integer primary key, email text not null);
-- desired
create table t (id integer primary key, email text);

-- case: set a default
-- current
create table t (id integer primary key, n integer);
-- desired
create table t (id integer primary key, n integer default 0);

-- case: change a default
-- current
create table t (id integer primary key, status text default 'new');
-- desired
create table t (id integer primary key, status text default 'open');

-- case: an expression default in parentheses
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key, token text default (lower(hex(randomblob(8)))));

-- case: add a collation
-- current
create table t (name text);
-- desired
create table t (name text collate nocase);

-- case: add and drop columns together
-- current
create table t (id integer primary key, a text, b text);
-- desired
create table t (id integer primary key, b text, c integer);

-- case: a column type change on a table with indexes keeps them
-- current
create table t (id integer primary key, n integer, s text);
create index t_s on t (s);
-- desired
create table t (id integer primary key, n real, s text);
create index t_s on t (s);

-- case: add a virtual generated column
-- current
create table t (c integer);
-- desired
create table t (c integer, g integer as (c + 1));

-- case: a generated column becomes stored
-- current
create table t (c integer, g integer as (c + 1));
-- desired
create table t (c integer, g integer as (c + 1) stored);

-- case: a generated column becomes a plain column and keeps its values
-- current
create table t (c integer, g integer as (c * 2) stored);
-- desired
create table t (c integer, g integer);
