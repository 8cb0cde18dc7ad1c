-- Primary keys, unique constraints, foreign keys, checks.

-- case: add a primary key
-- current
create table t (id int not null, name text);
-- desired
create table t (id int primary key, name text);

-- case: change primary key columns
-- current
create table t (a int, b int, primary key (a));
-- desired
create table t (a int, b int, primary key (a, b));

-- case: named primary key
-- current
-- desired
create table t (id int, constraint t_identity primary key (id));

-- case: inline and table unique constraints
-- current
create table t (a int, b int, c int);
-- desired
create table t (a int unique, b int, c int, unique (b, c));

-- case: drop a unique constraint
-- current
create table t (email text unique);
-- desired
create table t (email text);

-- case: unique nulls not distinct
-- requires: postgres 15
-- current
-- desired
create table t (a int, constraint t_a_key unique nulls not distinct (a));

-- case: foreign key with actions
-- current
create table customers (id int primary key);
create table orders (id int primary key, customer_id int);
-- desired
create table customers (id int primary key);
create table orders (id int primary key, customer_id int references customers (id) on delete cascade on update restrict);

-- case: change foreign key action
-- current
create table p (id int primary key);
create table c (p_id int references p on delete cascade);
-- desired
create table p (id int primary key);
create table c (p_id int references p on delete set null);

-- case: deferrable foreign key
-- current
-- desired
create table p (id int primary key);
create table c (p_id int, constraint c_p_fk foreign key (p_id) references p (id) deferrable initially deferred);

-- case: composite foreign key
-- current
-- desired
create table p (a int, b int, primary key (a, b));
create table c (a int, b int, foreign key (a, b) references p (a, b));

-- case: MATCH FULL foreign keys, inline and table-level, and one that becomes MATCH SIMPLE
-- current
create table p (a int, b int, primary key (a, b));
create table c (a int, b int, constraint c_simple foreign key (a, b) references p (a, b) match full);
-- desired
create table p (a int, b int, primary key (a, b));
create table q (id int primary key);
create table c (
    a int, b int, q_id int references q match full on delete cascade,
    constraint c_simple foreign key (a, b) references p (a, b) match simple,
    constraint c_full foreign key (a, b) references p (a, b) match full
);

-- case: foreign key cycle
-- current
-- desired
create table a (id int primary key, b_id int);
create table b (id int primary key, a_id int references a);
alter table a add constraint a_b_fk foreign key (b_id) references b (id);

-- case: self-referencing foreign key
-- current
create table node (id int primary key);
-- desired
create table node (id int primary key, parent_id int references node (id));

-- case: drop a table referenced by a foreign key together with the referencing column
-- current
create table p (id int primary key);
create table c (id int, p_id int references p);
-- desired
create table c (id int);

-- case: check constraints inline and named
-- current
create table t (price numeric, qty int);
-- desired
create table t (price numeric check (price > 0), qty int, constraint qty_positive check (qty >= 0 and qty < 1000));

-- case: change a check expression
-- current
create table t (n int check (n > 0));
-- desired
create table t (n int check (n > 10));

-- case: check with IN list, BETWEEN and LIKE
-- current
-- desired
create table t (
  status varchar(10) check (status in ('new', 'done')),
  n int check (n between 1 and 10),
  code text check (code like 'A%'),
  m int check (m not in (3, 4))
);

-- case: table-level check names after its first column
-- current
-- desired
create table t (lo int, hi int, check (lo < hi));

-- case: NOT VALID checks and foreign keys, as pg_dump writes them, stay NOT VALID
-- current
-- desired
create table p (id int primary key);
create table c (id int, p_id int, n int);
alter table only c add constraint c_n_check check (n > 0) not valid;
alter table only c add constraint c_p_id_fkey foreign key (p_id) references p (id) not valid;
alter table c add constraint c_id_check check (id > 0) not valid;
alter table c validate constraint c_id_check;

-- case: NOT VALID constraints validated in place, and valid ones made NOT VALID
-- current
create table p (id int primary key);
create table c (id int, p_id int, n int);
alter table c add constraint c_n_check check (n > 0) not valid;
alter table c add constraint c_p_id_fkey foreign key (p_id) references p (id) not valid;
alter table c add constraint c_id_check check (id > 0);
-- desired
create table p (id int primary key);
create table c (id int, p_id int, n int);
alter table c add constraint c_n_check check (n > 0);
alter table c add constraint c_p_id_fkey foreign key (p_id) references p (id);
alter table c add constraint c_id_check check (id > 0) not valid;

-- case: a unique index promoted to a primary key and another to a unique constraint (USING INDEX)
-- current
-- desired
create table t (id int not null, code text not null, other text);
create unique index t_id_idx on t (id);
create unique index t_code_idx on t (code);
alter table t add constraint t_pkey primary key using index t_id_idx;
alter table t add unique using index t_code_idx;
