-- The shop's schema. Edit it, commit, and Argo CD or Flux rolls the change out: kustomize turns this file into a
-- ConfigMap with a new name, the DatabaseSchema points at it, and the operator plans, lints and applies the ALTERs.
create type order_status as enum ('pending', 'paid', 'shipped');

create table customers (
  id bigint generated always as identity primary key,
  email varchar(255) not null unique,
  name text not null,
  created_at timestamptz not null default now()
);

create table orders (
  id bigserial primary key,
  customer_id bigint not null references customers (id) on delete cascade,
  status order_status not null default 'pending',
  total numeric(10, 2) not null check (total >= 0),
  placed_at timestamptz not null default now()
);

create index orders_customer_id_placed_at_idx on orders (customer_id, placed_at desc);
