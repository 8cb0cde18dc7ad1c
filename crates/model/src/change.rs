use crate::sqlite::HeaderValue;
use crate::{
    ArgMode, Check, Column, CompactString, DataType, Domain, DomainCheck, EnumType, Exclusion, Expr, Extension,
    ForeignKey, Function, FunctionKind, Identity, Index, PartitionOf, Policy, PrimaryKey, QualifiedName,
    ReplicaIdentity, RowSecurity, Sequence, SequenceOptions, StorageParameters, Table, Trigger, UniqueConstraint, View,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One typed change from the current schema towards the desired one. The diff emits them in an order that
/// respects dependencies; the plan renders each into statements; lint analyzers inspect them (never SQL text).
///
/// Comments: a change that creates an object carries the object's comment (and, for tables, its columns'
/// comments) and the plan renders the `COMMENT ON` with it; `SetComment` is only for objects that already exist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    CreateSchema {
        name: String,
        comment: Option<String>,
    },
    DropSchema {
        name: String,
    },
    CreateExtension {
        extension: Extension,
    },
    DropExtension {
        name: String,
    },
    /// `ALTER EXTENSION ... SET SCHEMA`: moving is cheaper and safer than dropping what uses the extension.
    SetExtensionSchema {
        name: String,
        schema: String,
    },

    CreateEnum {
        enum_type: EnumType,
    },
    DropEnum {
        name: QualifiedName,
    },
    /// Append or insert a label; `before` names the existing label it goes in front of (None: at the end).
    AddEnumValue {
        name: QualifiedName,
        value: String,
        before: Option<String>,
    },
    /// Labels were removed or reordered while columns use the type, which PostgreSQL cannot alter in place:
    /// rename the old type to `old_name` (same schema), create the new one, and convert every column in
    /// `columns` through `text` (failing, and so rolling back, when a row holds a removed label). The old type
    /// is dropped by a later `DropEnum` once the columns and tables being dropped no longer use it.
    RecreateEnum {
        from: EnumType,
        to: EnumType,
        old_name: String,
        columns: Vec<EnumColumn>,
    },
    /// `ALTER TYPE ... RENAME TO`, asked for by a hint (columns of the type keep it).
    RenameEnum {
        from: QualifiedName,
        to: String,
    },
    /// `ALTER TYPE ... RENAME VALUE`, asked for by a hint: rows holding the label hold the new one.
    RenameEnumValue {
        name: QualifiedName,
        from: String,
        to: String,
    },

    /// A new domain with its default, NOT NULL and checks; a `NOT VALID` check is added after it, as only
    /// `ALTER DOMAIN` takes one.
    CreateDomain {
        domain: Domain,
    },
    DropDomain {
        name: QualifiedName,
    },
    /// `ALTER DOMAIN ... SET DEFAULT`, or `DROP DEFAULT` for `None`.
    SetDomainDefault {
        name: QualifiedName,
        default: Option<Expr>,
    },
    /// `ALTER DOMAIN ... SET NOT NULL` (which checks every column of the domain) or `DROP NOT NULL`.
    SetDomainNotNull {
        name: QualifiedName,
        not_null: bool,
    },
    /// `ALTER DOMAIN ... ADD CONSTRAINT ... CHECK`, which checks every stored value unless `NOT VALID`.
    AddDomainCheck {
        name: QualifiedName,
        check: DomainCheck,
    },
    DropDomainCheck {
        name: QualifiedName,
        check: String,
    },
    /// `ALTER DOMAIN ... VALIDATE CONSTRAINT`: a `NOT VALID` check becomes valid once the stored values pass.
    ValidateDomainCheck {
        name: QualifiedName,
        check: String,
    },
    /// The base type or collation of a domain that columns use changes. PostgreSQL has no statement for it
    /// and dropping the domain would take the columns with it, so every planner refuses the change and the
    /// plan is never applied half done.
    RetypeDomain {
        from: Domain,
        to: Domain,
    },

    /// A new sequence, never with its owner: `OWNED BY` needs the column, so a `SetSequenceOwner` follows.
    CreateSequence {
        sequence: Sequence,
    },
    DropSequence {
        name: QualifiedName,
    },
    AlterSequence {
        name: QualifiedName,
        from: SequenceOptions,
        to: SequenceOptions,
    },
    /// `ALTER SEQUENCE ... OWNED BY` (after the owning column exists).
    SetSequenceOwner {
        name: QualifiedName,
        owned_by: Option<(String, String)>,
    },

    /// A new table with its columns, primary key, unique and check constraints. Foreign keys, indexes and
    /// triggers come as their own changes so they can be ordered after the tables they need.
    CreateTable {
        table: Table,
    },
    DropTable {
        name: QualifiedName,
    },
    RenameTable {
        from: QualifiedName,
        to: String,
    },
    /// PostgreSQL: an existing table becomes a partition (`ALTER TABLE parent ATTACH PARTITION`).
    AttachPartition {
        table: QualifiedName,
        partition_of: PartitionOf,
    },
    /// PostgreSQL: a partition becomes a table of its own, keeping its rows (`DETACH PARTITION`).
    DetachPartition {
        table: QualifiedName,
        parent: QualifiedName,
    },
    /// PostgreSQL: a table's partition key changes, or a table becomes (or stops being) partitioned. No
    /// statement does it in place and the rows would have to move, so every planner refuses the change
    /// before anything runs.
    ChangePartitionKey {
        table: QualifiedName,
        from: Option<String>,
        to: Option<String>,
    },

    AddColumn {
        table: QualifiedName,
        column: Column,
    },
    DropColumn {
        table: QualifiedName,
        column: String,
    },
    RenameColumn {
        table: QualifiedName,
        from: String,
        to: String,
    },
    AlterColumn {
        table: QualifiedName,
        from: Column,
        to: Column,
        changes: Vec<ColumnChange>,
    },

    /// `ALTER TABLE ... RENAME CONSTRAINT` (a key's index is renamed with it). Planned only to follow a
    /// hinted table or column rename: PostgreSQL leaves the constraint under its old name
    /// (`user_accounts_pkey`) while the desired SQL implies a new one (`users_pkey`) for the same definition;
    /// renaming beats dropping and building it again.
    RenameConstraint {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// `ALTER INDEX ... RENAME TO` for an index of `table`, likewise, or asked for by a hint on the index.
    RenameIndex {
        table: QualifiedName,
        from: String,
        to: String,
    },
    /// `ALTER SEQUENCE ... RENAME TO` for a serial column's sequence, likewise (it keeps its position).
    RenameSequence {
        from: QualifiedName,
        to: String,
    },

    AddPrimaryKey {
        table: QualifiedName,
        key: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualifiedName,
        name: String,
    },
    AddUnique {
        table: QualifiedName,
        unique: UniqueConstraint,
    },
    DropUnique {
        table: QualifiedName,
        name: String,
    },
    AddForeignKey {
        table: QualifiedName,
        foreign_key: ForeignKey,
    },
    DropForeignKey {
        table: QualifiedName,
        name: String,
    },
    AddCheck {
        table: QualifiedName,
        check: Check,
    },
    DropCheck {
        table: QualifiedName,
        name: String,
    },
    /// `ALTER TABLE ... VALIDATE CONSTRAINT` of a `NOT VALID` check or foreign key.
    ValidateConstraint {
        table: QualifiedName,
        name: String,
    },
    AddExclusion {
        table: QualifiedName,
        exclusion: Exclusion,
    },
    DropExclusion {
        table: QualifiedName,
        name: String,
    },

    /// An index on a table or a materialized view (`table` names either).
    CreateIndex {
        table: QualifiedName,
        index: Index,
    },
    DropIndex {
        table: QualifiedName,
        name: String,
    },

    CreateView {
        view: View,
    },
    DropView {
        name: QualifiedName,
        materialized: bool,
    },

    CreateFunction {
        function: Function,
    },
    /// `CREATE OR REPLACE` with the same signature and return type.
    ReplaceFunction {
        from: Function,
        to: Function,
    },
    DropFunction {
        function: Function,
    },

    CreateTrigger {
        table: QualifiedName,
        trigger: Trigger,
    },
    DropTrigger {
        table: QualifiedName,
        name: String,
    },

    CreatePolicy {
        table: QualifiedName,
        policy: Policy,
    },
    DropPolicy {
        table: QualifiedName,
        name: String,
    },
    /// `ALTER TABLE ... SET (...)` of the parameters that are new or changed, `RESET (...)` of those gone.
    SetStorageParameters {
        table: QualifiedName,
        from: StorageParameters,
        to: StorageParameters,
    },
    /// SQLite `STRICT` / `WITHOUT ROWID` changed: the table is rebuilt with the new options.
    SetSqliteTableOptions {
        table: QualifiedName,
        from: crate::sqlite::TableOptions,
        to: crate::sqlite::TableOptions,
    },
    /// `ALTER TABLE ... REPLICA IDENTITY ...`, once the index it names exists.
    SetReplicaIdentity {
        table: QualifiedName,
        to: ReplicaIdentity,
    },
    /// `ALTER TABLE ... SET UNLOGGED` / `SET LOGGED` (PostgreSQL rewrites the table).
    SetUnlogged {
        table: QualifiedName,
        unlogged: bool,
    },
    /// `ENABLE`/`DISABLE` and `FORCE`/`NO FORCE ROW LEVEL SECURITY`.
    SetRowSecurity {
        table: QualifiedName,
        from: RowSecurity,
        to: RowSecurity,
    },

    SetComment {
        target: CommentTarget,
        comment: Option<String>,
    },

    /// SQLite: `PRAGMA application_id = N` or `PRAGMA user_version = N`.
    SetHeaderValue {
        header: HeaderValue,
        value: i64,
    },
}

