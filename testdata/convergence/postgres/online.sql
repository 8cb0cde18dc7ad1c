-- Online forms on existing tables (`-- online`: concurrent index builds and drops, keys attached USING
-- INDEX, NOT VALID then VALIDATE, SET NOT NULL proven by a validated check). Each must converge exactly like
-- the plain plan.

-- case: indexes built and dropped concurrently
-- online
-- current
create table t (id int, a int, b text);
create index t_a_idx on t (a);
-- desired
create table t (id int, a int, b text);
create index t_b_idx on t (b) where b is not null;
create unique index t_a_b_idx on t (a, b desc);

-- case: primary and unique keys from concurrently built indexes
-- online
-- current
create table t (id int not null, email text);
-- desired
create table t (id int primary key, email text unique);

-- case: a unique nulls not distinct key from a concurrently built index
-- online
-- requires: postgres 15
-- current
create table t (code text);
-- desired
create table t (code text, unique nulls not distinct (code));

-- case: foreign keys and checks validated separately
-- online
-- current
create table orgs (id int primary key);
create table users (id int primary key, org_id int, age int);
-- desired
create table orgs (id int primary key);
create table users (id int primary key, org_id int references orgs on delete cascade, age int check (age >= 0));

-- case: SET NOT NULL proven by a validated check, with a type change and a default
-- online
-- current
create table t (id int, qty int, note varchar(10));
-- desired
create table t (id int, qty bigint not null default 0, note text not null);

-- case: a new table and its index take the plain forms
-- online
-- current
create table t (id int);
-- desired
create table t (id int);
create table u (id int primary key, t_id int check (t_id > 0));
create index u_t_id_idx on u (t_id);
