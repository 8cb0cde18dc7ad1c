//! PostgreSQL rendering. Identifiers are quoted only when needed (`quote_ident`), literals with `''`
//! escaping; types, expressions and query texts are rendered as the model holds them (as the database or the
//! user printed them).

mod objects;
mod online;
mod routines;
mod tables;

use crate::{Plan, PlanError, Statement};
use driftless_model::{
    Change, CommentTarget, Database, Dialect, OnlineOptions, QualifiedName, ReplicaIdentity, quote_ident,
    quote_literal, relations_created,
};
use std::collections::BTreeSet;

/// Renders `changes` as PostgreSQL statements, with the online forms `online` asks for on relations that exist
/// before the plan runs (those the plan creates are used by nobody yet, so they get the plain forms) and are
/// not partitioned (PostgreSQL builds no index concurrently on a partitioned table).
/// PostgreSQL has a statement for every change; the `Result` is the shape every dialect's entry shares.
pub fn plan(changes: Vec<Change>, current: &Database, online: &OnlineOptions) -> Result<Plan, PlanError> {
    if let Some(change) = changes.iter().find(|change| matches!(change, Change::RetypeDomain { .. })) {
        return Err(objects::refuse_retype_domain(change));
    }
    if let Some(change) = changes.iter().find(|change| matches!(change, Change::ChangePartitionKey { .. })) {
        return Err(tables::refuse_partition_key_change(change));
    }
    if let Some(change) = changes.iter().find(|change| is_sqlite_only(change)) {
        return Err(PlanError::unsupported(change, Dialect::Postgres));
    }
    let created = relations_created(&changes);
    let partitioned: BTreeSet<QualifiedName> = current
        .schemas
        .values()
        .flat_map(|schema| schema.tables.values())
        .filter(|table| table.partition_key.is_some())
        .map(|table| table.name.clone())
        .collect();
    let context = RenderContext { online: *online, created: &created, partitioned: &partitioned };
    let statements = changes
        .iter()
        .enumerate()
        .flat_map(|(index, change)| render(change, &context).into_iter().map(move |statement| (index, statement)))
        .collect();
    Ok(Plan::new(changes, statements))
}

/// A change only a SQLite model makes: a header value, table options, a trigger with a body of statements.
fn is_sqlite_only(change: &Change) -> bool {
    match change {
        Change::SetHeaderValue { .. } | Change::SetSqliteTableOptions { .. } => true,
        Change::CreateTrigger { trigger, .. } => trigger.function().is_none(),
        _ => false,
    }
}

/// What rendering one change needs to know about the plan.
struct RenderContext<'a> {
    online: OnlineOptions,
    /// Tables and materialized views the plan creates.
    created: &'a BTreeSet<QualifiedName>,
    /// Partitioned tables that exist before the plan runs.
    partitioned: &'a BTreeSet<QualifiedName>,
}

impl RenderContext<'_> {
    /// True for a relation that exists before the plan runs, where online forms matter, and that can take them
    /// (a partitioned table takes the plain forms).
    fn existing(&self, relation: &QualifiedName) -> bool {
        !self.created.contains(relation) && !self.partitioned.contains(relation)
    }
}

fn render(change: &Change, context: &RenderContext) -> Vec<Statement> {
    online::render(change, context)
        .unwrap_or_else(|| render_change(change).into_iter().map(Statement::transactional).collect())
}

