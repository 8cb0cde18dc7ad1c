-- Columns: add, drop, modify (type, nullability, default, comment, collation), auto_increment, generated.

-- case: add a nullable column
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, note varchar(100));

-- case: add a not null column
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, age int not null);

-- case: drop a column
-- current
create table t (id int primary key, old text);
-- desired
create table t (id int primary key);

-- case: widen a varchar
-- current
create table t (id int primary key, name varchar(20));
-- desired
create table t (id int primary key, name varchar(40));

-- case: int to bigint unsigned
-- current
create table t (id int primary key, n int);
-- desired
create table t (id int primary key, n bigint unsigned);

-- case: set not null
-- current
create table t (id int primary key, n int);
-- desired
create table t (id int primary key, n int not null);

-- case: defaults of every kind
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, a int default 0, b varchar(5) default 5, c decimal(10,2) default 1, d double default 1.0, e boolean default true, f datetime default current_timestamp, g date default '2020-01-01', h varchar(10) default 'it''s');

-- case: change a default
-- current
create table t (id int primary key, status varchar(10) not null default 'new');
-- desired
create table t (id int primary key, status varchar(10) not null default 'draft');

-- case: drop a default
-- current
create table t (id int primary key, n int default 3);
-- desired
create table t (id int primary key, n int);

-- case: on update current_timestamp
-- current
create table t (id int primary key, updated_at timestamp null);
-- desired
create table t (id int primary key, updated_at timestamp null default current_timestamp on update current_timestamp);

-- case: column comment
-- current
create table t (id int primary key, n int);
-- desired
create table t (id int primary key, n int comment 'the count');

-- case: column collation and character set
-- current
create table t (id int primary key, a varchar(10), b varchar(10));
-- desired
create table t (id int primary key, a varchar(10) collate utf8mb4_bin, b varchar(10) character set latin1);

-- case: enum and set columns
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, mood enum('happy', 'sad') not null default 'happy', tags set('a', 'b', 'c'));

-- case: enum gets a new member
-- current
create table t (id int primary key, mood enum('happy', 'sad'));
-- desired
create table t (id int primary key, mood enum('happy', 'sad', 'ok'));

-- case: auto_increment added
-- current
create table t (id int not null, primary key (id));
-- desired
create table t (id int not null auto_increment, primary key (id));

-- case: generated columns
-- current
create table t (id int primary key, price int, qty int);
-- desired
create table t (id int primary key, price int, qty int, total int as (price * qty) virtual, doubled int generated always as (price * 2) stored);

-- case: unsigned zerofill and integer widths
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, a tinyint unsigned, b smallint, c mediumint, d int(5) zerofill, e bigint);

-- case: a generated column becomes a regular one and keeps its values
-- current
create table t (id int primary key, price int, doubled int as (price * 2) stored);
-- desired
create table t (id int primary key, price int, doubled int not null default 0);

-- case: a column declared in another case is the same column, renamed in place
-- current
create table users (id int primary key, Name varchar(100));
-- desired
create table users (id int primary key, name varchar(100), email varchar(200));