/// A column converted by `RecreateEnum`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumColumn {
    pub table: QualifiedName,
    pub column: CompactString,
    /// The column's type: the enum or an array of it.
    pub data_type: DataType,
    /// Whether the column has a default now: it is bound to the old type, so it is dropped before the
    /// conversion.
    pub has_default: bool,
    /// The desired default, set after the conversion.
    pub default: Option<Expr>,
}

/// What about a column changes, in the order the plan applies them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnChange {
    /// New type, with the target column's collation. `explicit_cast` asks for `USING column::type` because
    /// no assignment cast between the two types is likely to exist (e.g. `text` to `integer`).
    Type {
        from: DataType,
        to: DataType,
        explicit_cast: bool,
    },
    /// A new collation for an unchanged type (a type change carries the collation itself).
    Collation {
        from: Option<String>,
        to: Option<String>,
    },
    SetNotNull,
    DropNotNull,
    SetDefault {
        default: Expr,
    },
    DropDefault,
    AddIdentity {
        identity: Identity,
    },
    DropIdentity,
    AlterIdentity {
        from: Identity,
        to: Identity,
    },
    /// The column stops being generated and keeps its values (`DROP EXPRESSION`). A new or changed generation
    /// expression cannot be set in place before PostgreSQL 17, so the diff drops and re-adds such a column.
    DropGenerated,
}

