-- Exclusion constraints: keys compared under operators, enforced by an index of the constraint's name.

-- case: exclusion constraints written every way PostgreSQL reads them, named and implicit
-- current
-- desired
create extension if not exists btree_gist;
create table bookings (
    id int primary key,
    room int not null,
    guest text,
    during tstzrange not null,
    cancelled boolean not null default false,
    constraint bookings_no_overlap exclude using gist (room with =, during with &&) where (not cancelled),
    exclude using GIST (during WITH OPERATOR(pg_catalog.&&)) include (guest) deferrable initially deferred
);
create table codes (
    code varchar(20),
    constraint codes_lower_excl exclude (lower(code::text) with =) where (code::text <> ''),
    exclude (code desc nulls last with =)
);
alter table only codes add exclude using hash (code with =);

-- case: a changed exclusion constraint is dropped and added again; a new one is added, an old one dropped
-- current
create extension if not exists btree_gist;
create table bookings (
    room int not null,
    during tstzrange not null,
    constraint bookings_no_overlap exclude using gist (during with &&),
    constraint bookings_room_excl exclude (room with =)
);
-- desired
create extension if not exists btree_gist;
create table bookings (
    room int not null,
    during tstzrange not null,
    constraint bookings_no_overlap exclude using gist (room with =, during with &&),
    constraint bookings_during_excl exclude using gist (during with &&) deferrable
);

-- case: a column an exclusion constraint keys on changes type: the constraint comes back over the new type
-- current
create table slots (n int, constraint slots_n_excl exclude (n with =));
-- desired
create table slots (n bigint, constraint slots_n_excl exclude (n with =));
