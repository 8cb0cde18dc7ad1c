-- Row-level security: policies created after the table's columns, dropped before the columns they read
-- change, and row security switched on once the policies are in place.

-- case: enable and force row security with policies of every command, as pg_dump prints them
-- current
-- desired
CREATE TABLE public.documents (
    id integer NOT NULL,
    owner_name text NOT NULL,
    tenant integer,
    body text
);
ALTER TABLE public.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY documents_all ON public.documents USING ((tenant = (current_setting('app.tenant'::text))::integer));
CREATE POLICY documents_read ON public.documents AS RESTRICTIVE FOR SELECT TO postgres, PUBLIC USING ((owner_name = CURRENT_USER));
CREATE POLICY documents_insert ON public.documents FOR INSERT WITH CHECK ((owner_name = CURRENT_USER));
CREATE POLICY documents_update ON public.documents FOR UPDATE USING (true) WITH CHECK ((body <> ''::text));
CREATE POLICY documents_delete ON public.documents FOR DELETE TO postgres USING ((id > 0));
COMMENT ON POLICY documents_all ON public.documents IS 'one tenant at a time';

-- case: a changed policy is dropped and created again; a policy's comment changes in place
-- current
create table notes (id int, author text, shared boolean);
alter table notes enable row level security;
create policy notes_read on notes for select using (author = current_user);
create policy notes_write on notes for insert with check (author = current_user);
comment on policy notes_write on notes is 'own notes';
-- desired
create table notes (id int, author text, shared boolean);
alter table notes enable row level security;
create policy notes_read on notes for select using (author = current_user or shared);
create policy notes_write on notes for insert with check (author = current_user);
comment on policy notes_write on notes is 'only your own notes';

-- case: a column a policy reads changes type: the policy goes first and comes back after
-- current
create table items (id int, owner_id int);
alter table items enable row level security;
create policy items_owner on items using (owner_id > 0);
-- desired
create table items (id int, owner_id bigint);
alter table items enable row level security;
create policy items_owner on items using (owner_id > 0);

-- case: row security switched off and a policy dropped
-- current
create table logs (id int, level text);
alter table logs enable row level security;
alter table logs force row level security;
create policy logs_errors on logs using (level = 'error');
-- desired
create table logs (id int, level text);
