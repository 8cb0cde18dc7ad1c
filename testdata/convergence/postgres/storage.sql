-- Storage parameters of tables and indexes, as pg_class.reloptions keeps them.

-- case: tables and indexes created with storage parameters, written every way PostgreSQL reads them
-- current
-- desired
create table events (id int, body text) with (fillfactor = 070, autovacuum_enabled = OFF,
    autovacuum_vacuum_scale_factor = 0.10, autovacuum_analyze_threshold = '50');
create index events_id_idx on events (id) with (fillfactor = '80', deduplicate_items = off);
create index events_body_idx on events using gin (to_tsvector('simple', body)) with (fastupdate = false);

-- case: table parameters set, changed and reset in place; an index's changed parameters rebuild it
-- current
create table events (id int) with (fillfactor = 70, autovacuum_enabled = off);
create index events_id_idx on events (id) with (fillfactor = 80);
-- desired
create table events (id int) with (fillfactor = 90, toast_tuple_target = 4096);
create index events_id_idx on events (id);
