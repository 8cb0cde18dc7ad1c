//! MySQL and MariaDB: the live schema from `information_schema`, in eight queries whatever the number of
//! tables (databases, tables, columns, index keys, checks, foreign key columns, foreign key actions, views),
//! shared between two connections for a large schema. A schema is a database. Types, defaults and expressions go through the same canonical forms as the desired
//! side (`driftless_parse::mysql`), so an unchanged database diffs empty.

use crate::InspectError;
use driftless_model::mysql::{Partition, Partitioning, TableOptions, auto_increment, quote_ident};
use driftless_model::{
    Check, Column, CompactString, DataType, Database, Deferrable, Dialect, Expr, ForeignKey, Index, IndexKey,
    IndexPart, PrimaryKey, QualifiedName, ReferentialAction, Table, TriggerEvent, TriggerTiming, View,
};
use driftless_parse::mysql::{
    canonical_engine, canonical_expr, canonical_query, column_default, column_type, prefix_key, trigger,
};
use futures_util::TryStreamExt;
use futures_util::future::join;
use sqlx::mysql::MySqlConnectOptions;
use sqlx::{ConnectOptions, Connection, MySqlConnection};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Round trips [`inspect_mysql`] makes on its connection when it reads on one, whatever the number of tables.
pub const MYSQL_ROUND_TRIPS: usize = 10;

/// From this many tables on, [`inspect_mysql`] shares the per-table families between two connections:
/// MariaDB answers each `information_schema` query on one core, so a second connection halves the wait (at
/// 1,000 tables, 135 → 95 ms). Below it, opening the second connection would cost more than it saves.
pub const MYSQL_PARALLEL_FROM_TABLES: usize = 250;

/// The default collation of a database (the one its tables inherit), `None` when it does not exist.
pub async fn mysql_database_collation(
    conn: &mut MySqlConnection,
    schema: &str,
) -> Result<Option<String>, InspectError> {
    sqlx::query_scalar(
        "SELECT CAST(DEFAULT_COLLATION_NAME AS CHAR) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
    )
    .bind(schema)
    .fetch_optional(conn)
    .await
    .map_err(|source| InspectError::Query { family: "databases", source })
}

type DatabaseRow = (String,);
type TableRow = (String, String, String, Option<String>, Option<String>, Option<String>, Option<String>);
// names and types decode straight into the model's compact strings
type ColumnRow = (
    String,
    String,
    i64,
    CompactString,
    CompactString,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    String,
);
type KeyRow = (String, String, String, i64, i64, CompactString, Option<i64>, Option<String>, String, String);
type CheckRow = (String, String, String, String);
type ForeignKeyColumnRow = (String, String, String, CompactString, String, String, CompactString);
type ForeignKeyActionsRow = (String, String, String, String, String);
type ViewRow = (String, String, String);
type TriggerRow = (String, String, String, String, String, String);
type PartitionRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

/// An object family and the query that reads it. `{schemas}` and `{names}` stand for one placeholder per
/// schema and per view name.
#[derive(Debug, Clone, Copy)]
enum Family {
    Databases,
    Tables,
    Columns,
    Indexes,
    Checks,
    ForeignKeyActions,
    ForeignKeyColumns,
    Views,
    Partitions,
    Triggers,
}

/// The families read once the tables are known, longest first, so that two connections sharing them
/// finish close together.
const PER_TABLE_FAMILIES: [Family; 5] =
    [Family::Columns, Family::Indexes, Family::ForeignKeyColumns, Family::ForeignKeyActions, Family::Checks];