fn render_change(change: &Change) -> Vec<String> {
    match change {
        Change::CreateSchema { name, comment } => {
            let mut statements = vec![format!("CREATE SCHEMA {}", quote_ident(name))];
            statements.extend(comment_if_any(&CommentTarget::Schema { name: name.clone() }, comment.as_deref()));
            statements
        }
        Change::DropSchema { name } => vec![format!("DROP SCHEMA {}", quote_ident(name))],
        Change::CreateExtension { extension } => vec![objects::create_extension(extension)],
        Change::DropExtension { name } => vec![format!("DROP EXTENSION {}", quote_ident(name))],
        Change::SetExtensionSchema { name, schema } => {
            vec![format!("ALTER EXTENSION {} SET SCHEMA {}", quote_ident(name), quote_ident(schema))]
        }
        Change::CreateEnum { enum_type } => objects::create_enum(enum_type),
        Change::DropEnum { name } => vec![format!("DROP TYPE {}", name.quoted())],
        Change::AddEnumValue { name, value, before } => vec![objects::add_enum_value(name, value, before.as_deref())],
        Change::RecreateEnum { to, old_name, columns, .. } => objects::recreate_enum(to, old_name, columns),
        Change::RenameEnum { from, to } => vec![format!("ALTER TYPE {} RENAME TO {}", from.quoted(), quote_ident(to))],
        Change::RenameEnumValue { name, from, to } => {
            vec![format!("ALTER TYPE {} RENAME VALUE {} TO {}", name.quoted(), quote_literal(from), quote_literal(to))]
        }
        Change::CreateDomain { domain } => objects::create_domain(domain),
        Change::DropDomain { name } => vec![format!("DROP DOMAIN {}", name.quoted())],
        Change::SetDomainDefault { name, default } => vec![match default {
            Some(default) => format!("ALTER DOMAIN {} SET DEFAULT {default}", name.quoted()),
            None => format!("ALTER DOMAIN {} DROP DEFAULT", name.quoted()),
        }],
        Change::SetDomainNotNull { name, not_null } => {
            vec![format!("ALTER DOMAIN {} {} NOT NULL", name.quoted(), if *not_null { "SET" } else { "DROP" })]
        }
        Change::AddDomainCheck { name, check } => vec![objects::add_domain_check(name, check)],
        Change::DropDomainCheck { name, check } => {
            vec![format!("ALTER DOMAIN {} DROP CONSTRAINT {}", name.quoted(), quote_ident(check))]
        }
        Change::ValidateDomainCheck { name, check } => {
            vec![format!("ALTER DOMAIN {} VALIDATE CONSTRAINT {}", name.quoted(), quote_ident(check))]
        }
        Change::RetypeDomain { .. } => unreachable!("`plan` refuses a retyped domain before rendering"),
        Change::CreateSequence { sequence } => objects::create_sequence(sequence),
        Change::DropSequence { name } => vec![format!("DROP SEQUENCE {}", name.quoted())],
        Change::AlterSequence { name, from, to } => vec![objects::alter_sequence(name, from, to)],
        Change::SetSequenceOwner { name, owned_by } => {
            vec![objects::set_sequence_owner(name, owned_by.as_ref())]
        }
        Change::CreateTable { table } => tables::create_table(table),
        Change::AttachPartition { table, partition_of } => vec![format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            partition_of.parent.quoted(),
            table.quoted(),
            partition_of.bound
        )],
        Change::DetachPartition { table, parent } => {
            vec![format!("ALTER TABLE {} DETACH PARTITION {}", parent.quoted(), table.quoted())]
        }
        Change::ChangePartitionKey { .. } => unreachable!("`plan` refuses a changed partition key before rendering"),
        Change::DropTable { name } => vec![format!("DROP TABLE {}", name.quoted())],
        Change::RenameTable { from, to } => {
            vec![format!("ALTER TABLE {} RENAME TO {}", from.quoted(), quote_ident(to))]
        }
        Change::AddColumn { table, column } => tables::add_column(table, column),
        Change::DropColumn { table, column } => {
            vec![format!("ALTER TABLE {} DROP COLUMN {}", table.quoted(), quote_ident(column))]
        }
        Change::RenameColumn { table, from, to } => {
            vec![format!("ALTER TABLE {} RENAME COLUMN {} TO {}", table.quoted(), quote_ident(from), quote_ident(to))]
        }
        Change::AlterColumn { table, to, changes, .. } => tables::alter_column(table, to, changes),
        Change::RenameConstraint { table, from, to } => {
            vec![format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                table.quoted(),
                quote_ident(from),
                quote_ident(to)
            )]
        }
        Change::RenameIndex { table, from, to } => {
            let index = QualifiedName::new(table.schema.clone(), from.clone());
            vec![format!("ALTER INDEX {} RENAME TO {}", index.quoted(), quote_ident(to))]
        }
        Change::RenameSequence { from, to } => {
            vec![format!("ALTER SEQUENCE {} RENAME TO {}", from.quoted(), quote_ident(to))]
        }
        Change::AddPrimaryKey { table, key } => {
            tables::add_commented_constraint(table, key, &tables::primary_key_body(key))
        }
        Change::AddUnique { table, unique } => {
            tables::add_commented_constraint(table, unique, &tables::unique_body(unique))
        }
        Change::AddForeignKey { table, foreign_key } => {
            let body = tables::foreign_key_body(foreign_key) + tables::not_valid_clause(foreign_key.not_valid);
            tables::add_commented_constraint(table, foreign_key, &body)
        }
        Change::AddCheck { table, check } => {
            let body = tables::check_body(check) + tables::not_valid_clause(check.not_valid);
            tables::add_commented_constraint(table, check, &body)
        }
        Change::ValidateConstraint { table, name } => {
            vec![format!("ALTER TABLE {} VALIDATE CONSTRAINT {}", table.quoted(), quote_ident(name))]
        }
        Change::AddExclusion { table, exclusion } => {
            tables::add_commented_constraint(table, exclusion, &tables::exclusion_body(exclusion))
        }
        Change::DropPrimaryKey { table, name }
        | Change::DropUnique { table, name }
        | Change::DropForeignKey { table, name }
        | Change::DropCheck { table, name }
        | Change::DropExclusion { table, name } => {
            vec![format!("ALTER TABLE {} DROP CONSTRAINT {}", table.quoted(), quote_ident(name))]
        }
        Change::CreateIndex { table, index } => tables::create_index(table, index),
        Change::DropIndex { table, name } => {
            vec![format!("DROP INDEX {}", QualifiedName::new(&table.schema, name).quoted())]
        }
        Change::CreateView { view } => objects::create_view(view),
        Change::DropView { name, materialized } => {
            vec![format!("DROP {} {}", view_keyword(*materialized), name.quoted())]
        }
        Change::CreateFunction { function } => routines::create_function(function, false),
        Change::ReplaceFunction { to, .. } => routines::create_function(to, true),
        Change::DropFunction { function } => vec![routines::drop_function(function)],
        Change::CreateTrigger { table, trigger } => {
            let target = CommentTarget::Trigger { table: table.clone(), name: trigger.name.clone() };
            routines::create_trigger(table, trigger)
                .into_iter()
                .chain(comment_if_any(&target, trigger.comment.as_deref()))
                .collect()
        }
        Change::DropTrigger { table, name } => {
            vec![format!("DROP TRIGGER {} ON {}", quote_ident(name), table.quoted())]
        }
        Change::CreatePolicy { table, policy } => tables::create_policy(table, policy),
        Change::DropPolicy { table, name } => vec![format!("DROP POLICY {} ON {}", quote_ident(name), table.quoted())],
        Change::SetRowSecurity { table, from, to } => tables::set_row_security(table, from, to),
        Change::SetStorageParameters { table, from, to } => tables::set_storage_parameters(table, from, to),
        Change::SetReplicaIdentity { table, to } => {
            let identity = match to {
                ReplicaIdentity::Default => "DEFAULT".to_string(),
                ReplicaIdentity::Full => "FULL".to_string(),
                ReplicaIdentity::Nothing => "NOTHING".to_string(),
                ReplicaIdentity::Index(index) => format!("USING INDEX {}", quote_ident(index)),
            };
            vec![format!("ALTER TABLE {} REPLICA IDENTITY {identity}", table.quoted())]
        }
        Change::SetUnlogged { table, unlogged } => {
            vec![format!("ALTER TABLE {} SET {}", table.quoted(), if *unlogged { "UNLOGGED" } else { "LOGGED" })]
        }
        Change::SetComment { target, comment } => vec![comment_on(target, comment.as_deref())],
        // refused by `plan` before anything is rendered
        Change::SetHeaderValue { .. } | Change::SetSqliteTableOptions { .. } => Vec::new(),
    }
}

