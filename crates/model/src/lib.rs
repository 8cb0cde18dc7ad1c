//! The dialect-neutral schema model and the vocabulary of changes between two models.
//!
//! Both sides of a diff are built into this tree: the desired schema by `driftless-parse`, the live one by
//! `driftless-inspect`. Each side normalizes into the same canonical forms (type names as the database prints
//! them, implicit constraint names, canonical expressions), so comparing two models is plain equality.
//! Nothing here does I/O.

#[cfg(any(test, feature = "builders"))]
pub mod builders;
mod change;
mod expr;
mod hints;
pub mod identifier;
mod kinds;
pub mod mysql;
mod name;
mod name_map;
pub mod sqlite;
mod types;

pub use change::{Change, ColumnChange, CommentTarget, EnumColumn, OnlineOptions, relations_created};
pub use compact_str::{CompactString, ToCompactString, format_compact};
pub use expr::Expr;
pub use hints::{Hints, ObjectRef, RenameHint, Suppression};
pub use kinds::{Object, ObjectKind};
pub use name::{QualifiedName, quote_ident, quote_literal};
pub use name_map::{NameMap, Named};
pub use types::{Conversion, DataType, no_cast, postgres_conversion};

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The SQL dialect a model belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    Postgres,
    Mysql,
    Sqlite,
}

impl Dialect {
    /// The schema an unqualified name lands in when nothing else is known.
    pub fn default_schema(self) -> &'static str {
        match self {
            Dialect::Postgres => "public",
            Dialect::Mysql | Dialect::Sqlite => "main",
        }
    }
}

/// A whole database: the schemas under management and the database-wide objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Database {
    pub dialect: Dialect,
    /// The server the model was read from or is meant for. Not part of the schema, so neither serialized
    /// (the hash of a desired schema stays what it was) nor compared.
    #[serde(skip)]
    pub server: Server,
    /// Schemas by name.
    pub schemas: BTreeMap<String, Schema>,
    /// Extensions by name (PostgreSQL).
    pub extensions: BTreeMap<String, Extension>,
    /// SQLite: the header values a desired schema sets with `PRAGMA` (only those it sets: the others are
    /// not managed), or that a live database holds (all of them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sqlite_header: BTreeMap<sqlite::HeaderValue, i64>,
}

impl Default for Database {
    fn default() -> Self {
        Database::new(Dialect::default())
    }
}

impl Database {
    /// An empty model whose default schema is the dialect's.
    pub fn new(dialect: Dialect) -> Self {
        Database {
            dialect,
            server: Server { default_schema: dialect.default_schema().to_string(), version: None },
            schemas: BTreeMap::new(),
            extensions: BTreeMap::new(),
            sqlite_header: BTreeMap::new(),
        }
    }

    /// The schema of that name, created empty when missing.
    pub fn schema_mut(&mut self, name: &str) -> &mut Schema {
        self.schemas.entry(name.to_string()).or_insert_with(|| Schema::new(name))
    }

    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.schemas.get(&name.schema)?.tables.get(&name.name)
    }

    pub fn table_mut(&mut self, name: &QualifiedName) -> Option<&mut Table> {
        self.schemas.get_mut(&name.schema)?.tables.get_mut(&name.name)
    }

    /// Releases the spare capacity building left in tables: a model lives for a whole plan, and a vector
    /// grown by pushing holds up to twice its length.
    pub fn shrink_to_fit(&mut self) {
        for table in self.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
            table.columns.shrink_to_fit();
            table.uniques.shrink_to_fit();
            table.foreign_keys.shrink_to_fit();
            table.checks.shrink_to_fit();
            table.exclusions.shrink_to_fit();
            table.indexes.shrink_to_fit();
            table.triggers.shrink_to_fit();
        }
    }
}

