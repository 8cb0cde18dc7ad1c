-- Foreign keys and checks.

-- case: add a foreign key with actions
-- current
create table p (id int primary key);
create table c (id int primary key, pid int);
-- desired
create table p (id int primary key);
create table c (id int primary key, pid int, foreign key (pid) references p (id) on delete cascade on update set null);

-- case: new tables with a foreign key between them
-- current
create table x (id int primary key);
-- desired
create table x (id int primary key);
create table p (id int primary key);
create table c (id int primary key, pid int, constraint c_p foreign key (pid) references p (id));

-- case: drop a foreign key
-- current
create table p (id int primary key);
create table c (id int primary key, pid int, constraint c_p foreign key (pid) references p (id));
-- desired
create table p (id int primary key);
create table c (id int primary key, pid int, key c_p (pid));

-- case: change a foreign key's action
-- current
create table p (id int primary key);
create table c (id int primary key, pid int, constraint c_p foreign key (pid) references p (id));
-- desired
create table p (id int primary key);
create table c (id int primary key, pid int, constraint c_p foreign key (pid) references p (id) on delete set null);

-- case: foreign key over an existing index
-- current
create table p (id int primary key);
create table c (id int primary key, pid int, key pid_idx (pid));
-- desired
create table p (id int primary key);
create table c (id int primary key, pid int, key pid_idx (pid), foreign key (pid) references p (id));

-- case: composite foreign key
-- current
create table p (a int not null, b int not null, primary key (a, b));
create table c (id int primary key, a int, b int);
-- desired
create table p (a int not null, b int not null, primary key (a, b));
create table c (id int primary key, a int, b int, foreign key (a, b) references p (a, b));

-- case: add checks
-- current
create table t (id int primary key, n int, m int);
-- desired
create table t (id int primary key, n int check (n > 0), m int, constraint m_small check (m < 100 and m > -100), check (n <> m));

-- case: change a check
-- current
create table t (id int primary key, n int, constraint n_pos check (n > 0));
-- desired
create table t (id int primary key, n int, constraint n_pos check (n >= 0));

-- case: drop a check
-- current
create table t (id int primary key, n int, constraint n_pos check (n > 0));
-- desired
create table t (id int primary key, n int);

-- case: json column
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, doc json);

-- case: a column with a check changes type and keeps its check
-- current
create table t (id int primary key, n int check (n > 0));
-- desired
create table t (id int primary key, n bigint check (n > 0));

-- case: a column-level check changes
-- current
create table t (id int primary key, n int check (n > 0));
-- desired
create table t (id int primary key, n int comment 'big' check (n > 10));

-- case: foreign keys added by ALTER TABLE, one named like the server would
-- current
create table p (id int primary key);
create table c (id int primary key, pid int, qid int);
-- desired
create table p (id int primary key);
create table c (id int primary key, pid int, qid int);
alter table c add constraint c_ibfk_1 foreign key (pid) references p (id);
alter table c add foreign key (qid) references p (id) on delete cascade;

-- case: an unnamed foreign key moves to another table and keeps its index
-- current
create table users (id int primary key);
create table admins (id int primary key);
create table posts (id int primary key, author_id int, foreign key (author_id) references users (id));
-- desired
create table users (id int primary key);
create table admins (id int primary key);
create table posts (id int primary key, author_id int, foreign key (author_id) references admins (id));

-- case: a declared index replaces the one a foreign key had
-- current
create table authors (id int primary key);
create table books (id int primary key, author_id int not null, foreign key (author_id) references authors (id));
-- desired
create table authors (id int primary key);
create table books (id int primary key, author_id int not null, foreign key (author_id) references authors (id), index idx_author (author_id));