/// An object a comment hangs on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum CommentTarget {
    Schema {
        name: String,
    },
    Table {
        name: QualifiedName,
    },
    Column {
        table: QualifiedName,
        column: String,
    },
    View {
        name: QualifiedName,
        materialized: bool,
    },
    Index {
        schema: String,
        name: String,
    },
    Sequence {
        name: QualifiedName,
    },
    Type {
        name: QualifiedName,
    },
    /// A function, procedure or aggregate, identified by its input argument types.
    Function {
        name: QualifiedName,
        kind: FunctionKind,
        arg_types: Vec<String>,
    },
    Policy {
        table: QualifiedName,
        name: String,
    },
    /// A table's constraint (primary key, unique, foreign key, check or exclusion).
    Constraint {
        table: QualifiedName,
        name: String,
    },
    Trigger {
        table: QualifiedName,
        name: String,
    },
}

impl CommentTarget {
    /// The target for a function or procedure: its name and input argument types (output arguments are not
    /// part of the signature that identifies it).
    pub fn function(function: &Function) -> Self {
        CommentTarget::Function {
            name: function.name.clone(),
            kind: function.kind.clone(),
            arg_types: function
                .args
                .iter()
                .filter(|arg| arg.mode != ArgMode::Out)
                .map(|arg| arg.data_type.clone())
                .collect(),
        }
    }
}

