-- Domains: created before the tables that use them, altered in place, dropped after their columns.

-- case: create domains and use them, as pg_dump prints pagila's
-- current
-- desired
CREATE DOMAIN public."bıgınt" AS bigint;
CREATE DOMAIN public.year AS integer
	CONSTRAINT year_check CHECK (((VALUE >= 1901) AND (VALUE <= 2155)));
create table film (id "bıgınt" primary key, release_year public.year, years year[]);

-- case: every clause of CREATE DOMAIN, unnamed checks named by the server
-- current
-- desired
create domain code varchar(10) collate "C" default 'none' not null check (value <> '') check (length(value) > 1);
comment on domain code is 'a short code';
create table items (c code, cs code[]);

-- case: a domain over an enum and a domain over a domain
-- current
-- desired
create type mood as enum ('sad', 'ok', 'happy');
create domain good_mood as mood check (value <> 'sad');
create domain positive as integer default 1 check (value > 0);
create domain small_positive as positive check (value < 100);
create table person (m good_mood, n small_positive);

-- case: a NOT VALID check and one validated
-- current
-- desired
create domain score as integer;
alter domain score add constraint score_low check (value >= 0) not valid;
alter domain score add constraint score_high check (value <= 100) not valid;
alter domain score validate constraint score_high;
create table results (s score);

-- case: add, change and drop checks, default and NOT NULL in place
-- current
create domain year as integer constraint year_check check (value >= 1900) check (value < 3000);
create table film (release_year year);
-- desired
create domain year as integer default 2000 not null constraint year_check check (value >= 1901)
    constraint year_max check (value <= 2155);
create table film (release_year year);

-- case: validate a NOT VALID check
-- oneway
-- current
create domain score as integer;
alter domain score add constraint score_low check (value >= 0) not valid;
create table results (s score);
-- desired
create domain score as integer constraint score_low check (value >= 0);
create table results (s score);

-- case: an unused domain changes its base type
-- current
create domain amount as integer;
-- desired
create domain amount as numeric(12,2);

-- case: a column moves from a domain to its base type and the domain goes
-- current
create domain year as integer check (value > 0);
create table film (release_year year);
-- desired
create table film (release_year integer);

-- case: a domain comment changes
-- current
create domain code as text;
comment on domain code is 'old';
-- desired
create domain code as text;
comment on domain code is 'new';
