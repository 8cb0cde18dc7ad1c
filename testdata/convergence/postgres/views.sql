-- Views and materialized views.

-- case: create a view
-- current
create table users (id int, email text, active boolean);
-- desired
create table users (id int, email text, active boolean);
create view active_users as select id, email from users where active;

-- case: change a view's query
-- current
create table users (id int, email text, active boolean);
create view v as select id from users;
-- desired
create table users (id int, email text, active boolean);
create view v as select id, email from users;

-- case: view with explicit column names
-- current
create table t (a int, b int);
-- desired
create table t (a int, b int);
create view v (x, y) as select a, b from t;

-- case: view over a join with aggregates
-- current
-- desired
create table customers (id int primary key, name text);
create table orders (id int primary key, customer_id int references customers, total numeric);
create view customer_totals as
  select c.id, c.name, count(o.id) as orders, sum(o.total) as total
  from customers c left join orders o on o.customer_id = c.id
  group by c.id, c.name;

-- case: column type change under a dependent view
-- current
create table t (id int, amount int);
create view v as select id, amount from t;
-- desired
create table t (id int, amount bigint);
create view v as select id, amount from t;

-- case: view on a view
-- current
-- desired
create table t (a int, b int);
create view v1 as select a, b from t where a > 0;
create view v2 as select a from v1 where b > 0;

-- case: materialized view with an index
-- current
create table t (a int, b int);
-- desired
create table t (a int, b int);
create materialized view mv as select a, count(*) as n from t group by a;
create unique index mv_a on mv (a);

-- case: drop a view
-- current
create table t (a int);
create view v as select a from t;
-- desired
create table t (a int);

-- case: unqualified columns over a join of a table and a view, which the server prints qualified
-- current
-- desired
create table emp (emp_no int, dept_no char(4), from_date date);
create view latest as select emp_no, max(from_date) as from_date from emp group by emp_no;
create view current_dept as select l.emp_no, dept_no, l.from_date from emp d
    inner join latest l on d.emp_no = l.emp_no and d.from_date = l.from_date where dept_no <> 'x';

-- case: view options and a materialized view's storage parameters, created with the view
-- current
-- desired
create table accounts (id int primary key, owner text, balance numeric);
create view my_accounts with (security_barrier, check_option = local) as
    select id, owner, balance from accounts where owner = current_user;
create materialized view balances with (fillfactor = 90) as select owner, sum(balance) as total from accounts group by owner;

-- case: changed view options re-create the view
-- current
create table accounts (id int primary key, owner text);
create view my_accounts with (security_barrier) as select id, owner from accounts;
create view open_accounts as select id from accounts;
-- desired
create table accounts (id int primary key, owner text);
create view my_accounts as select id, owner from accounts;
create view open_accounts with (check_option = cascaded) as select id from accounts;

-- case: a security_invoker view
-- requires: postgres 15
-- current
-- desired
create table accounts (id int primary key, owner text);
create view invoker_accounts with (security_invoker = true) as select id from accounts;
