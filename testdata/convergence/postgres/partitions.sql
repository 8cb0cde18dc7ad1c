-- Partitioned tables: range, list and hash partitions, sub-partitions, indexes and keys on the parent,
-- pg_dump's ATTACH forms, partitions added, dropped, detached and attached, and a changed key refused.

-- case: range partitions with a default partition
-- current
-- desired
create table events (id bigint not null, created_at date not null, primary key (id, created_at))
  partition by range (created_at);
create table events_2020 partition of events for values from ('2020-01-01') to ('2021-01-01');
create table events_2021 partition of events for values from ('2021-01-01') to ('2022-01-01');
create table events_rest partition of events default;

-- case: list partitions
-- current
-- desired
create table accounts (id int not null, region text not null) partition by list (region);
create table accounts_eu partition of accounts for values in ('de', 'fr');
create table accounts_us partition of accounts for values in ('us');

-- case: hash partitions
-- current
-- desired
create table sessions (id bigint not null, data text) partition by hash (id);
create table sessions_0 partition of sessions for values with (modulus 2, remainder 0);
create table sessions_1 partition of sessions for values with (modulus 2, remainder 1);

-- case: sub-partitions
-- current
-- desired
create table metrics (at date not null, host int not null) partition by range (at);
create table metrics_2020 partition of metrics for values from ('2020-01-01') to ('2021-01-01')
  partition by hash (host);
create table metrics_2020_0 partition of metrics_2020 for values with (modulus 2, remainder 0);
create table metrics_2020_1 partition of metrics_2020 for values with (modulus 2, remainder 1);

-- case: index, check and foreign key on the parent
-- current
create table users (id int primary key);
-- desired
create table users (id int primary key);
create table orders (id int not null, user_id int references users, placed date not null check (placed > '2000-01-01'))
  partition by range (placed);
create index orders_user_id_idx on orders (user_id);
create table orders_2020 partition of orders for values from ('2020-01-01') to ('2021-01-01');

-- case: an index added to a parent with partitions
-- current
create table logs (at date not null, line text) partition by range (at);
create table logs_2020 partition of logs for values from ('2020-01-01') to ('2021-01-01');
-- desired
create table logs (at date not null, line text) partition by range (at);
create index logs_at_idx on logs (at);
create table logs_2020 partition of logs for values from ('2020-01-01') to ('2021-01-01');

-- case: pg_dump's ATTACH forms
-- PostgreSQL 18 names NOT NULL constraints: a partition made with PARTITION OF takes its parent's names, one
-- created apart and attached keeps its own, and the model does not hold a partition's names yet.
-- until: postgres 17
-- current
-- desired
CREATE TABLE public.payment (
    payment_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamp with time zone NOT NULL
)
PARTITION BY RANGE (payment_date);
CREATE TABLE public.payment_p2022_01 (
    payment_id integer NOT NULL,
    amount numeric(5,2) NOT NULL,
    payment_date timestamp with time zone NOT NULL
);
ALTER TABLE ONLY public.payment ATTACH PARTITION public.payment_p2022_01 FOR VALUES FROM ('2022-01-01 00:00:00+00') TO ('2022-02-01 00:00:00+00');
ALTER TABLE ONLY public.payment
    ADD CONSTRAINT payment_pkey PRIMARY KEY (payment_date, payment_id);
ALTER TABLE ONLY public.payment_p2022_01
    ADD CONSTRAINT payment_p2022_01_pkey PRIMARY KEY (payment_date, payment_id);
CREATE INDEX payment_amount_idx ON ONLY public.payment USING btree (amount);
CREATE INDEX payment_p2022_01_amount_idx ON public.payment_p2022_01 USING btree (amount);
CREATE INDEX payment_p2022_01_payment_id_idx ON public.payment_p2022_01 USING btree (payment_id);
ALTER INDEX public.payment_pkey ATTACH PARTITION public.payment_p2022_01_pkey;
ALTER INDEX public.payment_amount_idx ATTACH PARTITION public.payment_p2022_01_amount_idx;

-- case: add and drop partitions
-- current
create table readings (at int not null, value int) partition by range (at);
create table readings_1 partition of readings for values from (0) to (100);
create table readings_2 partition of readings for values from (100) to (200);
-- desired
create table readings (at int not null, value int) partition by range (at);
create table readings_2 partition of readings for values from (100) to (200);
create table readings_3 partition of readings for values from (200) to (300);
create table readings_neg partition of readings for values from (minvalue) to (-100);

-- case: a partition detached into a table of its own, and a table attached
-- PostgreSQL 18: the NOT NULL constraint names follow how each table was made (see pg_dump's ATTACH forms).
-- until: postgres 17
-- current
create table jobs (id int not null, kind text not null) partition by list (kind);
create table jobs_a partition of jobs for values in ('a');
create table jobs_b (id int not null, kind text not null);
-- desired
create table jobs (id int not null, kind text not null) partition by list (kind);
create table jobs_a (id int not null, kind text not null);
create table jobs_b partition of jobs for values in ('b');

-- case: a changed bound is a detach and an attach
-- current
create table ranges (n int not null) partition by range (n);
create table ranges_low partition of ranges for values from (0) to (10);
-- desired
create table ranges (n int not null) partition by range (n);
create table ranges_low partition of ranges for values from (0) to (20);

-- case: a changed partition key is refused
-- refused: cannot change its partition key from `RANGE (a)` to `LIST (b)`
-- current
create table keyed (a int, b int) partition by range (a);
create table keyed_1 partition of keyed for values from (0) to (10);
-- desired
create table keyed (a int, b int) partition by list (b);
create table keyed_1 partition of keyed for values in (1);

-- case: time zone offsets in bounds are read as the server prints them
-- current
-- desired
create table visits (at timestamptz not null, day date not null) partition by range (at, day);
create table visits_1 partition of visits
  for values from ('2022-03-01 01:00:00+01', '2022-3-1') to ('2022-04-01 02:00:00+02', '2022-04-01');

-- case: online plans build a partitioned table's index the plain way
-- online
-- current
create table feeds (at date not null, url text not null) partition by range (at);
create table feeds_2020 partition of feeds for values from ('2020-01-01') to ('2021-01-01');
-- desired
create table feeds (at date not null, url text not null, check (url <> '')) partition by range (at);
create index feeds_url_idx on feeds (url);
create table feeds_2020 partition of feeds for values from ('2020-01-01') to ('2021-01-01');
create index feeds_2020_at_idx on feeds_2020 (at);

-- case: a renamed parent keeps its partitions
-- oneway
-- current
create table clicks (at int not null) partition by range (at);
create table clicks_1 partition of clicks for values from (0) to (10);
-- desired
-- driftless:renamed from=clicks
create table taps (at int not null) partition by range (at);
create table clicks_1 partition of taps for values from (0) to (10);

-- case: a partition's own check and index
-- current
create table trips (id int not null, km int) partition by list (id);
-- desired
create table trips (id int not null, km int) partition by list (id);
create table trips_1 partition of trips (constraint trips_1_km check (km > 0)) for values in (1);
create index trips_1_km_idx on trips_1 (km);