impl Family {
    fn name(self) -> &'static str {
        match self {
            Family::Databases => "databases",
            Family::Tables => "tables",
            Family::Columns => "columns",
            Family::Indexes => "indexes",
            Family::Checks => "checks",
            Family::ForeignKeyActions => "foreign key actions",
            Family::ForeignKeyColumns => "foreign keys",
            Family::Views => "views",
            Family::Partitions => "partitions",
            Family::Triggers => "triggers",
        }
    }

    fn query(self) -> &'static str {
        match self {
            Family::Databases => {
                "SELECT CAST(SCHEMA_NAME AS CHAR) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ({schemas})"
            }
            Family::Tables => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(TABLE_TYPE AS CHAR), \
                 CAST(ENGINE AS CHAR), CAST(TABLE_COLLATION AS CHAR), CAST(TABLE_COMMENT AS CHAR), \
                 CAST(CREATE_OPTIONS AS CHAR) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN ({schemas})"
            }
            Family::Columns => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(ORDINAL_POSITION AS SIGNED), \
                 CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR), CAST(IS_NULLABLE AS CHAR), \
                 CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR), CAST(COLLATION_NAME AS CHAR), \
                 CAST(GENERATION_EXPRESSION AS CHAR), CAST(COLUMN_COMMENT AS CHAR) \
                 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ({schemas})"
            }
            Family::Indexes => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), \
                 CAST(SEQ_IN_INDEX AS SIGNED), CAST(NON_UNIQUE AS SIGNED), CAST(COLUMN_NAME AS CHAR), \
                 CAST(SUB_PART AS SIGNED), CAST(COLLATION AS CHAR), CAST(INDEX_TYPE AS CHAR), \
                 CAST(INDEX_COMMENT AS CHAR) \
                 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN ({schemas})"
            }
            Family::Checks => {
                "SELECT CAST(CONSTRAINT_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), \
                 CAST(CHECK_CLAUSE AS CHAR) \
                 FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN ({schemas})"
            }
            // Foreign keys' columns and their actions are read apart and joined at the end: MariaDB joins the
            // two information_schema tables row by row (24 s at 5,000 tables, against 0.2 s for each alone).
            Family::ForeignKeyActions => {
                "SELECT CAST(CONSTRAINT_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), \
                 CAST(UPDATE_RULE AS CHAR), CAST(DELETE_RULE AS CHAR) \
                 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN ({schemas})"
            }
            Family::ForeignKeyColumns => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), \
                 CAST(COLUMN_NAME AS CHAR), CAST(REFERENCED_TABLE_SCHEMA AS CHAR), \
                 CAST(REFERENCED_TABLE_NAME AS CHAR), CAST(REFERENCED_COLUMN_NAME AS CHAR) \
                 FROM information_schema.KEY_COLUMN_USAGE \
                 WHERE TABLE_SCHEMA IN ({schemas}) AND REFERENCED_TABLE_NAME IS NOT NULL \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"
            }
            // named, because MariaDB then opens those views alone rather than every table (60 ms → 10 ms at 5,000)
            Family::Views => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(VIEW_DEFINITION AS CHAR) \
                 FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN ({schemas}) AND TABLE_NAME IN ({names})"
            }
            // named, as views are: the partitioned tables alone
            Family::Partitions => {
                "SELECT CAST(TABLE_SCHEMA AS CHAR), CAST(TABLE_NAME AS CHAR), CAST(PARTITION_NAME AS CHAR), \
                 CAST(SUBPARTITION_NAME AS CHAR), CAST(PARTITION_METHOD AS CHAR), \
                 CAST(SUBPARTITION_METHOD AS CHAR), CAST(PARTITION_EXPRESSION AS CHAR), \
                 CAST(SUBPARTITION_EXPRESSION AS CHAR), CAST(PARTITION_DESCRIPTION AS CHAR), \
                 CAST(PARTITION_COMMENT AS CHAR) \
                 FROM information_schema.PARTITIONS \
                 WHERE TABLE_SCHEMA IN ({schemas}) AND TABLE_NAME IN ({names}) AND PARTITION_NAME IS NOT NULL \
                 ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION"
            }
            Family::Triggers => {
                "SELECT CAST(TRIGGER_SCHEMA AS CHAR), CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_MANIPULATION AS CHAR), \
                 CAST(EVENT_OBJECT_TABLE AS CHAR), CAST(ACTION_TIMING AS CHAR), CAST(ACTION_STATEMENT AS CHAR) \
                 FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN ({schemas}) \
                 ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, ACTION_ORDER"
            }
        }
    }
}

/// What the family queries have read so far; shared by the connections reading them.
struct Reading {
    db: Database,
    out_of_order: OutOfOrder,
    views: Vec<String>,
    /// Tables whose `CREATE_OPTIONS` say `partitioned`.
    partitioned: Vec<String>,
    foreign_key_actions: BTreeMap<(String, String, String), (ReferentialAction, ReferentialAction)>,
    foreign_keys: BTreeMap<(QualifiedName, String), ForeignKey>,
}

impl Reading {
    fn new() -> Self {
        Reading {
            db: Database::new(Dialect::Mysql),
            out_of_order: OutOfOrder::default(),
            views: Vec::new(),
            partitioned: Vec::new(),
            foreign_key_actions: BTreeMap::new(),
            foreign_keys: BTreeMap::new(),
        }
    }

