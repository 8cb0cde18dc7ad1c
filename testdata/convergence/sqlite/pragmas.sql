-- Header values: PRAGMA application_id and user_version are set as declared; one the schema does not set is
-- left as the database has it.

-- case: set the application id and the user version
-- oneway
-- current
create table t (id integer primary key);
-- desired
create table t (id integer primary key);
PRAGMA application_id = 0x63616c69;
pragma user_version=27;

-- case: bump the user version with a new column
-- current
create table t (id integer primary key);
pragma user_version = 1;
-- desired
create table t (id integer primary key, note text);
pragma user_version = 2;

-- case: a negative application id
-- current
pragma application_id = 7;
-- desired
pragma application_id = -2;