fn view_keyword(materialized: bool) -> &'static str {
    if materialized { "MATERIALIZED VIEW" } else { "VIEW" }
}

/// `COMMENT ON ...`; a `None` comment removes it.
fn comment_on(target: &CommentTarget, comment: Option<&str>) -> String {
    let object = match target {
        CommentTarget::Schema { name } => format!("SCHEMA {}", quote_ident(name)),
        CommentTarget::Table { name } => format!("TABLE {}", name.quoted()),
        CommentTarget::Column { table, column } => {
            format!("COLUMN {}.{}", table.quoted(), quote_ident(column))
        }
        CommentTarget::View { name, materialized } => {
            format!("{} {}", view_keyword(*materialized), name.quoted())
        }
        CommentTarget::Index { schema, name } => {
            format!("INDEX {}", QualifiedName::new(schema, name).quoted())
        }
        CommentTarget::Sequence { name } => format!("SEQUENCE {}", name.quoted()),
        CommentTarget::Type { name } => format!("TYPE {}", name.quoted()),
        CommentTarget::Function { name, kind, arg_types } => routines::routine_reference(kind, name, arg_types),
        CommentTarget::Policy { table, name } => format!("POLICY {} ON {}", quote_ident(name), table.quoted()),
        CommentTarget::Constraint { table, name } => {
            format!("CONSTRAINT {} ON {}", quote_ident(name), table.quoted())
        }
        CommentTarget::Trigger { table, name } => format!("TRIGGER {} ON {}", quote_ident(name), table.quoted()),
    };
    let text = comment.map_or_else(|| "NULL".to_string(), quote_literal);
    format!("COMMENT ON {object} IS {text}")
}

/// The `COMMENT ON` that gives a just-created object its comment, if it has one.
fn comment_if_any(target: &CommentTarget, comment: Option<&str>) -> Option<String> {
    comment.map(|comment| comment_on(target, Some(comment)))
}