    /// A foreign key's (update, delete) actions from its `REFERENTIAL_CONSTRAINTS` row.
    fn actions(&self, table: &QualifiedName, name: &str) -> Option<(ReferentialAction, ReferentialAction)> {
        let key = (table.schema.clone(), table.name.clone(), name.to_string());
        self.foreign_key_actions.get(&key).copied()
    }
}

/// The live schema of the given databases. Each family's rows are folded into the model as they arrive.
///
/// With `second` (how to open another connection to the same database) and at least
/// [`MYSQL_PARALLEL_FROM_TABLES`] tables, the per-table families are shared between `conn` and a second
/// connection; when that one cannot be opened, `conn` reads them all.
pub async fn inspect_mysql(
    conn: &mut MySqlConnection,
    second: Option<&MySqlConnectOptions>,
    schemas: &[String],
) -> Result<Database, InspectError> {
    let mut reading = Reading::new();
    reading.db.server = read_server(conn).await?;
    let reading = Mutex::new(reading);
    read(conn, Family::Databases, schemas, &[], &reading).await?;
    read(conn, Family::Tables, schemas, &[], &reading).await?;
    let next = AtomicUsize::new(0);
    let tables: usize = lock(&reading).db.schemas.values().map(|schema| schema.tables.len()).sum();
    match second.filter(|_| tables >= MYSQL_PARALLEL_FROM_TABLES) {
        None => read_per_table_families(conn, &next, schemas, &reading).await?,
        Some(options) => {
            let on_second = async {
                match options.connect().await {
                    Ok(mut second) => {
                        let result = read_per_table_families(&mut second, &next, schemas, &reading).await;
                        // the server would otherwise log an aborted connection
                        let _ = second.close().await;
                        result
                    }
                    Err(error) => {
                        tracing::debug!(%error, "no second connection to inspect with; reading on one");
                        Ok(())
                    }
                }
            };
            let (first, second) = join(read_per_table_families(conn, &next, schemas, &reading), on_second).await;
            first.and(second)?;
        }
    }
    let views = std::mem::take(&mut lock(&reading).views);
    read(conn, Family::Views, schemas, &views, &reading).await?;
    read(conn, Family::Triggers, schemas, &[], &reading).await?;
    let partitioned = std::mem::take(&mut lock(&reading).partitioned);
    if !partitioned.is_empty() {
        read(conn, Family::Partitions, schemas, &partitioned, &reading).await?;
    }
    let mut reading = reading.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::take(&mut reading.out_of_order).restore(&mut reading.db);
    let definitions = definitions_of_keys_without_actions(conn, &reading).await?;
    attach_foreign_keys(&mut reading, &definitions);
    reading.db.shrink_to_fit();
    Ok(reading.db)
}

/// `SHOW CREATE TABLE` of each table with a foreign key that has no actions row. MariaDB shows a key's
/// columns to a user with any privilege on its table, but its `REFERENTIAL_CONSTRAINTS` row only with
/// privileges on the referenced table too; `SHOW CREATE TABLE` needs the first alone. One more round trip
/// per such table, none when every row is there.
async fn definitions_of_keys_without_actions(
    conn: &mut MySqlConnection,
    reading: &Reading,
) -> Result<BTreeMap<QualifiedName, String>, InspectError> {
    let mut definitions = BTreeMap::new();
    for (table_name, name) in reading.foreign_keys.keys() {
        if !definitions.contains_key(table_name) && reading.actions(table_name, name).is_none() {
            definitions.insert(table_name.clone(), show_create_table(conn, table_name).await?);
        }
    }
    Ok(definitions)
}

/// Adds the foreign keys read to their tables, with their actions: from their `REFERENTIAL_CONSTRAINTS` row,
/// else from their table's definition.
fn attach_foreign_keys(reading: &mut Reading, definitions: &BTreeMap<QualifiedName, String>) {
    for ((table_name, name), mut foreign_key) in std::mem::take(&mut reading.foreign_keys) {
        let actions =
            reading.actions(&table_name, &name).or_else(|| actions_in_definition(definitions.get(&table_name)?, &name));
        // not in the definition, read last: the key was dropped since its columns were read
        let Some((on_update, on_delete)) = actions else { continue };
        foreign_key.on_update = on_update;
        foreign_key.on_delete = on_delete;
        if let Some(table) = reading.db.table_mut(&table_name) {
            table.foreign_keys.insert(foreign_key);
        }
    }
}

