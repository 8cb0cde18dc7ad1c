-- Renames by hint (`-- driftless:renamed from=old`, or sqldef's `-- @renamed from=old`): the plan renames
-- instead of dropping and adding, and a re-plan with the hint still in the file is empty. One-way: the way
-- back has no hint, so it would be a drop and an add.

-- case: rename a column
-- oneway
-- current
create table users (id bigint not null, username text, age integer);
-- desired
create table users (
  id bigint not null,
  user_name text, -- driftless:renamed from=username
  age integer
);

-- case: rename a column and change its type and nullability
-- oneway
-- current
create table users (id bigint not null, username varchar(100), age integer);
-- desired
create table users (
  id bigint not null,
  -- driftless:renamed from=username
  user_name text not null,
  age integer
);

-- case: rename a column under a unique constraint, an index, a check and a view
-- oneway
-- current
create table users (id bigint primary key, username varchar(100) not null unique, score int check (score >= 0));
create index users_score_idx on users (score);
create view top_users as select username from users where score > 10;
-- desired
create table users (
  id bigint primary key,
  user_name varchar(100) not null unique, -- @renamed from=username
  points int check (points >= 0) -- @renamed from=score
);
create index users_score_idx on users (points);
create view top_users as select user_name from users where points > 10;

-- case: rename a table that other tables reference
-- oneway
-- current
create table user_accounts (id bigint primary key, name text);
create table posts (id int primary key, author_id bigint references user_accounts (id));
-- desired
create table users ( -- driftless:renamed from=user_accounts
  id bigint primary key,
  name text
);
create table posts (id int primary key, author_id bigint references users (id));

-- case: rename a table with a block comment hint, quoted names
-- oneway
-- current
create table "user accounts" (id bigint not null, "full name" text);
-- desired
create table user_profiles /* @renamed from="user accounts" */ (
  id bigint not null,
  full_name text -- @renamed from="full name"
);

-- case: rename a table and its columns among other changes
-- oneway
-- current
create table old_accounts (id bigint not null, user_name varchar(50), is_active boolean, old_field text);
-- desired
-- driftless:renamed from=old_accounts
create table accounts (
  id bigint not null primary key,
  username varchar(100) not null, -- driftless:renamed from=user_name
  is_active boolean default true,
  created_at timestamp default current_timestamp
);

-- case: a hint whose rename already ran is a no-op
-- oneway
-- current
create table users (id bigint not null, user_name text);
-- desired
create table users ( -- @renamed from=accounts
  id bigint not null,
  user_name text, -- @renamed from=username
  email text
);

-- case: a renamed table's implicitly named keys, index and serial sequence follow its name
-- oneway
-- current
create table users (id serial primary key, username text unique, score int check (score > 0));
create index on users (username);
create table posts (id int primary key, author_id int references users (id));
-- desired
create table members ( -- @renamed from=users
  id serial primary key,
  login text unique, -- @renamed from=username
  score int check (score > 0)
);
create index on members (login);
create table posts (id int primary key, author_id int references members (id));

-- case: a renamed index is renamed, and one whose definition also changes is rebuilt under its new name
-- oneway
-- current
create table events (id int primary key, kind text, created_at timestamp);
create index events_kind on events (kind);
create index events_created on events (created_at);
-- desired
create table events (id int primary key, kind text, created_at timestamp);
create index events_by_kind /* @renamed from=events_kind */ on events (kind);
-- driftless:renamed from=events_created
create index events_by_time on events (created_at desc);

-- case: a renamed enum type keeps its columns, a renamed label its rows
-- oneway
-- current
create type order_state as enum ('pending', 'shipping');
create table orders (id int primary key, state order_state not null default 'pending', history order_state[]);
-- desired
create type order_status /* @renamed from=order_state */ as enum (
  'pending',
  'shipped', -- @renamed from=shipping
  'delivered'
);
create table orders (id int primary key, state order_status not null default 'pending', history order_status[]);

-- case: enum hints whose rename already ran are no-ops
-- oneway
-- current
create type priority as enum ('minor', 'high');
-- desired
create type priority as enum ( -- @renamed from=level
  'minor', -- @renamed from=low
  'high'
);