impl Change {
    /// The change kind as its JSON `kind` tag (`add_column`, `drop_table`, ...), stable for output and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::CreateSchema { .. } => "create_schema",
            Change::DropSchema { .. } => "drop_schema",
            Change::CreateExtension { .. } => "create_extension",
            Change::DropExtension { .. } => "drop_extension",
            Change::SetExtensionSchema { .. } => "set_extension_schema",
            Change::CreateEnum { .. } => "create_enum",
            Change::DropEnum { .. } => "drop_enum",
            Change::AddEnumValue { .. } => "add_enum_value",
            Change::RecreateEnum { .. } => "recreate_enum",
            Change::RenameEnum { .. } => "rename_enum",
            Change::RenameEnumValue { .. } => "rename_enum_value",
            Change::CreateDomain { .. } => "create_domain",
            Change::DropDomain { .. } => "drop_domain",
            Change::SetDomainDefault { .. } => "set_domain_default",
            Change::SetDomainNotNull { .. } => "set_domain_not_null",
            Change::AddDomainCheck { .. } => "add_domain_check",
            Change::DropDomainCheck { .. } => "drop_domain_check",
            Change::ValidateDomainCheck { .. } => "validate_domain_check",
            Change::RetypeDomain { .. } => "retype_domain",
            Change::CreateSequence { .. } => "create_sequence",
            Change::DropSequence { .. } => "drop_sequence",
            Change::AlterSequence { .. } => "alter_sequence",
            Change::SetSequenceOwner { .. } => "set_sequence_owner",
            Change::CreateTable { .. } => "create_table",
            Change::DropTable { .. } => "drop_table",
            Change::RenameTable { .. } => "rename_table",
            Change::AttachPartition { .. } => "attach_partition",
            Change::DetachPartition { .. } => "detach_partition",
            Change::ChangePartitionKey { .. } => "change_partition_key",
            Change::AddColumn { .. } => "add_column",
            Change::DropColumn { .. } => "drop_column",
            Change::RenameColumn { .. } => "rename_column",
            Change::AlterColumn { .. } => "alter_column",
            Change::RenameConstraint { .. } => "rename_constraint",
            Change::RenameIndex { .. } => "rename_index",
            Change::RenameSequence { .. } => "rename_sequence",
            Change::AddPrimaryKey { .. } => "add_primary_key",
            Change::DropPrimaryKey { .. } => "drop_primary_key",
            Change::AddUnique { .. } => "add_unique",
            Change::DropUnique { .. } => "drop_unique",
            Change::AddForeignKey { .. } => "add_foreign_key",
            Change::DropForeignKey { .. } => "drop_foreign_key",
            Change::AddCheck { .. } => "add_check",
            Change::DropCheck { .. } => "drop_check",
            Change::ValidateConstraint { .. } => "validate_constraint",
            Change::AddExclusion { .. } => "add_exclusion",
            Change::DropExclusion { .. } => "drop_exclusion",
            Change::CreateIndex { .. } => "create_index",
            Change::DropIndex { .. } => "drop_index",
            Change::CreateView { .. } => "create_view",
            Change::DropView { .. } => "drop_view",
            Change::CreateFunction { .. } => "create_function",
            Change::ReplaceFunction { .. } => "replace_function",
            Change::DropFunction { .. } => "drop_function",
            Change::CreateTrigger { .. } => "create_trigger",
            Change::DropTrigger { .. } => "drop_trigger",
            Change::CreatePolicy { .. } => "create_policy",
            Change::DropPolicy { .. } => "drop_policy",
            Change::SetRowSecurity { .. } => "set_row_security",
            Change::SetStorageParameters { .. } => "set_storage_parameters",
            Change::SetUnlogged { .. } => "set_unlogged",
            Change::SetReplicaIdentity { .. } => "set_replica_identity",
            Change::SetSqliteTableOptions { .. } => "set_sqlite_table_options",
            Change::SetComment { .. } => "set_comment",
            Change::SetHeaderValue { .. } => "set_header_value",
        }
    }

    /// True for changes that lose data: dropping a schema, a table or a column.
    pub fn is_destructive(&self) -> bool {
        matches!(self, Change::DropSchema { .. } | Change::DropTable { .. } | Change::DropColumn { .. })
    }

    /// The table (or materialized view) a change alters, for changes that alter one that exists or is
    /// created in the same plan; `None` for changes of other objects and for whole-table changes.
    pub fn altered_table(&self) -> Option<&QualifiedName> {
        match self {
            Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::RenameColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::RenameConstraint { table, .. }
            | Change::RenameIndex { table, .. }
            | Change::AddPrimaryKey { table, .. }
            | Change::DropPrimaryKey { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. }
            | Change::ValidateConstraint { table, .. }
            | Change::AddExclusion { table, .. }
            | Change::DropExclusion { table, .. }
            | Change::CreateIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::CreateTrigger { table, .. }
            | Change::DropTrigger { table, .. }
            | Change::CreatePolicy { table, .. }
            | Change::DropPolicy { table, .. }
            | Change::SetRowSecurity { table, .. }
            | Change::SetStorageParameters { table, .. }
            | Change::SetUnlogged { table, .. }
            | Change::SetReplicaIdentity { table, .. }
            | Change::SetSqliteTableOptions { table, .. } => Some(table),
            Change::SetComment { target: CommentTarget::Table { name }, .. } => Some(name),
            Change::SetComment { target: CommentTarget::Column { table, .. }, .. } => Some(table),
            _ => None,
        }
    }
}