async fn show_create_table(conn: &mut MySqlConnection, table: &QualifiedName) -> Result<String, InspectError> {
    let sql = format!("SHOW CREATE TABLE {}.{}", quote_ident(&table.schema), quote_ident(&table.name));
    let (_, definition): (String, String) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_one(conn)
        .await
        .map_err(|source| InspectError::Query { family: Family::ForeignKeyActions.name(), source })?;
    Ok(definition)
}

/// The (update, delete) actions of foreign key `name` in a `SHOW CREATE TABLE` text, which prints each
/// constraint on a line of its own (`` CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE
/// CASCADE ``) and leaves `RESTRICT`, the default, out.
fn actions_in_definition(definition: &str, name: &str) -> Option<(ReferentialAction, ReferentialAction)> {
    let heads =
        [format!("`{}`", name.replace('`', "``")), quote_ident(name)].map(|n| format!("CONSTRAINT {n} FOREIGN KEY "));
    let (line, head) = definition
        .lines()
        .map(str::trim_start)
        .find_map(|line| Some((line, heads.iter().find(|h| line.starts_with(h.as_str()))?)))?;
    // without the quoted names, a column called `ON DELETE` is not read as an action
    let mut quoted = false;
    let words: String = line[head.len()..]
        .chars()
        .filter(|&c| {
            quoted ^= c == '`';
            !quoted && c != '`'
        })
        .collect();
    let action_after = |clause: &str| {
        let Some((_, rest)) = words.split_once(clause) else { return ReferentialAction::Restrict };
        let rule = ["CASCADE", "SET NULL", "SET DEFAULT", "NO ACTION", "RESTRICT"]
            .into_iter()
            .find(|rule| rest.starts_with(rule));
        rule.map_or(ReferentialAction::Restrict, action)
    };
    Some((action_after("ON UPDATE "), action_after("ON DELETE ")))
}

/// The connection's database (MySQL's default schema) and the server's version.
async fn read_server(conn: &mut MySqlConnection) -> Result<driftless_model::Server, InspectError> {
    let (database, version): (Option<String>, String) =
        sqlx::query_as("SELECT CAST(DATABASE() AS CHAR), CAST(VERSION() AS CHAR)")
            .fetch_one(conn)
            .await
            .map_err(|source| InspectError::Query { family: "server", source })?;
    let default_schema = database.unwrap_or_else(|| Dialect::Mysql.default_schema().to_string());
    Ok(driftless_model::Server { default_schema, version: Some(version) })
}

/// Reads the per-table families, taking the next unread one from `next` until none is left (another
/// connection may be taking them too).
async fn read_per_table_families(
    conn: &mut MySqlConnection,
    next: &AtomicUsize,
    schemas: &[String],
    reading: &Mutex<Reading>,
) -> Result<(), InspectError> {
    while let Some(&family) = PER_TABLE_FAMILIES.get(next.fetch_add(1, Ordering::Relaxed)) {
        read(conn, family, schemas, &[], reading).await?;
    }
    Ok(())
}

/// Runs one family's query and folds each row into `reading` as it arrives, so that decoding overlaps the
/// server sending the rest.
async fn read(
    conn: &mut MySqlConnection,
    family: Family,
    schemas: &[String],
    names: &[String],
    reading: &Mutex<Reading>,
) -> Result<(), InspectError> {
    let bound = (schemas, names);
    match family {
        Family::Databases => for_each_row(conn, family, bound, |row| fold_database(&mut lock(reading), row)).await,
        Family::Tables => for_each_row(conn, family, bound, |row| fold_table(&mut lock(reading), row)).await,
        Family::Columns => for_each_row(conn, family, bound, |row| fold_column(&mut lock(reading), row)).await,
        Family::Indexes => for_each_row(conn, family, bound, |row| fold_index_key(&mut lock(reading), row)).await,
        Family::Checks => for_each_row(conn, family, bound, |row| fold_check(&mut lock(reading), row)).await,
        Family::ForeignKeyActions => {
            for_each_row(conn, family, bound, |row| fold_foreign_key_actions(&mut lock(reading), row)).await
        }
        Family::ForeignKeyColumns => {
            for_each_row(conn, family, bound, |row| fold_foreign_key_column(&mut lock(reading), row)).await
        }
        Family::Views => for_each_row(conn, family, bound, |row| fold_view(&mut lock(reading), row)).await,
        Family::Partitions => for_each_row(conn, family, bound, |row| fold_partition(&mut lock(reading), row)).await,
        Family::Triggers => for_each_row(conn, family, bound, |row| fold_trigger(&mut lock(reading), row)).await,
    }
}

