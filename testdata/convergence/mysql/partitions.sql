-- MySQL partitioning: created with the table, in every method, as information_schema.PARTITIONS shows it.
-- Changing an existing table's partitioning is not planned yet: refused, never dropped.

-- case: RANGE COLUMNS partitions added by ALTER TABLE, as the employees sample database does
-- current
-- desired
CREATE TABLE titles (
    emp_no      INT             NOT NULL,
    title       VARCHAR(50)     NOT NULL,
    from_date   DATE            NOT NULL,
    to_date     DATE,
    # FOREIGN KEY (emp_no) REFERENCES employees (emp_no) ON DELETE CASCADE,
    PRIMARY KEY (emp_no,title, from_date)
);
/*!50510
ALTER TABLE titles
partition by range COLUMNS (from_date)
(
    partition p01 values less than ('1985-12-31'),
    partition p02 values less than ('1986-12-31'),
    partition p19 values less than (MAXVALUE)
)
*/;

-- case: RANGE over an expression and LIST with NULL, comments and engines
-- current
-- desired
create table r (a int, d date) partition by range (YEAR(d)) (
    partition old values less than (1990) comment 'before 1990',
    partition rest values less than maxvalue);
create table l (a int) partition by list (a) (partition p1 values in (3, 1, NULL), partition p2 values in (+4, 010));

-- case: LIST COLUMNS and RANGE COLUMNS over several columns
-- current
-- desired
create table lc (a int, b char(4)) partition by list columns (a, b) (
    partition x values in ((1, 'a'), (2, 'it''s')), partition y values in ((NULL, 'z')));
create table rc (a int, B varchar(3)) partition by range columns (a, b) (
    partition p1 values less than (1, 'x'), partition p2 values less than (MAXVALUE, MAXVALUE));

-- case: HASH and KEY, counted or named
-- current
-- desired
create table h (a int, b int) partition by hash (a + b * 2) partitions 3;
create table lh (a int) partition by linear hash (a) (partition one, partition two comment 'second');
create table k (a int primary key) partition by key () partitions 2;
create table lk (a int, b int, primary key (a, b)) partition by linear key (b, a) partitions 4;

-- case: a table partitioned once it exists is refused, not left as it is
-- oneway
-- refused: partitioning of an existing MySQL table
-- current
create table t (a int);
-- desired
create table t (a int) partition by hash (a) partitions 2;