/// Tables and materialized views that a list of changes creates. Locks on them harm nobody (nothing else can
/// use them yet), so online forms and lock-hazard findings concern only the relations outside this set.
pub fn relations_created(changes: &[Change]) -> BTreeSet<QualifiedName> {
    changes
        .iter()
        .filter_map(|change| match change {
            Change::CreateTable { table } => Some(table.name.clone()),
            Change::CreateView { view } if view.materialized => Some(view.name.clone()),
            _ => None,
        })
        .collect()
}

/// How the PostgreSQL plan takes locks on tables that already exist (`policy.diff`). The plan renders these
/// forms and the lock-hazard analyzers stay quiet about what they avoid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OnlineOptions {
    /// `CREATE INDEX CONCURRENTLY`, and unique and primary keys attached to a concurrently built index
    /// (`policy.diff.concurrent_index.create`).
    pub concurrent_create: bool,
    /// `DROP INDEX CONCURRENTLY` (`policy.diff.concurrent_index.drop`).
    pub concurrent_drop: bool,
    /// Foreign keys and checks added `NOT VALID` and validated in a transaction of their own; `SET NOT NULL`
    /// proven by such a check first (`policy.diff.online_constraints`).
    pub validate_separately: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_drops_of_schemas_tables_and_columns_are_destructive() {
        let table = QualifiedName::new("public", "t");
        assert!(Change::DropTable { name: table.clone() }.is_destructive());
        assert!(Change::DropColumn { table: table.clone(), column: "c".into() }.is_destructive());
        assert!(Change::DropSchema { name: "s".into() }.is_destructive());
        assert!(!Change::DropIndex { table: table.clone(), name: "i".into() }.is_destructive());
        let column = crate::builders::column("c", "text");
        let alter =
            Change::AlterColumn { table, from: column.clone(), to: column, changes: vec![ColumnChange::DropDefault] };
        assert!(!alter.is_destructive());
        assert_eq!(alter.kind(), "alter_column");
        let json = serde_json::to_value(&alter).unwrap();
        assert_eq!(json["kind"], alter.kind(), "kind() is the JSON tag");
    }
}