fn lock(reading: &Mutex<Reading>) -> std::sync::MutexGuard<'_, Reading> {
    // a fold that panicked leaves nothing half-made that the others read
    reading.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fold_database(reading: &mut Reading, (name,): DatabaseRow) {
    reading.db.schema_mut(&name);
}

fn fold_table(reading: &mut Reading, (schema, name, kind, engine, collation, comment, create_options): TableRow) {
    if kind == "VIEW" {
        reading.views.push(name);
        return;
    }
    if kind != "BASE TABLE" {
        return;
    }
    let create_options = create_options.unwrap_or_default();
    if create_options.split_whitespace().any(|option| option == "partitioned") {
        reading.partitioned.push(name.clone());
    }
    let mut table = Table::new(QualifiedName::new(schema.clone(), name.clone()));
    table.comment = comment.filter(|c| !c.is_empty());
    table.mysql = Some(TableOptions {
        engine: canonical_engine(&engine.unwrap_or_default()),
        collation: collation.unwrap_or_default(),
        row_format: declared_row_format(&create_options),
        partitioning: None,
    });
    reading.db.schema_mut(&schema).tables.insert(name, table);
}

/// The `row_format=...` of a table's `CREATE_OPTIONS` (`row_format=DYNAMIC partitioned`), upper case: present
/// only when the table declared one.
fn declared_row_format(create_options: &str) -> String {
    create_options
        .split_whitespace()
        .find_map(|option| option.strip_prefix("row_format="))
        .unwrap_or_default()
        .to_uppercase()
}

/// One row per partition, or per sub-partition (the first of each partition makes the partition; the
/// sub-partitions are counted into the `SUBPARTITION BY` description).
fn fold_partition(
    reading: &mut Reading,
    (
        schema,
        table_name,
        name,
        subpartition,
        method,
        subpartition_method,
        expression,
        subpartition_expression,
        values,
        comment,
    ): PartitionRow,
) {
    let Some(options) = reading.db.table_mut(&QualifiedName::new(schema, table_name)).and_then(|t| t.mysql.as_mut())
    else {
        return;
    };
    let partitioning = options.partitioning.get_or_insert_with(|| Partitioning {
        method,
        expression: expression.unwrap_or_default(),
        partitions: Vec::new(),
        subpartitioning: None,
    });
    if partitioning.partitions.last().is_none_or(|last| last.name != name) {
        partitioning.partitions.push(Partition { name, values, comment });
    }
    if let (Some(_), Some(method)) = (subpartition, subpartition_method) {
        let per_partition = partitioning.partitions.len() == 1;
        let count = partitioning
            .subpartitioning
            .as_deref()
            .and_then(|described| described.rsplit(' ').next()?.parse::<usize>().ok())
            .unwrap_or(0);
        let count = if per_partition { count + 1 } else { count };
        let expression = subpartition_expression.unwrap_or_default();
        partitioning.subpartitioning = Some(format!("{method} ({expression}) SUBPARTITIONS {count}"));
    }
}

fn fold_column(
    reading: &mut Reading,
    (schema, table_name, position, name, data_type, nullable, default, extra, collation, generation, comment): ColumnRow,
) {
    let table_name = QualifiedName::new(schema, table_name);
    let Some(table) = reading.db.table_mut(&table_name) else { return };
    let table_collation = table.mysql.as_ref().map(|o| o.collation.as_str()).unwrap_or_default();
    let extra = extra.to_lowercase();
    let generated = generation.filter(|_| extra.contains("generated"));
    let on_update = extra.split_once("on update ").map(|(_, expr)| expr.trim().to_string());
    let data_type = DataType::from(data_type);
    // members as the parser quotes them (`COLUMN_TYPE` leaves control characters raw)
    let data_type = match data_type.base_name().as_ref() {
        "enum" | "set" => column_type(data_type.as_str()).map_or(data_type, DataType::from),
        _ => data_type,
    };
    let default =
        if generated.is_some() { None } else { column_default(default.as_deref(), on_update.as_deref(), &data_type) };
    let collation = collation.filter(|c| c != table_collation);
    table.columns.push(Column {
        name,
        nullable: nullable == "YES",
        default,
        identity: extra.contains("auto_increment").then(|| Box::new(auto_increment())),
        generated_virtual: generated.is_some() && extra.contains("virtual"),
        generated: generated.map(|sql| Box::new(Expr::new(sql.clone(), canonical_expr(&sql)))),
        collation: collation.map(Into::into),
        comment: (!comment.is_empty()).then(|| comment.into()),
        data_type,
    });
    note_position(&mut reading.out_of_order.columns, table.columns.len(), position, || table_name);
}