/// What a model knows of its server. Two models are equal whatever their servers: a desired model and the
/// live one, or the models of two databases, compare by their schemas alone.
#[derive(Debug, Clone, Default)]
pub struct Server {
    /// The schema unqualified names land in (PostgreSQL: the connection's current schema), and that column
    /// types name user types relative to.
    pub default_schema: String,
    /// The version as the server reports it (PostgreSQL: `server_version_num`; MySQL: `VERSION()`; SQLite:
    /// `sqlite_version()`); `None` when the model was not read from a server.
    pub version: Option<String>,
}

impl PartialEq for Server {
    fn eq(&self, _: &Server) -> bool {
        true
    }
}

impl Eq for Server {}

/// A namespace of objects (a PostgreSQL schema; MySQL and SQLite have one, the database itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Schema {
    pub name: String,
    pub tables: BTreeMap<String, Table>,
    pub views: BTreeMap<String, View>,
    pub sequences: BTreeMap<String, Sequence>,
    pub enums: BTreeMap<String, EnumType>,
    /// Domains by name (PostgreSQL). Left out of the JSON when empty, so the hash of a schema without any
    /// stays what it was.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, Domain>,
    /// Functions and procedures keyed by their signature, `name(argtype, ...)`.
    pub functions: BTreeMap<String, Function>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Schema {
    pub fn new(name: &str) -> Self {
        Schema { name: name.to_string(), ..Default::default() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub name: String,
    /// The schema the extension's objects live in.
    pub schema: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Table {
    pub name: QualifiedName,
    /// Columns in their declared order.
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints (PostgreSQL keeps them apart from plain unique indexes), by name.
    pub uniques: NameMap<UniqueConstraint>,
    pub foreign_keys: NameMap<ForeignKey>,
    pub checks: NameMap<Check>,
    /// PostgreSQL exclusion constraints, by name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub exclusions: NameMap<Exclusion>,
    /// Indexes that do not back a constraint, by name.
    pub indexes: NameMap<Index>,
    pub triggers: NameMap<Trigger>,
    /// PostgreSQL row-level security policies, by name.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub policies: NameMap<Policy>,
    /// PostgreSQL storage parameters (`WITH (fillfactor = 70)`).
    #[serde(default, skip_serializing_if = "StorageParameters::is_empty")]
    pub storage: StorageParameters,
    /// PostgreSQL `ENABLE` / `FORCE ROW LEVEL SECURITY`.
    #[serde(default, skip_serializing_if = "RowSecurity::is_off")]
    pub row_security: RowSecurity,
    /// PostgreSQL: what logical replication records of an updated or deleted row to identify it.
    #[serde(default, skip_serializing_if = "ReplicaIdentity::is_default")]
    pub replica_identity: ReplicaIdentity,
    /// PostgreSQL `UNLOGGED`: not written to the WAL, emptied after a crash, not replicated.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unlogged: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// MySQL's engine and default collation; `None` in other dialects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<mysql::TableOptions>,
    #[serde(default, skip_serializing_if = "NotNullNames::is_empty")]
    pub not_null_names: NotNullNames,
    /// PostgreSQL: how a partitioned table splits its rows, as `pg_get_partkeydef` prints it (`RANGE
    /// (created_at)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// PostgreSQL: the table is a partition of another. Its columns, and the constraints, indexes and
    /// triggers it inherits, belong to the parent: the model holds only what the partition declares itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// SQLite: a virtual table (`CREATE VIRTUAL TABLE ... USING module(args)`). Its columns, if any, are
    /// the module's to declare: the model holds none, and the module and arguments are compared instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_table: Option<sqlite::VirtualTable>,
    /// SQLite: `STRICT` and `WITHOUT ROWID`.
    #[serde(default, skip_serializing_if = "sqlite::TableOptions::is_plain")]
    pub sqlite: sqlite::TableOptions,
}

/// PostgreSQL `REPLICA IDENTITY`: the primary key's columns (`DEFAULT`), every column (`FULL`), none
/// (`NOTHING`), or the columns of a unique index of the table (`USING INDEX`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReplicaIdentity {
    #[default]
    Default,
    Full,
    Nothing,
    Index(String),
}

impl ReplicaIdentity {
    pub fn is_default(&self) -> bool {
        *self == ReplicaIdentity::Default
    }
}

/// Whether a table's policies apply: `enabled` for everyone but the table's owner (and superusers), `forced`
/// for its owner too (`relrowsecurity`, `relforcerowsecurity`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RowSecurity {
    pub enabled: bool,
    pub forced: bool,
}

impl RowSecurity {
    pub fn is_off(&self) -> bool {
        !self.enabled && !self.forced
    }
}

/// A row-level security policy (`pg_policy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: String,
    /// `AS PERMISSIVE` (the default; any permissive policy admits a row) or `RESTRICTIVE` (every one must).
    pub permissive: bool,
    pub command: PolicyCommand,
    /// The roles it applies to, sorted; `public` for everyone.
    pub roles: Vec<String>,
    /// `USING (...)`: which existing rows are visible or affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<Expr>,
    /// `WITH CHECK (...)`: which new rows may be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<Expr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `FOR ALL | SELECT | INSERT | UPDATE | DELETE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

/// The parent of a partition and its bound, as `pg_get_expr(relpartbound)` prints it (`FOR VALUES FROM
/// ('2020-01-01') TO ('2021-01-01')`, `FOR VALUES IN (1, 2)`, `FOR VALUES WITH (modulus 4, remainder 0)`,
/// `DEFAULT`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    pub parent: QualifiedName,
    pub bound: String,
}

