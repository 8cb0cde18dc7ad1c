-- Functions, procedures and triggers.

-- case: create a SQL function
-- current
-- desired
create function add_one(n integer) returns integer language sql immutable as $$ select n + 1 $$;

-- case: change a function body
-- current
create function f() returns integer language sql as $$ select 1 $$;
-- desired
create function f() returns integer language sql as $$ select 2 $$;

-- case: change function attributes
-- current
create function f(a int) returns int language sql as $$ select a $$;
-- desired
create function f(a int) returns int language sql stable strict security definer as $$ select a $$;

-- case: plpgsql trigger function and trigger
-- current
create table t (id int, updated_at timestamptz);
-- desired
create table t (id int, updated_at timestamptz);
create function touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
create trigger t_touch before update on t for each row execute function touch();

-- case: change trigger events
-- current
create table t (id int, n int);
create function audit() returns trigger language plpgsql as $$ begin return null; end; $$;
create trigger t_audit after insert on t for each row execute function audit();
-- desired
create table t (id int, n int);
create function audit() returns trigger language plpgsql as $$ begin return null; end; $$;
create trigger t_audit after insert or update of n or delete on t for each statement execute function audit();

-- case: trigger with a WHEN condition
-- current
-- desired
create table t (id int, n int);
create function check_n() returns trigger language plpgsql as $$ begin return new; end; $$;
create trigger t_check before update on t for each row when (old.n is distinct from new.n) execute function check_n();

-- case: function with defaults and out arguments
-- current
-- desired
create function stats(in lo int, in hi int default 10, out total int, out n int) language sql as $$ select lo + hi, 2 $$;

-- case: function returning a table
-- current
-- desired
create table t (a int, b text);
create function rows_of(min_a int) returns table (a int, b text) language sql stable as $$ select a, b from t where a >= min_a $$;

-- case: procedure
-- current
-- desired
create table log (msg text);
create procedure write_log(m text) language sql as $$ insert into log values (m) $$;

-- case: drop a function
-- current
create function gone() returns int language sql as $$ select 1 $$;
-- desired

-- case: function used in a check constraint
-- current
-- desired
create function is_even(n int) returns boolean language sql immutable as $$ select n % 2 = 0 $$;
create table t (n int check (is_even(n)));

-- case: planner attributes and settings of a function
-- current
create function f(a int) returns int language sql as $$ select a $$;
-- desired
create function f(a int) returns int language sql immutable leakproof parallel safe cost 5
  set search_path = public, pg_temp set timezone to 'UTC' set work_mem = '64MB'
  as $$ select a $$;

-- case: row estimate of a set-returning function
-- current
-- desired
create function g() returns setof int language sql rows 10 as $$ select 1 $$;

-- case: search_path settings of functions, stored quoted as identifiers
-- current
create function f(a int) returns int language sql set search_path = public as $$ select a $$;
-- desired
create schema "My Schema";
create function f(a int) returns int language sql set search_path = '' as $$ select a $$;
create function g(a int) returns int language sql set search_path to "$user", public, "My Schema"
  set datestyle = ISO, MDY as $$ select a $$;
create function h(a int) returns int language sql set search_path = public set search_path = pg_temp
  as $$ select a $$;

-- case: trigger arguments as PostgreSQL reads them, and a built-in trigger function
-- current
create table t (id int, title text, body text, doc tsvector);
-- desired
create table t (id int, title text, body text, doc tsvector);
create function audit() returns trigger language plpgsql as $$ begin return new; end; $$;
create trigger t_audit after insert on t for each row execute function audit(Upper, "Mixed", 007, 1.50, 'x');
create trigger t_doc before insert or update on t for each row
  execute function tsvector_update_trigger(doc, 'pg_catalog.english', title, body);

-- case: functions with SQL-standard bodies
-- requires: postgres 14
-- current
create table log (msg text);
create function add(a int, b int) returns int language sql immutable return a + b;
-- desired
create table log (msg text);
create function add(a int, b int) returns int language sql immutable return a + b + 0;
create function greet(name text) returns text language sql return 'hello ' || name;
create function total() returns bigint language sql stable
begin atomic
  select count(*) from log;
end;

-- case: constraint triggers, deferrable and not, with FROM
-- current
-- desired
create table accounts (id int primary key, balance int);
create table ledger (account_id int, amount int);
create function check_balance() returns trigger language plpgsql as $$ begin return null; end $$;
create constraint trigger ledger_balanced after insert or update on ledger
    deferrable initially deferred for each row execute function check_balance();
create constraint trigger ledger_account after insert on ledger from accounts
    for each row execute function check_balance();
comment on trigger ledger_account on ledger is 'Checked at once';

-- case: a trigger made a constraint trigger, and one made deferrable, are created again
-- current
create table ledger (account_id int, amount int);
create function check_balance() returns trigger language plpgsql as $$ begin return null; end $$;
create trigger ledger_plain after insert on ledger for each row execute function check_balance();
create constraint trigger ledger_later after insert on ledger for each row execute function check_balance();
-- desired
create table ledger (account_id int, amount int);
create function check_balance() returns trigger language plpgsql as $$ begin return null; end $$;
create constraint trigger ledger_plain after insert on ledger for each row execute function check_balance();
create constraint trigger ledger_later after insert on ledger deferrable for each row execute function check_balance();

-- case: INSTEAD OF triggers on a view, and a statement trigger on it
-- current
-- desired
create table items (id int primary key, name text);
create view item_names as select id, name from items;
create function item_names_write() returns trigger language plpgsql as $$
begin
    insert into items values (new.id, new.name);
    return new;
end $$;
create trigger item_names_insert instead of insert on item_names for each row execute function item_names_write();
create trigger item_names_audit before update on item_names for each statement execute function item_names_write();
comment on trigger item_names_insert on item_names is 'Writes through';

-- case: a view re-created for its query gets its triggers back; a changed view trigger is created again
-- current
create table items (id int primary key, name text);
create view item_names as select id, name from items;
create function item_names_write() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger item_names_insert instead of insert on item_names for each row execute function item_names_write();
create trigger item_names_delete instead of delete on item_names for each row execute function item_names_write();
-- desired
create table items (id int primary key, name text, note text);
create view item_names as select id, name, note from items;
create function item_names_write() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger item_names_insert instead of insert on item_names for each row execute function item_names_write();
create trigger item_names_delete instead of update on item_names for each row execute function item_names_write();