fn fold_index_key(
    reading: &mut Reading,
    (schema, table_name, index_name, position, non_unique, column, sub_part, order, kind, comment): KeyRow,
) {
    let table_name = QualifiedName::new(schema, table_name);
    let Some(table) = reading.db.table_mut(&table_name) else { return };
    let out_of_order = &mut reading.out_of_order.index_keys;
    if index_name == PRIMARY_KEY {
        let key = table.primary_key.get_or_insert_with(|| PrimaryKey {
            comment: Some(comment).filter(|c| !c.is_empty()),
            name: index_name,
            columns: Vec::new(),
        });
        key.columns.push(column);
        note_position(out_of_order, key.columns.len(), position, || (table_name, PRIMARY_KEY.to_string()));
        return;
    }
    let index = table.indexes.get_or_insert_with(&index_name.clone(), || Index {
        name: index_name,
        unique: non_unique == 0,
        method: match kind.as_str() {
            "FULLTEXT" => "fulltext".into(),
            "SPATIAL" => "spatial".into(),
            _ => "btree".into(),
        },
        parts: Vec::new(),
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        storage: Default::default(),
        comment: Some(comment).filter(|c| !c.is_empty()),
    });
    // a spatial key reports the length of its stored value (32) as a prefix: it is the whole column
    let key = match sub_part.filter(|_| index.method != "spatial") {
        Some(length) => prefix_key(&column, length as u32),
        None => IndexKey::Column(column.clone()),
    };
    index.parts.push(IndexPart { key, descending: order.as_deref() == Some("D"), ..IndexPart::column(column) });
    note_position(out_of_order, index.parts.len(), position, || (table_name, index.name.clone()));
}

/// The name MySQL gives every primary key (and allows no other index).
const PRIMARY_KEY: &str = "PRIMARY";

/// Lists whose rows came out of order, with the position (from 1) each row gave. The columns and index key
/// queries have no `ORDER BY`: sorting every row costs MariaDB about a tenth of the inspection, and it sends
/// each table's columns and each index's keys in order anyway. That is checked row by row rather than
/// trusted; a list found out of order is sorted once everything is read.
#[derive(Default)]
struct OutOfOrder {
    columns: BTreeMap<QualifiedName, Vec<i64>>,
    index_keys: BTreeMap<(QualifiedName, String), Vec<i64>>,
}

/// Records that the item just pushed, the `count`th of its list, gave `position`: nothing while the list is
/// in order, every position of it from the first row that is not.
fn note_position<K: Ord>(
    out_of_order: &mut BTreeMap<K, Vec<i64>>,
    count: usize,
    position: i64,
    list: impl FnOnce() -> K,
) {
    if out_of_order.is_empty() && position == count as i64 {
        return;
    }
    let list = list();
    if let Some(positions) = out_of_order.get_mut(&list) {
        positions.push(position);
    } else if position != count as i64 {
        // the items before it came in order
        out_of_order.insert(list, (1..count as i64).chain([position]).collect());
    }
}

impl OutOfOrder {
    fn restore(self, db: &mut Database) {
        for (table_name, positions) in self.columns {
            if let Some(table) = db.table_mut(&table_name) {
                sort_by_position(&mut table.columns, positions);
            }
        }
        for ((table_name, index_name), positions) in self.index_keys {
            let Some(table) = db.table_mut(&table_name) else { continue };
            if index_name == PRIMARY_KEY {
                if let Some(key) = &mut table.primary_key {
                    sort_by_position(&mut key.columns, positions);
                }
            } else if let Some(index) = table.indexes.get_mut(&index_name) {
                sort_by_position(&mut index.parts, positions);
            }
        }
    }
}

fn sort_by_position<T>(items: &mut Vec<T>, positions: Vec<i64>) {
    let mut placed: Vec<(i64, T)> = positions.into_iter().zip(items.drain(..)).collect();
    placed.sort_by_key(|(position, _)| *position);
    items.extend(placed.into_iter().map(|(_, item)| item));
}

