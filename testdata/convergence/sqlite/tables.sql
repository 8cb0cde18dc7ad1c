-- Tables: create, drop, several at once, foreign keys between new tables, case of names.

-- case: create a table in an empty database
-- current
-- desired
create table t (id integer primary key, name text not null);

-- case: drop a table
-- current
create table t (id integer primary key);
create table gone (id integer primary key, note text);
-- desired
create table t (id integer primary key);

-- case: create two tables that reference each other's keys
-- current
-- desired
create table teams (id integer primary key, name text not null unique);
create table users (id integer primary key, team_id integer references teams (id) on delete cascade);

-- case: a table referenced before it is declared
-- current
-- desired
create table users (id integer primary key, team_id integer references teams);
create table teams (id integer primary key);

-- case: mixed case names fold to lower case
-- current
create table Users (Id integer primary key, Email text);
-- desired
create table users (id integer primary key, email text, Nick text);

-- case: quoted names keep their case
-- current
create table "Audit Log" ("When" text);
-- desired
create table "Audit Log" ("When" text, "Who" text);

-- case: a table without any key
-- current
create table events (payload blob);
-- desired
create table events (payload blob, received real);

-- case: columns without a declared type
-- current
create table loose (a, b);
-- desired
create table loose (a, b, c);

-- case: replace one table by another
-- current
create table old_things (id integer primary key);
-- desired
create table new_things (id integer primary key, label text);

-- case: a composite primary key
-- current
-- desired
create table memberships (user_id integer not null, team_id integer not null, primary key (user_id, team_id));

-- case: create a view
-- current
create table t (id integer primary key, active integer);
-- desired
create table t (id integer primary key, active integer);
create view active_t as select id from t where active = 1;

-- case: change a view
-- current
create table t (id integer primary key, active integer);
create view active_t as select id from t where active = 1;
-- desired
create table t (id integer primary key, active integer);
create view active_t as select id, active from t where active <> 0;

-- case: rebuild a table that a view reads
-- current
create table t (id integer primary key, name text);
create view names as select name from t;
-- desired
create table t (id integer primary key, name text not null default '');
create view names as select name from t;

-- case: an AUTOINCREMENT key
-- current
create table t (id integer primary key, name text);
-- desired
create table t (id integer primary key autoincrement, name text);

-- case: a new table with an AUTOINCREMENT key
-- current
-- desired
create table t (id integer primary key autoincrement, name text not null);

-- case: STRICT and WITHOUT ROWID tables, alone and together
-- current
-- desired
create table items (id integer primary key, name text not null, price real) strict;
create table lookup (code text primary key, label text) without rowid;
create table kv (k text primary key, v any) strict, without rowid;

-- case: a table made STRICT and another no longer WITHOUT ROWID, through the rebuild
-- current
create table items (id integer primary key, name text);
create table lookup (code text primary key, label text) without rowid;
-- desired
create table items (id integer primary key, name text) strict;
create table lookup (code text primary key, label text);
