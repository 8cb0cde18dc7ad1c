-- Data types PostgreSQL users rely on.

-- case: common scalar types
-- current
-- desired
create table t (
  a smallint, b integer, c bigint, d real, e double precision, f numeric, g numeric(5), h numeric(12, 4),
  i text, j varchar(255), k char(1), l boolean, m date, n time, o time with time zone,
  p timestamp, q timestamp(3), r timestamptz, s timestamptz(6), t interval, u bytea, v uuid, w json, x jsonb,
  y inet, z cidr, aa macaddr, ab money, ac bit(8), ad varbit(16), ae tsvector, af xml, ag point
);

-- case: arrays
-- current
-- desired
create table t (tags text[], scores integer[], grid int[][], names varchar(20)[]);

-- case: change timestamp precision
-- current
create table t (at timestamp(6) with time zone);
-- desired
create table t (at timestamp(3) with time zone);

-- case: numeric precision change
-- current
create table t (price numeric(10, 2));
-- desired
create table t (price numeric(12, 2));

-- case: json to jsonb
-- oneway
-- current
create table t (doc json);
-- desired
create table t (doc jsonb);
