-- Constraints: primary keys, unique, checks and foreign keys, all through the table rebuild.

-- case: add a primary key
-- current
create table t (id integer not null, name text);
-- desired
create table t (id integer not null primary key, name text);

-- case: drop a primary key
-- current
create table t (id integer primary key, name text);
-- desired
create table t (id integer, name text);

-- case: change a composite primary key
-- current
create table t (a integer not null, b integer not null, c integer not null, primary key (a, b));
-- desired
create table t (a integer not null, b integer not null, c integer not null, primary key (a, b, c));

-- case: add a unique constraint
-- current
create table t (id integer primary key, email text);
-- desired
create table t (id integer primary key, email text unique);

-- case: drop a unique constraint
-- current
create table t (id integer primary key, email text unique);
-- desired
create table t (id integer primary key, email text);

-- case: a named multi-column unique constraint
-- current
create table t (a text, b text);
-- desired
create table t (a text, b text, constraint t_a_b unique (a, b));

-- case: add a check
-- current
create table t (id integer primary key, price real);
-- desired
create table t (id integer primary key, price real check (price >= 0));

-- case: change a check
-- current
create table t (id integer primary key, price real check (price >= 0));
-- desired
create table t (id integer primary key, price real check (price > 0));

-- case: drop a check
-- current
create table t (id integer primary key, qty integer constraint qty_positive check (qty > 0));
-- desired
create table t (id integer primary key, qty integer);

-- case: add a foreign key to an existing table
-- current
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer);
-- desired
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer references teams (id));

-- case: drop a foreign key
-- current
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer references teams (id));
-- desired
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer);

-- case: change foreign key actions
-- current
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer references teams (id));
-- desired
create table teams (id integer primary key);
create table users (id integer primary key, team_id integer references teams (id) on delete set null on update cascade);

-- case: rebuild a table that others reference
-- current
create table teams (id integer primary key, name text);
create table users (id integer primary key, team_id integer references teams (id));
-- desired
create table teams (id integer primary key, name text not null default '');
create table users (id integer primary key, team_id integer references teams (id));

-- case: a self-referencing foreign key
-- current
create table nodes (id integer primary key);
-- desired
create table nodes (id integer primary key, parent_id integer references nodes (id) on delete cascade);

-- case: a composite foreign key
-- current
create table a (x integer not null, y integer not null, primary key (x, y));
create table b (x integer, y integer);
-- desired
create table a (x integer not null, y integer not null, primary key (x, y));
create table b (x integer, y integer, foreign key (x, y) references a (x, y));
