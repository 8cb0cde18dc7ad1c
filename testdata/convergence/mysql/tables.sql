-- Tables: create, drop, options, comments.

-- case: create a table like the seed's users
-- current
create table other (id int primary key);
-- desired
create table other (id int primary key);
create table users (id int not null auto_increment, name varchar(255) not null, email varchar(255) unique not null, short_bio varchar(255) not null, primary key (id));

-- case: drop a table
-- current
create table a (id int primary key);
create table b (id int primary key);
-- desired
create table a (id int primary key);

-- case: table comment added and changed
-- current
create table t (id int primary key) comment 'first';
-- desired
create table t (id int primary key) comment 'second';

-- case: table with engine and character set
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key);
create table m (id int primary key, name varchar(20)) engine=MyISAM default charset=latin1;

-- case: a declared row format and BINARY columns, as the roundcube schema writes them
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key);
create table users (id int primary key, username varchar(128) binary not null, mail text)
  row_format=dynamic engine=innodb character set utf8mb4 collate utf8mb4_unicode_ci;
create table packed (id int primary key) row_format=compact;
