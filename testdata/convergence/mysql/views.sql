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

-- case: unqualified columns over a join of a table and a view, which the server prints qualified
-- current
-- desired
create table emp (emp_no int, dept_no char(4), from_date date);
create view latest as select emp_no, max(from_date) as from_date from emp group by emp_no;
create view current_dept as select l.emp_no, dept_no, l.from_date from emp d
    inner join latest l on d.emp_no = l.emp_no and d.from_date = l.from_date where dept_no <> 'x';
