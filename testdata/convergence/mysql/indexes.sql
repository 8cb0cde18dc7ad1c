-- Indexes and keys: KEY, UNIQUE KEY, inline unique, prefixes, FULLTEXT, descending, primary keys.

-- case: add an index
-- current
create table t (id int primary key, email varchar(255));
-- desired
create table t (id int primary key, email varchar(255), key (email));

-- case: add a unique key inline
-- current
create table t (id int primary key, email varchar(255));
-- desired
create table t (id int primary key, email varchar(255) unique);

-- case: named unique key over two columns
-- current
create table t (id int primary key, a int, b int);
-- desired
create table t (id int primary key, a int, b int, unique key t_ab (a, b));

-- case: drop an index
-- current
create table t (id int primary key, a int, index t_a (a));
-- desired
create table t (id int primary key, a int);

-- case: change an index's columns
-- current
create table t (id int primary key, a int, b int, index t_idx (a));
-- desired
create table t (id int primary key, a int, b int, index t_idx (a, b));

-- case: prefix index
-- current
create table t (id int primary key, name varchar(100));
-- desired
create table t (id int primary key, name varchar(100), key name_prefix (name(10)));

-- case: fulltext index
-- current
create table t (id int primary key, body text);
-- desired
create table t (id int primary key, body text, fulltext key body_ft (body));

-- case: descending key
-- current
create table t (id int primary key, at datetime);
-- desired
create table t (id int primary key, at datetime, key at_desc (at desc));

-- case: create index statement
-- current
create table t (id int primary key, a int);
-- desired
create table t (id int primary key, a int);
create index t_a on t (a);

-- case: implicit index names are numbered
-- current
create table t (id int primary key, a int, b int);
-- desired
create table t (id int primary key, a int, b int, key (a), key (a, b), unique (a));

-- case: add a primary key
-- current
create table t (id int not null, n int);
-- desired
create table t (id int not null, n int, primary key (id));

-- case: change the primary key
-- current
create table t (a int not null, b int not null, primary key (a));
-- desired
create table t (a int not null, b int not null, primary key (a, b));

-- case: drop the email column of the seed table
-- current
create table users (id int not null auto_increment, name varchar(255) not null, email varchar(255) unique not null, primary key (id));
-- desired
create table users (id int not null auto_increment, name varchar(255) not null, primary key (id));

-- case: an auto_increment primary key is added
-- current
create table t (name varchar(20));
-- desired
create table t (id bigint not null auto_increment, name varchar(20), primary key (id));

-- case: an auto_increment key grows a second column
-- current
create table t (id bigint not null auto_increment, other_id bigint not null, primary key (id));
-- desired
create table t (id bigint not null auto_increment, other_id bigint not null, primary key (id, other_id));

-- case: spatial index on a geometry column
-- current
create table t (id int primary key);
-- desired
create table t (id int primary key, location point not null, spatial key t_location (location));

-- case: comments on keys, the primary key's too
-- current
create table t (a int not null, b int, primary key (a));
-- desired
create table t (a int not null, b int, primary key (a) comment 'the key', key t_b (b) comment 'by b');

-- case: comments of existing keys changed, the primary key's too
-- current
create table p (id int primary key);
create table t (a int not null auto_increment, b int, primary key (a) comment 'old', key t_b (b) comment 'by b',
    constraint t_b_fk foreign key (b) references p (id));
-- desired
create table p (id int primary key);
create table t (a int not null auto_increment, b int, primary key (a) comment 'new', key t_b (b),
    constraint t_b_fk foreign key (b) references p (id));