fn fold_check(reading: &mut Reading, (schema, table_name, name, clause): CheckRow) {
    let Some(table) = reading.db.table_mut(&QualifiedName::new(schema, table_name)) else { return };
    let expr = Expr::new(clause.clone(), canonical_expr(&clause));
    table.checks.insert(Check { not_valid: false, comment: None, name, expr, no_inherit: false });
}

fn fold_foreign_key_actions(reading: &mut Reading, (schema, table, name, on_update, on_delete): ForeignKeyActionsRow) {
    reading.foreign_key_actions.insert((schema, table, name), (action(&on_update), action(&on_delete)));
}

fn fold_foreign_key_column(
    reading: &mut Reading,
    (schema, table_name, name, column, ref_schema, ref_table, ref_column): ForeignKeyColumnRow,
) {
    let foreign_key =
        reading.foreign_keys.entry((QualifiedName::new(schema, table_name), name.clone())).or_insert_with(|| {
            ForeignKey {
                not_valid: false,
                match_full: false,
                comment: None,
                name,
                columns: Vec::new(),
                ref_table: QualifiedName::new(ref_schema, ref_table),
                ref_columns: Vec::new(),
                // set from the foreign key actions when both are read
                on_delete: ReferentialAction::NoAction,
                on_update: ReferentialAction::NoAction,
                deferrable: Deferrable::NotDeferrable,
            }
        });
    foreign_key.columns.push(column);
    foreign_key.ref_columns.push(ref_column);
}

fn fold_view(reading: &mut Reading, (schema, name, definition): ViewRow) {
    let canonical = canonical_query(&definition, &schema);
    let view = View {
        options: Default::default(),
        name: QualifiedName::new(schema.clone(), name.clone()),
        query: Expr::new(definition, canonical),
        materialized: false,
        indexes: Default::default(),
        triggers: Default::default(),
        comment: None,
    };
    reading.db.schema_mut(&schema).views.insert(name, view);
}

fn fold_trigger(reading: &mut Reading, (schema, name, event, table, timing, statement): TriggerRow) {
    let event = match event.as_str() {
        "INSERT" => TriggerEvent::Insert,
        "UPDATE" => TriggerEvent::Update { columns: Vec::new() },
        _ => TriggerEvent::Delete,
    };
    let timing = if timing == "BEFORE" { TriggerTiming::Before } else { TriggerTiming::After };
    let trigger = trigger(name, timing, event, &statement);
    if let Some(owner) = reading.db.table_mut(&QualifiedName::new(schema, table)) {
        owner.triggers.insert(trigger);
    }
}

fn action(rule: &str) -> ReferentialAction {
    match rule {
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        "NO ACTION" => ReferentialAction::NoAction,
        _ => ReferentialAction::Restrict,
    }
}

