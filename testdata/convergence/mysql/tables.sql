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
