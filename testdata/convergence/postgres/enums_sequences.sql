-- Enum types and sequences.

-- case: create an enum and use it
-- current
-- desired
create type mood as enum ('sad', 'ok', 'happy');
create table person (name text, current_mood mood not null default 'ok');

-- case: add enum values at the end and in the middle
-- oneway
-- current
create type mood as enum ('sad', 'happy');
-- desired
create type mood as enum ('sad', 'ok', 'happy', 'ecstatic');

-- case: enum in another schema
-- current
-- desired
create schema app;
create type app.state as enum ('on', 'off');
create table app.switches (s app.state);

-- case: drop an unused enum
-- current
create type old_kind as enum ('a', 'b');
-- desired

-- case: create a sequence with options
-- current
-- desired
create sequence invoice_numbers as integer start with 1000 increment by 5 minvalue 1000 maxvalue 999999 cache 10 cycle;

-- case: alter sequence options
-- current
create sequence s;
-- desired
create sequence s increment by 2 cache 5;

-- case: sequence used by a default
-- current
-- desired
create sequence order_numbers start 100;
create table orders (n bigint not null default nextval('order_numbers'));

-- case: drop a sequence
-- current
create sequence s;
-- desired

-- case: a column moves from one enum type to another (no cast between enums: converted through text)
-- current
create type mood as enum ('sad', 'ok', 'happy');
create type feeling as enum ('sad', 'ok', 'happy', 'calm');
create table person (name text, m mood, ms mood[]);
-- desired
create type mood as enum ('sad', 'ok', 'happy');
create type feeling as enum ('sad', 'ok', 'happy', 'calm');
create table person (name text, m feeling, ms feeling[]);

-- case: an enum loses a label while the column that uses it is dropped (the type goes after the column)
-- current
create type mood as enum ('sad', 'ok', 'happy');
create table person (name text, m mood default 'ok');
-- desired
create type mood as enum ('ok', 'sad');
create table person (name text);

-- case: an enum loses a label while the table that uses it is dropped and another column is retyped
-- current
create type mood as enum ('sad', 'ok', 'happy');
create table person (name text, m mood);
create table diary (entry text, m mood);
-- desired
create type mood as enum ('happy', 'ok');
create table diary (entry text, m text);