/// Runs `family`'s query and hands each row to `each` as it arrives. Schemas and names are bound:
/// `TABLE_SCHEMA IN (?, ?)` lets MariaDB read only those databases' metadata (a function of the column, like
/// `FIND_IN_SET`, reads every database on the server).
async fn for_each_row<T>(
    conn: &mut MySqlConnection,
    family: Family,
    (schemas, names): (&[String], &[String]),
    mut each: impl FnMut(T),
) -> Result<(), InspectError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::mysql::MySqlRow> + Send + Unpin,
{
    let placeholders =
        |values: &[String]| if values.is_empty() { "NULL".to_string() } else { vec!["?"; values.len()].join(", ") };
    let sql = family.query().replace("{schemas}", &placeholders(schemas)).replace("{names}", &placeholders(names));
    let mut query = sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(sql));
    for value in schemas.iter().chain(names) {
        query = query.bind(value);
    }
    let mut rows = query.fetch(conn);
    while let Some(row) =
        rows.try_next().await.map_err(|source| InspectError::Query { family: family.name(), source })?
    {
        each(row);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading_with_table() -> Reading {
        let mut reading = Reading::new();
        let table = |name: &str| {
            let row = ("app", name, "BASE TABLE", Some("InnoDB"), Some("utf8mb4_general_ci"), Some(""), Some(""));
            (
                row.0.into(),
                row.1.into(),
                row.2.into(),
                row.3.map(Into::into),
                row.4.map(Into::into),
                row.5.map(Into::into),
                row.6.map(Into::into),
            )
        };
        fold_table(&mut reading, table("t"));
        fold_table(&mut reading, table("u"));
        reading
    }

    fn column(table: &str, position: i64, name: &str) -> ColumnRow {
        let text = |s: &str| s.to_string();
        (
            text("app"),
            text(table),
            position,
            text(name).into(),
            "int(11)".into(),
            text("NO"),
            None,
            text(""),
            None,
            None,
            text(""),
        )
    }

    fn key(index: &str, position: i64, column: &str) -> KeyRow {
        let text = |s: &str| s.to_string();
        (
            text("app"),
            text("t"),
            text(index),
            position,
            0,
            column.into(),
            None,
            Some(text("A")),
            text("BTREE"),
            text(""),
        )
    }

    fn finish(mut reading: Reading) -> Table {
        std::mem::take(&mut reading.out_of_order).restore(&mut reading.db);
        reading.db.table(&QualifiedName::new("app", "t")).expect("table t").clone()
    }

    #[test]
    fn rows_in_order_are_kept_as_they_come() {
        let mut reading = reading_with_table();
        for (position, name) in [(1, "a"), (2, "b"), (3, "c")] {
            fold_column(&mut reading, column("t", position, name));
        }
        fold_index_key(&mut reading, key("PRIMARY", 1, "a"));
        assert!(reading.out_of_order.columns.is_empty() && reading.out_of_order.index_keys.is_empty());
        let table = finish(reading);
        assert_eq!(table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
    }

    #[test]
    fn rows_out_of_order_are_sorted_by_the_position_they_give() {
        let mut reading = reading_with_table();
        // table t's columns come 1, 3, 2, 4 (interleaved with table u's, in order); its keys backwards
        let rows = [("t", 1, "a"), ("u", 1, "x"), ("t", 3, "c"), ("u", 2, "y"), ("t", 2, "b"), ("t", 4, "d")];
        for (table, position, name) in rows {
            fold_column(&mut reading, column(table, position, name));
        }
        for (index, position, name) in [("PRIMARY", 2, "b"), ("PRIMARY", 1, "a"), ("by_cd", 2, "d"), ("by_cd", 1, "c")]
        {
            fold_index_key(&mut reading, key(index, position, name));
        }
        let u_columns = reading.db.table(&QualifiedName::new("app", "u")).expect("table u").columns.len();
        let table = finish(reading);
        assert_eq!(table.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        assert_eq!(table.primary_key.expect("primary key").columns, ["a", "b"]);
        let parts: Vec<_> = table.indexes["by_cd"].parts.iter().map(|p| p.key.clone()).collect();
        assert_eq!(parts, [IndexKey::Column("c".into()), IndexKey::Column("d".into())]);
        assert_eq!(u_columns, 2);
    }

    fn foreign_key_column(name: &str) -> ForeignKeyColumnRow {
        let text = |s: &str| s.to_string();
        (text("app"), text("t"), text(name), "parent".into(), text("app"), text("u"), "id".into())
    }

    #[test]
    fn a_foreign_key_without_its_actions_row_takes_them_from_its_table_definition() {
        let mut reading = reading_with_table();
        for name in ["with_row", "without_row", "default_actions", "dropped"] {
            fold_foreign_key_column(&mut reading, foreign_key_column(name));
        }
        let row = ("app".into(), "t".into(), "with_row".into(), "CASCADE".into(), "SET NULL".into());
        fold_foreign_key_actions(&mut reading, row);
        // as SHOW CREATE TABLE prints it; the last key's referenced column has a misleading name
        let definition = "CREATE TABLE `t` (
  `parent` int(11) DEFAULT NULL,
  KEY `with_row` (`parent`),
  CONSTRAINT `with_row` FOREIGN KEY (`parent`) REFERENCES `u` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `without_row` FOREIGN KEY (`parent`) REFERENCES `u` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CONSTRAINT `default_actions` FOREIGN KEY (`parent`) REFERENCES `u` (`ON DELETE CASCADE`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";
        let definitions = BTreeMap::from([(QualifiedName::new("app", "t"), definition.to_string())]);
        attach_foreign_keys(&mut reading, &definitions);
        let table = finish(reading);
        let actions = |name: &str| (table.foreign_keys[name].on_update, table.foreign_keys[name].on_delete);
        use ReferentialAction::{Cascade, Restrict, SetNull};
        assert_eq!(actions("with_row"), (Cascade, SetNull));
        assert_eq!(actions("without_row"), (Cascade, SetNull));
        assert_eq!(actions("default_actions"), (Restrict, Restrict));
        assert_eq!(table.foreign_keys["without_row"].columns, ["parent"]);
        // dropped since its columns were read: the definition, read last, is the truth
        assert!(table.foreign_keys.get("dropped").is_none());
    }
}
