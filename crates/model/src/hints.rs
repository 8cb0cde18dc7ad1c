//! What comments in the desired SQL say beyond the schema itself: rename hints (`-- driftless:renamed
//! from=old`) and lint suppressions (`-- driftless:nolint CODE`). The parser collects them; the diff turns
//! renames into rename changes, lint marks the findings a suppression covers. They are not part of the
//! schema tree: the live side has none, and two models are compared without them.

use crate::{Change, CommentTarget, QualifiedName};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hints {
    pub renames: Vec<RenameHint>,
    pub suppressions: Vec<Suppression>,
}

/// `-- driftless:renamed from=old` (or sqldef's `-- @renamed from=old`) on a table, a column, an index, an
/// enum type or an enum label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenameHint {
    /// The table `name` was called `from` (in the same schema).
    Table { name: QualifiedName, from: String, line: usize },
    /// The column `name` of `table` (the table's desired name) was called `from`.
    Column { table: QualifiedName, name: String, from: String, line: usize },
    /// The index `name` of `table` (the table's desired name) was called `from`.
    Index { table: QualifiedName, name: String, from: String, line: usize },
    /// The enum type `name` was called `from` (in the same schema).
    Type { name: QualifiedName, from: String, line: usize },
    /// The label `name` of the enum type `enum_type` (its desired name) was `from`.
    Label { enum_type: QualifiedName, name: String, from: String, line: usize },
}

impl RenameHint {
    /// The line of the comment that holds the hint (1-based).
    pub fn line(&self) -> usize {
        match self {
            RenameHint::Table { line, .. }
            | RenameHint::Column { line, .. }
            | RenameHint::Index { line, .. }
            | RenameHint::Type { line, .. }
            | RenameHint::Label { line, .. } => *line,
        }
    }
}

/// `-- driftless:nolint [CODE...]` on the statement (or column definition) that declared `object`: findings
/// about that object, or about anything inside it, with one of `codes` are suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub object: ObjectRef,
    /// The codes suppressed; `None` for every code (`-- driftless:nolint` alone).
    pub codes: Option<BTreeSet<String>>,
    /// The line of the comment (1-based).
    pub line: usize,
}

impl Suppression {
    /// True when this suppression covers a finding with `code` about `object`: the object itself or
    /// something inside it (a column inside its table, a table inside its schema).
    pub fn covers(&self, code: &str, object: &ObjectRef) -> bool {
        let code_matches = self.codes.as_ref().is_none_or(|codes| codes.contains(code));
        code_matches && std::iter::successors(Some(object.clone()), ObjectRef::enclosing).any(|o| o == self.object)
    }
}

/// An object of a schema, as far as suppressions need to tell objects apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectRef {
    Schema(String),
    Extension(String),
    /// A table, a view or a materialized view (one namespace in PostgreSQL).
    Relation(QualifiedName),
    Column(QualifiedName, String),
    /// A primary key, unique, foreign key or check constraint of a table.
    Constraint(QualifiedName, String),
    /// An index of a table or materialized view.
    Index(QualifiedName, String),
    Trigger(QualifiedName, String),
    /// A row-level security policy of a table.
    Policy(QualifiedName, String),
    Sequence(QualifiedName),
    Type(QualifiedName),
    /// A function or procedure by its schema and signature (`name(argtype, ...)`).
    Function(String, String),
}

impl ObjectRef {
    /// The object this one lives in: its relation for a column, constraint, index or trigger, its schema for
    /// a relation, sequence, type or function; `None` for schemas and extensions.
    pub fn enclosing(&self) -> Option<ObjectRef> {
        match self {
            ObjectRef::Schema(_) | ObjectRef::Extension(_) => None,
            ObjectRef::Relation(name) | ObjectRef::Sequence(name) | ObjectRef::Type(name) => {
                Some(ObjectRef::Schema(name.schema.clone()))
            }
            ObjectRef::Column(table, _)
            | ObjectRef::Constraint(table, _)
            | ObjectRef::Index(table, _)
            | ObjectRef::Trigger(table, _)
            | ObjectRef::Policy(table, _) => Some(ObjectRef::Relation(table.clone())),
            ObjectRef::Function(schema, _) => Some(ObjectRef::Schema(schema.clone())),
        }
    }
}