/// The columns of a partition key as `pg_get_partkeydef` prints one over columns (`RANGE (a, "B")`).
pub fn partition_key_columns(key: &str) -> Vec<String> {
    let inner = key.split_once('(').map_or("", |(_, rest)| rest.trim_end_matches(')'));
    inner
        .split(", ")
        .map(|column| {
            let column = column.trim();
            match column.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => column.to_string(),
            }
        })
        .collect()
}

impl PartitionOf {
    /// The bound with each quoted literal replaced by what `replace` gives for it (or kept), given the
    /// literal's unquoted text and its position in its value list (the key column it is for; always 0 in
    /// `IN (...)`, whose values are all for the one column).
    pub fn map_bound_literals(&self, mut replace: impl FnMut(usize, &str) -> Option<String>) -> String {
        let list = self.bound.starts_with("FOR VALUES IN");
        let mut out = String::with_capacity(self.bound.len());
        let mut chars = self.bound.chars().peekable();
        let mut position = 0;
        while let Some(c) = chars.next() {
            match c {
                '(' => position = 0,
                ',' if !list => position += 1,
                '\'' => {
                    let mut literal = String::new();
                    while let Some(c) = chars.next() {
                        if c == '\'' {
                            if chars.peek() == Some(&'\'') {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        literal.push(c);
                    }
                    match replace(position, &literal) {
                        Some(form) => out.push_str(&quote_literal(&form)),
                        None => out.push_str(&quote_literal(&literal)),
                    }
                    continue;
                }
                _ => {}
            }
            out.push(c);
        }
        out
    }
}

/// The names of a table's NOT NULL constraints by column, as PostgreSQL 18 and later keep them (older
/// servers and the other dialects name none; the parser leaves them out). They are read from the catalog
/// only so that a rename can carry an implicit name along (`users_username_not_null` →
/// `users_user_name_not_null`), and never compared: the model declares a NOT NULL as a column that is not
/// `nullable`, so two tables are equal whatever these names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NotNullNames(pub BTreeMap<CompactString, String>);

impl NotNullNames {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl PartialEq for NotNullNames {
    fn eq(&self, _: &NotNullNames) -> bool {
        true
    }
}

impl Eq for NotNullNames {}

impl Table {
    pub fn new(name: QualifiedName) -> Self {
        Table { name, ..Default::default() }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Every constraint and index name on this table; PostgreSQL keeps them in one namespace per schema.
    pub fn relation_names(&self) -> impl Iterator<Item = &str> {
        self.primary_key
            .iter()
            .map(|pk| pk.name.as_str())
            .chain(self.uniques.keys().map(String::as_str))
            .chain(self.foreign_keys.keys().map(String::as_str))
            .chain(self.checks.keys().map(String::as_str))
            .chain(self.exclusions.keys().map(String::as_str))
            .chain(self.indexes.keys().map(String::as_str))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Column {
    /// Names and type names are compact strings, held inline up to 24 bytes: a model holds one per column
    /// of every table, and as heap strings they were a tenth of a large plan's memory.
    pub name: CompactString,
    /// The type as the database prints it (PostgreSQL: `format_type`), e.g. `character varying(255)`,
    /// `timestamp(3) with time zone`, `numeric(10,2)`, `integer[]`; user types unqualified in the default schema.
    pub data_type: DataType,
    pub nullable: bool,
    /// Boxed, like `identity` and `generated`, because most columns have none: a column is held once per
    /// column of every table in each model (inline, these three took 150 of its 310 bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Box<Expr>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Box<Identity>>,
    /// Expression of a generated column (stored unless `generated_virtual`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Box<Expr>>,
    /// The generated column is computed when read rather than stored (SQLite's default, `VIRTUAL`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub generated_virtual: bool,
    /// Explicit collation; `None` when the type's default applies. Rare, like the comment: boxed strings
    /// take 16 bytes of every column rather than 24.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Box<str>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// `GENERATED ALWAYS` (true) or `GENERATED BY DEFAULT` (false).
    pub always: bool,
    pub sequence: SequenceOptions,
}

/// Sequence parameters with every default filled in, so that `bigint` with no options equals the catalog's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `smallint`, `integer` or `bigint`.
    pub data_type: CompactString,
    pub start: i64,
    pub increment: i64,
    pub min_value: i64,
    pub max_value: i64,
    pub cache: i64,
    pub cycle: bool,
}

impl SequenceOptions {
    /// PostgreSQL's defaults for a sequence of the given integer type, filled in for unspecified options.
    pub fn postgres_defaults(data_type: &str, increment: i64) -> Self {
        let type_max = match data_type {
            "smallint" => i16::MAX as i64,
            "integer" => i32::MAX as i64,
            _ => i64::MAX,
        };
        let (min_value, max_value) = if increment >= 0 { (1, type_max) } else { (-type_max - 1, -1) };
        SequenceOptions {
            data_type: data_type.into(),
            start: if increment >= 0 { min_value } else { max_value },
            increment,
            min_value,
            max_value,
            cache: 1,
            cycle: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequence {
    pub name: QualifiedName,
    pub options: SequenceOptions,
    /// `(table, column)` when the sequence is owned by a column (serial columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owned_by: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// Objects that take a `COMMENT ON`, compared apart from their comment: a changed comment is a comment
/// change, never a new object.
pub trait Commented: Clone {
    fn comment(&self) -> &Option<String>;

    fn comment_mut(&mut self) -> &mut Option<String>;

    fn without_comment(&self) -> Self {
        let mut copy = self.clone();
        *copy.comment_mut() = None;
        copy
    }
}

macro_rules! commented {
    ($($entry:ty),*) => {
        $(impl Commented for $entry {
            fn comment(&self) -> &Option<String> {
                &self.comment
            }

            fn comment_mut(&mut self) -> &mut Option<String> {
                &mut self.comment
            }
        })*
    };
}
commented!(PrimaryKey, UniqueConstraint, ForeignKey, Check, Exclusion, Index, Trigger, Policy);

/// Constraints, indexes and triggers are kept in [`NameMap`]s (a primary key alone), by their own names.
macro_rules! named {
    ($($entry:ty),*) => {
        $(impl Named for $entry {
            fn name(&self) -> &String {
                &self.name
            }
        })*
    };
}
named!(PrimaryKey, UniqueConstraint, ForeignKey, Check, Exclusion, Index, Trigger, DomainCheck, Policy);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub name: String,
    pub columns: Vec<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UniqueConstraint {
    pub name: String,
    pub columns: Vec<CompactString>,
    /// `NULLS NOT DISTINCT` (PostgreSQL 15+).
    #[serde(default)]
    pub nulls_not_distinct: bool,
    #[serde(default)]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Deferrable {
    #[default]
    NotDeferrable,
    InitiallyImmediate,
    InitiallyDeferred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl ReferentialAction {
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<CompactString>,
    pub ref_table: QualifiedName,
    pub ref_columns: Vec<CompactString>,
    pub on_delete: ReferentialAction,
    pub on_update: ReferentialAction,
    #[serde(default)]
    pub deferrable: Deferrable,
    /// `MATCH FULL`: a key with some columns NULL is refused instead of not checked (`MATCH SIMPLE`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub match_full: bool,
    /// PostgreSQL `NOT VALID`: enforced on new rows, the existing ones not verified yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    pub expr: Expr,
    #[serde(default)]
    pub no_inherit: bool,
    /// PostgreSQL `NOT VALID`, as for foreign keys.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A PostgreSQL exclusion constraint (`EXCLUDE USING gist (room WITH =, during WITH &&)`): no two rows whose
/// keys all compare true under the operators, enforced by an index of its own name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    pub name: String,
    /// The index's access method (`gist`, `btree`, ...).
    pub method: CompactString,
    pub elements: Vec<ExclusionElement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<CompactString>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<Expr>,
    #[serde(default)]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// One key of an exclusion constraint and the operator its values are compared with, named as
/// `pg_get_constraintdef` prints it (`&&`, or `OPERATOR(s.op)` when the search path does not reach it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExclusionElement {
    pub part: IndexPart,
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    /// Access method, e.g. `btree`, `gin`, `gist`, `hash`, `brin`.
    pub method: CompactString,
    pub parts: Vec<IndexPart>,
    /// `INCLUDE` columns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<CompactString>,
    /// Partial index predicate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicate: Option<Expr>,
    #[serde(default)]
    pub nulls_not_distinct: bool,
    /// PostgreSQL storage parameters (`WITH (fillfactor = 70)`), as [`StorageParameters`] keeps them.
    #[serde(default, skip_serializing_if = "StorageParameters::is_empty")]
    pub storage: StorageParameters,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// PostgreSQL storage parameters as `pg_class.reloptions` holds them: `name=value` (names in lower case, values
/// as written, an unquoted word folded), in the order written (which the server keeps and prints), compared
/// in any order.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct StorageParameters(pub Vec<String>);

impl PartialEq for StorageParameters {
    fn eq(&self, other: &Self) -> bool {
        let sorted = |entries: &[String]| {
            let mut entries = entries.to_vec();
            entries.sort();
            entries
        };
        self.0.len() == other.0.len() && sorted(&self.0) == sorted(&other.0)
    }
}

impl Eq for StorageParameters {}

impl StorageParameters {
    pub fn new(entries: Vec<String>) -> Self {
        StorageParameters(entries)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parameter's name of an entry.
    pub fn name_of(entry: &str) -> &str {
        entry.split_once('=').map_or(entry, |(name, _)| name)
    }

    /// `fillfactor=70, autovacuum_enabled=off`, as `WITH (...)` and `SET (...)` take them.
    pub fn list(&self) -> String {
        self.0.join(", ")
    }
}

impl Index {
    /// The key columns when every key is a plain column (only those can back a key or a foreign key).
    pub fn column_keys(&self) -> Option<Vec<CompactString>> {
        self.parts
            .iter()
            .map(|part| match &part.key {
                IndexKey::Column(column) => Some(column.clone()),
                IndexKey::Expression(_) => None,
            })
            .collect()
    }
}

impl IndexPart {
    /// A plain ascending key on a column, with the default ordering, collation and operator class.
    pub fn column(name: impl Into<CompactString>) -> Self {
        IndexPart {
            key: IndexKey::Column(name.into()),
            descending: false,
            nulls_first: None,
            collation: None,
            opclass: None,
        }
    }
}

/// One key of an index: a column or an expression, with its ordering and operator class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    pub key: IndexKey,
    #[serde(default)]
    pub descending: bool,
    /// `NULLS FIRST`/`NULLS LAST` when it differs from the default for the direction
    /// (the default is NULLS LAST ascending, NULLS FIRST descending); `None` is the default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nulls_first: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKey {
    Column(CompactString),
    Expression(Expr),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualifiedName,
    /// The defining query. An explicit column list (`CREATE VIEW v (a, b) AS ...`) is folded into the
    /// select list as aliases, which is how PostgreSQL prints it back.
    pub query: Expr,
    pub materialized: bool,
    /// Indexes on a materialized view.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub indexes: NameMap<Index>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// SQLite's `INSTEAD OF` triggers, the only ones a view takes.
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub triggers: NameMap<Trigger>,
    /// PostgreSQL view options (`security_barrier`, `security_invoker`, `check_option`) or a materialized
    /// view's storage parameters, as `pg_class.reloptions` keeps them.
    #[serde(default, skip_serializing_if = "StorageParameters::is_empty")]
    pub options: StorageParameters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumType {
    pub name: QualifiedName,
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A PostgreSQL domain: a base type with the default, NOT NULL and checks every column of it gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    pub name: QualifiedName,
    /// The base type as `format_type` prints it (modifiers kept; user types relative to the default schema,
    /// as for columns).
    pub data_type: DataType,
    /// Explicit collation; `None` when the base type's applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_null: bool,
    #[serde(default, skip_serializing_if = "NameMap::is_empty")]
    pub checks: NameMap<DomainCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A domain's CHECK constraint; `VALUE` stands for the value checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainCheck {
    pub name: String,
    pub expr: Expr,
    /// `NOT VALID`: enforced for new values, the values already stored never checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_valid: bool,
}

/// A function, procedure or aggregate. Bodies are compared verbatim: PostgreSQL keeps the source text as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: QualifiedName,
    pub kind: FunctionKind,
    /// Arguments in declaration order (IN, OUT, INOUT, VARIADIC).
    pub args: Vec<FunctionArg>,
    /// Return type as `pg_get_function_result` prints it (`trigger`, `integer`, `SETOF t`,
    /// `TABLE(a integer, b text)`: the columns of `RETURNS TABLE` live here, not in `args`); empty for procedures.
    pub returns: String,
    pub language: String,
    /// The source text (`prosrc`); empty for a SQL-standard body.
    pub body: String,
    /// A SQL-standard body (`RETURN expr`, `BEGIN ATOMIC ... END`), which PostgreSQL parses at creation and
    /// keeps as a tree (`prosqlbody`, PostgreSQL 14): compared by its canonical form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_body: Option<Expr>,
    pub volatility: Volatility,
    pub strict: bool,
    pub security_definer: bool,
    #[serde(default)]
    pub leakproof: bool,
    #[serde(default)]
    pub parallel: Parallel,
    /// Planner cost estimate (`COST`) as a float prints: `100` unless given (`1` for C and internal).
    pub cost: String,
    /// Planner row estimate (`ROWS`): `1000` for set-returning functions unless given, `0` for the others.
    pub rows: String,
    /// `SET name = value` clauses as `name=value`, names in lower case (PostgreSQL stores its own case for
    /// known settings: `TimeZone`), list items joined with `, `, values as `proconfig` holds them: unquoted,
    /// except the items of [`Function::quotes_list_items`] settings (`search_path=""`, `search_path=a, "$user"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Function {
    /// The planner's defaults for a routine of this language and return type, filled in for unspecified options.
    pub fn default_cost(language: &str) -> String {
        if matches!(language, "c" | "internal") { "1".into() } else { "100".into() }
    }

    pub fn default_rows(returns: &str) -> String {
        if returns.starts_with("SETOF ") || returns.starts_with("TABLE(") { "1000".into() } else { "0".into() }
    }

    /// Whether PostgreSQL stores the list items of this setting quoted as identifiers where needed
    /// (`GUC_LIST_QUOTE`, among the settings a function can set).
    pub fn quotes_list_items(setting: &str) -> bool {
        matches!(setting, "search_path" | "temp_tablespaces" | "session_preload_libraries" | "local_preload_libraries")
    }

    /// An aggregate, with the routine fields that do not apply to one at the values both parse and inspect give.
    pub fn aggregate(name: QualifiedName, args: Vec<FunctionArg>, aggregate: Aggregate, parallel: Parallel) -> Self {
        Function {
            name,
            kind: FunctionKind::Aggregate(Box::new(aggregate)),
            args,
            returns: String::new(),
            language: String::new(),
            body: String::new(),
            sql_body: None,
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel,
            cost: String::new(),
            rows: String::new(),
            config: Vec::new(),
            comment: None,
        }
    }

    /// The key that identifies a function among its overloads: `name(type, ...)` over input arguments.
    pub fn signature(&self) -> String {
        let types: Vec<&str> =
            self.args.iter().filter(|a| a.mode != ArgMode::Out).map(|a| a.data_type.as_str()).collect();
        format!("{}({})", self.name.name, types.join(", "))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunctionKind {
    Function,
    Procedure,
    /// An aggregate: the routine's language, body, volatility, strictness, security, cost and settings do not
    /// apply and keep the values of [`Function::aggregate`].
    Aggregate(Box<Aggregate>),
}

/// An ordinary aggregate as `pg_aggregate` defines it. Support functions are named as
/// [`Aggregate::support_function`] prints them; types as `format_type` prints them for routines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aggregate {
    pub state_function: String,
    pub state_type: String,
    /// The state's average size in bytes (`SSPACE`); 0 lets the planner estimate it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub state_space: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_function: Option<String>,
    /// `FINALFUNC_EXTRA`: the final function also takes the aggregated arguments (as nulls).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub final_extra: bool,
    #[serde(default)]
    pub final_modify: FinalModify,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combine_function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial_function: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deserial_function: Option<String>,
    /// `INITCOND`: the state's initial value as text; `None` starts from null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_condition: Option<String>,
}

fn is_zero(value: &i32) -> bool {
    *value == 0
}

impl Aggregate {
    /// How the model names a support function: unqualified in the default schema and in `pg_catalog` (which
    /// PostgreSQL searches first), qualified elsewhere; quoted where needed.
    pub fn support_function(schema: &str, name: &str, default_schema: &str) -> String {
        if schema == default_schema || schema == "pg_catalog" {
            quote_ident(name)
        } else {
            QualifiedName::new(schema, name).quoted()
        }
    }

    /// The support functions it names, for ordering it after them.
    pub fn support_functions(&self) -> impl Iterator<Item = &str> {
        std::iter::once(&self.state_function)
            .chain(&self.final_function)
            .chain(&self.combine_function)
            .chain(&self.serial_function)
            .chain(&self.deserial_function)
            .map(String::as_str)
    }
}

/// `FINALFUNC_MODIFY`: whether the final function leaves the state as it found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FinalModify {
    #[default]
    ReadOnly,
    Shareable,
    ReadWrite,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionArg {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub data_type: String,
    pub mode: ArgMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Expr>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgMode {
    In,
    Out,
    InOut,
    Variadic,
}

/// `PARALLEL UNSAFE | RESTRICTED | SAFE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Parallel {
    #[default]
    Unsafe,
    Restricted,
    Safe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    Immutable,
    Stable,
    #[default]
    Volatile,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: String,
    pub timing: TriggerTiming,
    /// Events in canonical order: INSERT, UPDATE (with `OF` columns), DELETE, TRUNCATE.
    pub events: Vec<TriggerEvent>,
    pub for_each_row: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Expr>,
    /// Flattened, so a PostgreSQL trigger serializes as it did before SQLite's had bodies (`function`,
    /// `args`): the hash of a desired schema stays what it was.
    #[serde(flatten)]
    pub action: TriggerAction,
    /// PostgreSQL `CREATE CONSTRAINT TRIGGER`: its firing can be deferred to the end of the transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<ConstraintTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// What makes a trigger a constraint trigger: its deferrability and the table its constraint refers to
/// (`FROM`), if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConstraintTrigger {
    #[serde(default)]
    pub deferrable: Deferrable,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<QualifiedName>,
}

/// What a trigger runs when it fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TriggerAction {
    /// PostgreSQL: `EXECUTE FUNCTION function(args)`.
    Function {
        function: QualifiedName,
        /// Literal arguments passed to the trigger function.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        args: Vec<String>,
    },
    /// SQLite: the statements between `BEGIN` and `END`, as written (`sql`, what the plan runs) and compared
    /// by their canonical form (sqlparser's printing, each statement ended by `;`), so layout and comments
    /// never make a plan.
    Body { body: Expr },
}

impl Trigger {
    /// The function a PostgreSQL trigger calls; `None` for a trigger with a body of its own.
    pub fn function(&self) -> Option<&QualifiedName> {
        match &self.action {
            TriggerAction::Function { function, .. } => Some(function),
            TriggerAction::Body { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerEvent {
    Insert,
    Update { columns: Vec<CompactString> },
    Delete,
    Truncate,
}

#[cfg(test)]
mod partition_tests {
    use super::{PartitionOf, QualifiedName, partition_key_columns};

    #[test]
    fn key_columns_are_unquoted() {
        assert_eq!(partition_key_columns("RANGE (a, \"Odd \"\"x\"\"\")"), ["a", "Odd \"x\""]);
        assert_eq!(partition_key_columns("HASH (id)"), ["id"]);
    }

    #[test]
    fn bound_literals_are_mapped_by_their_key_position() {
        let of = |bound: &str| PartitionOf { parent: QualifiedName::new("public", "t"), bound: bound.into() };
        let mut seen = Vec::new();
        let mapped = of("FOR VALUES FROM ('a,b', MINVALUE) TO ('it''s', 'x')").map_bound_literals(|position, text| {
            seen.push((position, text.to_string()));
            (text == "x").then(|| "y".to_string())
        });
        assert_eq!(mapped, "FOR VALUES FROM ('a,b', MINVALUE) TO ('it''s', 'y')");
        assert_eq!(seen, [(0, "a,b".into()), (0, "it's".into()), (1, "x".into())]);
        let list: Vec<usize> = {
            let mut positions = Vec::new();
            of("FOR VALUES IN ('a', 'b')").map_bound_literals(|position, _| {
                positions.push(position);
                None
            });
            positions
        };
        assert_eq!(list, [0, 0]);
    }
}

#[cfg(test)]
mod trigger_tests {
    use crate::builders::{expr, trigger};
    use crate::{Trigger, TriggerAction};

    #[test]
    fn a_function_trigger_serializes_as_before_bodies_existed() {
        let json = serde_json::to_value(trigger("t_trg", "app.f")).unwrap();
        assert_eq!(json["function"]["name"], "f", "flattened, not under `action`");
        assert!(json.get("action").is_none() && json.get("args").is_none(), "{json}");
        let body = Trigger { action: TriggerAction::Body { body: expr("SELECT 1;") }, ..trigger("t_trg", "app.f") };
        for trigger in [trigger("t_trg", "app.f"), body] {
            let read: Trigger = serde_json::from_value(serde_json::to_value(&trigger).unwrap()).unwrap();
            assert_eq!(read, trigger);
        }
    }
}
