-- Views.

-- case: create a view
-- current
create table t (id int primary key, name varchar(20));
-- desired
create table t (id int primary key, name varchar(20));
create view v as select id, name from t where id > 1;

-- case: change a view
-- current
create table t (id int primary key, name varchar(20));
create view v as select id from t;
-- desired
create table t (id int primary key, name varchar(20));
create view v as select id, name from t;

-- case: drop a view
-- current
create table t (id int primary key);
create view v as select id from t;
-- desired
create table t (id int primary key);

-- case: view with a join, an alias and an aggregate
-- current
create table p (id int primary key, name varchar(20));
create table c (id int primary key, pid int);
-- desired
create table p (id int primary key, name varchar(20));
create table c (id int primary key, pid int);
create view counts as select p.name, count(c.id) as children from p left join c on c.pid = p.id group by p.name;
