-- Virtual tables: created and dropped as written; a changed module or argument list drops the table and
-- creates it again. The module's own shadow tables are never managed.

-- case: an FTS5 table with external content, kept in sync by triggers
-- current
create table notes (id integer primary key, body text not null default '');
-- desired
create table notes (id integer primary key, body text not null default '');
create virtual table notes_fts using fts5(body, content = 'notes', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2');
create trigger notes_ai after insert on notes begin insert into notes_fts (rowid, body) values (new.id, new.body); end;
create trigger notes_ad after delete on notes begin insert into notes_fts (notes_fts, rowid, body) values ('delete', old.id, old.body); end;

-- case: change an FTS5 table's tokenizer
-- current
create virtual table docs using fts5(title, body);
-- desired
create virtual table docs using fts5(title, body, tokenize = 'trigram');

-- case: an FTS4 and an R*Tree table
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key);
create virtual table docs using fts4(title, body);
create virtual table boxes using rtree(id, min_x, max_x, min_y, max_y);

-- case: a table becomes a virtual table
-- current
create table docs (title text, body text);
-- desired
create virtual table docs using fts5(title, body);