impl Change {
    /// The object a change is about, for suppressions. A rename is about the object's new name (the name
    /// the desired SQL declares).
    pub fn object(&self) -> ObjectRef {
        let function = |f: &crate::Function| ObjectRef::Function(f.name.schema.clone(), f.signature());
        match self {
            Change::CreateSchema { name, .. } | Change::DropSchema { name } => ObjectRef::Schema(name.clone()),
            Change::CreateExtension { extension } => ObjectRef::Extension(extension.name.clone()),
            Change::DropExtension { name } | Change::SetExtensionSchema { name, .. } => {
                ObjectRef::Extension(name.clone())
            }
            Change::CreateEnum { enum_type } => ObjectRef::Type(enum_type.name.clone()),
            Change::RecreateEnum { to, .. } => ObjectRef::Type(to.name.clone()),
            Change::DropEnum { name } | Change::AddEnumValue { name, .. } | Change::RenameEnumValue { name, .. } => {
                ObjectRef::Type(name.clone())
            }
            Change::RenameEnum { from, to } => ObjectRef::Type(QualifiedName::new(from.schema.clone(), to.clone())),
            Change::CreateDomain { domain } => ObjectRef::Type(domain.name.clone()),
            Change::RetypeDomain { to, .. } => ObjectRef::Type(to.name.clone()),
            Change::DropDomain { name }
            | Change::SetDomainDefault { name, .. }
            | Change::SetDomainNotNull { name, .. }
            | Change::AddDomainCheck { name, .. }
            | Change::DropDomainCheck { name, .. }
            | Change::ValidateDomainCheck { name, .. } => ObjectRef::Type(name.clone()),
            Change::CreateSequence { sequence } => ObjectRef::Sequence(sequence.name.clone()),
            Change::DropSequence { name }
            | Change::AlterSequence { name, .. }
            | Change::SetSequenceOwner { name, .. } => ObjectRef::Sequence(name.clone()),
            Change::CreateTable { table } => ObjectRef::Relation(table.name.clone()),
            Change::DropTable { name } | Change::DropView { name, .. } => ObjectRef::Relation(name.clone()),
            Change::AttachPartition { table, .. }
            | Change::DetachPartition { table, .. }
            | Change::ChangePartitionKey { table, .. } => ObjectRef::Relation(table.clone()),
            Change::RenameTable { from, to } => {
                ObjectRef::Relation(QualifiedName::new(from.schema.clone(), to.clone()))
            }
            Change::CreateView { view } => ObjectRef::Relation(view.name.clone()),
            Change::AddColumn { table, column } => ObjectRef::Column(table.clone(), column.name.to_string()),
            Change::DropColumn { table, column } => ObjectRef::Column(table.clone(), column.clone()),
            Change::RenameColumn { table, to, .. } => ObjectRef::Column(table.clone(), to.clone()),
            Change::AlterColumn { table, to, .. } => ObjectRef::Column(table.clone(), to.name.to_string()),
            Change::RenameConstraint { table, to, .. } => ObjectRef::Constraint(table.clone(), to.clone()),
            Change::RenameIndex { table, to, .. } => ObjectRef::Index(table.clone(), to.clone()),
            Change::RenameSequence { from, to } => {
                ObjectRef::Sequence(QualifiedName::new(from.schema.clone(), to.clone()))
            }
            Change::AddPrimaryKey { table, key } => ObjectRef::Constraint(table.clone(), key.name.clone()),
            Change::AddUnique { table, unique } => ObjectRef::Constraint(table.clone(), unique.name.clone()),
            Change::AddForeignKey { table, foreign_key } => {
                ObjectRef::Constraint(table.clone(), foreign_key.name.clone())
            }
            Change::AddCheck { table, check } => ObjectRef::Constraint(table.clone(), check.name.clone()),
            Change::AddExclusion { table, exclusion } => ObjectRef::Constraint(table.clone(), exclusion.name.clone()),
            Change::DropPrimaryKey { table, name }
            | Change::DropUnique { table, name }
            | Change::DropForeignKey { table, name }
            | Change::DropCheck { table, name }
            | Change::DropExclusion { table, name }
            | Change::ValidateConstraint { table, name } => ObjectRef::Constraint(table.clone(), name.clone()),
            Change::CreateIndex { table, index } => ObjectRef::Index(table.clone(), index.name.clone()),
            Change::DropIndex { table, name } => ObjectRef::Index(table.clone(), name.clone()),
            Change::CreateFunction { function: f } | Change::DropFunction { function: f } => function(f),
            Change::ReplaceFunction { to, .. } => function(to),
            Change::CreateTrigger { table, trigger } => ObjectRef::Trigger(table.clone(), trigger.name.clone()),
            Change::DropTrigger { table, name } => ObjectRef::Trigger(table.clone(), name.clone()),
            Change::CreatePolicy { table, policy } => ObjectRef::Policy(table.clone(), policy.name.clone()),
            Change::DropPolicy { table, name } => ObjectRef::Policy(table.clone(), name.clone()),
            Change::SetRowSecurity { table, .. }
            | Change::SetStorageParameters { table, .. }
            | Change::SetUnlogged { table, .. }
            | Change::SetReplicaIdentity { table, .. }
            | Change::SetSqliteTableOptions { table, .. } => ObjectRef::Relation(table.clone()),
            // SQLite's one schema holds the whole database, header included
            Change::SetHeaderValue { .. } => ObjectRef::Schema(crate::Dialect::Sqlite.default_schema().into()),
            Change::SetComment { target, .. } => match target {
                CommentTarget::Schema { name } => ObjectRef::Schema(name.clone()),
                CommentTarget::Table { name } | CommentTarget::View { name, .. } => ObjectRef::Relation(name.clone()),
                CommentTarget::Column { table, column } => ObjectRef::Column(table.clone(), column.clone()),
                // An index comment names no table; the schema is the closest enclosing object known (no
                // analyzer reports on comments, so nothing finer is needed).
                CommentTarget::Index { schema, .. } => ObjectRef::Schema(schema.clone()),
                CommentTarget::Sequence { name } => ObjectRef::Sequence(name.clone()),
                CommentTarget::Type { name } => ObjectRef::Type(name.clone()),
                CommentTarget::Function { name, arg_types, .. } => {
                    ObjectRef::Function(name.schema.clone(), format!("{}({})", name.name, arg_types.join(", ")))
                }
                CommentTarget::Policy { table, name } => ObjectRef::Policy(table.clone(), name.clone()),
                CommentTarget::Constraint { table, name } => ObjectRef::Constraint(table.clone(), name.clone()),
                CommentTarget::Trigger { table, name } => ObjectRef::Trigger(table.clone(), name.clone()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_covers_its_object_and_what_is_inside_it() {
        let users = QualifiedName::new("public", "users");
        let on_table = Suppression {
            object: ObjectRef::Relation(users.clone()),
            codes: Some(BTreeSet::from(["DS103".to_string()])),
            line: 1,
        };
        let dropped_column = Change::DropColumn { table: users.clone(), column: "email".into() }.object();
        assert!(on_table.covers("DS103", &dropped_column));
        assert!(!on_table.covers("DS102", &dropped_column), "another code");
        let elsewhere = ObjectRef::Column(QualifiedName::new("public", "orders"), "email".into());
        assert!(!on_table.covers("DS103", &elsewhere), "another table");
        let on_schema = Suppression { object: ObjectRef::Schema("public".into()), codes: None, line: 1 };
        assert!(on_schema.covers("DS102", &Change::DropTable { name: users.clone() }.object()));
        let renamed = Change::RenameTable { from: QualifiedName::new("public", "accounts"), to: "users".into() };
        assert_eq!(renamed.object(), ObjectRef::Relation(users));
    }
}
