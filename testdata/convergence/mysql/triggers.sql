-- MySQL triggers: timing, event, table and a body kept as written, compared without comments and layout.

-- case: triggers with one-statement and compound bodies
-- current
-- desired
create table users (id int primary key, name varchar(50), score int, updated_at datetime);
create table audit (id int auto_increment primary key, user_id int, what varchar(20));
create trigger users_bi before insert on users for each row set new.name = trim(new.name);
create trigger users_ai after insert on users for each row
    insert into audit (user_id, what) values (new.id, 'insert');
create trigger users_bu before update on users for each row
begin
    -- clamp the score
    if new.score < 0 then
        set new.score = 0;
    elseif new.score > 100 then
        set new.score = 100;
    end if;
    set new.updated_at = now();
end;
create trigger users_ad after delete on users for each row begin
    declare continue handler for sqlexception begin end;
    insert into audit (user_id, what) values (old.id, 'it''s gone');
end;

-- case: a changed trigger is dropped and created again; an old one dropped, a new one created
-- current
create table t (id int primary key, n int);
create trigger t_bi before insert on t for each row set new.n = 1;
create trigger t_bu before update on t for each row set new.n = 1;
-- desired
create table t (id int primary key, n int);
create trigger t_bi before insert on t for each row set new.n = 2;
create trigger t_bd before delete on t for each row set @deleted = old.id;

-- case: a body that differs only in layout plans nothing
-- current
create table t (id int primary key, n int);
create trigger t_bi before insert on t for each row begin set new.n = 1; end;
-- desired
create table t (id int primary key, n int);
create trigger t_bi before insert on t for each row
begin
    set new.n = 1;
end;
