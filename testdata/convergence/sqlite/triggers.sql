-- Triggers: created and dropped in place; a changed one is dropped and created again (SQLite has no CREATE
-- OR REPLACE TRIGGER); a table rebuild drops the table's triggers, and the plan creates them again.

-- case: an AFTER INSERT trigger
-- current
create table t (id integer primary key, n integer);
create table log (id integer primary key, t_id integer);
-- desired
create table t (id integer primary key, n integer);
create table log (id integer primary key, t_id integer);
create trigger t_logged after insert on t for each row begin insert into log (t_id) values (new.id); end;

-- case: a BEFORE UPDATE OF columns trigger with WHEN, raising
-- current
create table t (id integer primary key, n integer, m integer);
-- desired
create table t (id integer primary key, n integer, m integer);
create trigger t_n_positive before update of n, m on t when new.n < 0
begin
    select raise(abort, 'n can''t be negative');
end;

-- case: a BEFORE DELETE trigger with SQLite's default timing
-- current
create table t (id integer primary key, locked integer);
-- desired
create table t (id integer primary key, locked integer);
create trigger t_keep_locked delete on t when old.locked begin select raise(ignore); end;

-- case: an INSTEAD OF INSERT trigger on a view
-- current
create table t (id integer primary key, name text);
create view v as select id, name from t;
-- desired
create table t (id integer primary key, name text);
create view v as select id, name from t;
create trigger v_insert instead of insert on v begin insert into t (id, name) values (new.id, upper(new.name)); end;

-- case: INSTEAD OF UPDATE and DELETE triggers come back when their view is created again
-- current
create table t (id integer primary key, name text);
create view v as select id, name from t;
create trigger v_update instead of update on v begin update t set name = new.name where id = old.id; end;
create trigger v_delete instead of delete on v begin delete from t where id = old.id; end;
-- desired
create table t (id integer primary key, name text, note text);
create view v as select id, name, note from t;
create trigger v_update instead of update on v begin update t set name = new.name where id = old.id; end;
create trigger v_delete instead of delete on v begin delete from t where id = old.id; end;

-- case: change a trigger's body
-- current
create table t (id integer primary key, n integer);
create trigger t_clamp after insert on t begin update t set n = 0 where id = new.id and n < 0; end;
-- desired
create table t (id integer primary key, n integer);
create trigger t_clamp after insert on t begin update t set n = 1 where id = new.id and n < 1; end;

-- case: change a trigger's event and timing
-- current
create table t (id integer primary key, n integer);
create table log (t_id integer);
create trigger t_log after insert on t begin insert into log values (new.id); end;
-- desired
create table t (id integer primary key, n integer);
create table log (t_id integer);
create trigger t_log before delete on t begin insert into log values (old.id); end;

-- case: a table rebuild keeps the table's triggers
-- current
create table t (id integer primary key, n integer);
create table log (t_id integer);
create trigger t_log after insert on t begin insert into log values (new.id); end;
create trigger t_n before update of n on t when new.n is null begin select raise(abort, 'n is required'); end;
-- desired
create table t (id integer primary key, n integer not null default 0);
create table log (t_id integer);
create trigger t_log after insert on t begin insert into log values (new.id); end;
create trigger t_n before update of n on t when new.n is null begin select raise(abort, 'n is required'); end;

-- case: a table rebuild with a trigger added and one dropped
-- current
create table t (id integer primary key, n integer);
create table log (t_id integer);
create trigger t_old after insert on t begin insert into log values (new.id); end;
-- desired
create table t (id integer primary key, n integer check (n > 0));
create table log (t_id integer);
create trigger t_new after delete on t begin insert into log values (old.id); end;

-- case: a trigger whose body names a table declared after it, and a function SQLite has not
-- oneway
-- current
create table t (id integer primary key, title text, sort text);
-- desired
create table t (id integer primary key, title text, sort text);
create trigger t_sort after insert on t begin update t set sort = title_sort(new.title) where id = new.id; insert into later (t_id) values (new.id); end;
create table later (t_id integer);

-- case: a trigger on a table that is dropped goes with it
-- current
create table t (id integer primary key);
create table u (id integer primary key);
create trigger t_gone after insert on t begin insert into u values (new.id); end;
-- desired
create table u (id integer primary key);
