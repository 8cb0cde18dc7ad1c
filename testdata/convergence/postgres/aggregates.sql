-- Aggregates: created after every function (they name their support functions) and before the views that
-- call them; replaced in place when PostgreSQL allows it, dropped before their support functions.

-- case: pagila's group_concat, as pg_dump prints it, called by a view
-- current
create table film (id int primary key, title text);
-- desired
SELECT pg_catalog.set_config('search_path', '', false);
CREATE FUNCTION public._group_concat(text, text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
SELECT CASE
  WHEN $2 IS NULL THEN $1
  WHEN $1 IS NULL THEN $2
  ELSE $1 || ', ' || $2
END
$_$;
CREATE AGGREGATE public.group_concat(text) (
    SFUNC = public._group_concat,
    STYPE = text
);
ALTER AGGREGATE public.group_concat(text) OWNER TO postgres;
COMMENT ON AGGREGATE public.group_concat(text) IS 'titles, comma-separated';
CREATE TABLE public.film (id integer NOT NULL, title text);
ALTER TABLE ONLY public.film ADD CONSTRAINT film_pkey PRIMARY KEY (id);
CREATE VIEW public.titles AS SELECT public.group_concat(film.title) AS titles FROM public.film;

-- case: every option of an ordinary aggregate
-- current
-- desired
create schema app;
create function app.fin(text, text) returns text language sql immutable as $$ select upper($1) $$;
create aggregate app.shout(text) (sfunc = textcat, stype = text, initcond = '', finalfunc = app.fin,
    finalfunc_extra, finalfunc_modify = read_write);
create aggregate mysum(int) (sfunc = int4pl, stype = int4, initcond = '0', combinefunc = int4pl, sspace = 8,
    parallel = safe);
create aggregate avg2(numeric) (sfunc = numeric_avg_accum, stype = internal, finalfunc = numeric_avg,
    combinefunc = numeric_avg_combine, serialfunc = numeric_avg_serialize, deserialfunc = numeric_avg_deserialize,
    parallel = restricted);
create aggregate counted(*) (sfunc = int8inc, stype = int8, initcond = 0);
comment on aggregate counted(*) is 'rows';
create aggregate "Odd Name"(piece text) (sfunc = textcat, stype = text);
create aggregate old_style (basetype = int, sfunc = int4pl, stype = int4);

-- case: change what CREATE OR REPLACE can change, in place
-- current
create aggregate mysum(int) (sfunc = int4pl, stype = int4, initcond = '0');
create table t (n int);
create view total as select mysum(n) from t;
-- desired
create aggregate mysum(int) (sfunc = int4pl, stype = int4, initcond = '100', combinefunc = int4pl, parallel = safe);
create table t (n int);
create view total as select mysum(n) from t;

-- case: a new state type: dropped and created again around the view that calls it
-- current
create aggregate total(int) (sfunc = int4pl, stype = int4);
create table t (n int);
create view v as select total(n) from t;
-- desired
create aggregate total(int) (sfunc = int84pl, stype = int8, initcond = 0);
create table t (n int);
create view v as select total(n) from t;

-- case: an aggregate dropped before its support function
-- oneway
-- current
create function step(int, int) returns int language sql immutable as 'select $1 + $2';
create aggregate total(int) (sfunc = step, stype = int);
-- desired
