//! Tables, columns, constraints, indexes and row-level security.

use super::comment_if_any;
use crate::PlanError;
use driftless_model::{
    Change, Check, Column, ColumnChange, CommentTarget, Commented, CompactString, Conversion, Deferrable, Exclusion,
    ForeignKey, Identity, Index, IndexKey, IndexPart, Named, Policy, PolicyCommand, PrimaryKey, QualifiedName,
    ReferentialAction, RowSecurity, SequenceOptions, StorageParameters, Table, UniqueConstraint, postgres_conversion,
    quote_ident, quote_literal,
};

/// `CREATE TABLE` with columns, primary key, unique, check and exclusion constraints, then the comments of the
/// table, its constraints and its columns. Foreign keys, indexes and triggers come as their own changes.
pub(super) fn create_table(table: &Table) -> Vec<String> {
    let mut elements: Vec<String> = table.columns.iter().map(column_definition).collect();
    if let Some(key) = &table.primary_key {
        elements.push(constraint(&key.name, &primary_key_body(key)));
    }
    elements.extend(table.uniques.values().map(|unique| constraint(&unique.name, &unique_body(unique))));
    elements.extend(table.checks.values().map(|check| constraint(&check.name, &check_body(check))));
    elements.extend(table.exclusions.values().map(|exclusion| constraint(&exclusion.name, &exclusion_body(exclusion))));
    let unlogged = if table.unlogged { "UNLOGGED " } else { "" };
    let mut create = match &table.partition_of {
        // a partition takes its columns from its parent; only its own constraints are written
        Some(of) if elements.is_empty() => {
            format!("CREATE {unlogged}TABLE {} PARTITION OF {} {}", table.name.quoted(), of.parent.quoted(), of.bound)
        }
        Some(of) => format!(
            "CREATE {unlogged}TABLE {} PARTITION OF {} (\n  {}\n) {}",
            table.name.quoted(),
            of.parent.quoted(),
            elements.join(",\n  "),
            of.bound
        ),
        None => format!("CREATE {}TABLE {} (\n  {}\n)", unlogged, table.name.quoted(), elements.join(",\n  ")),
    };
    if let Some(key) = &table.partition_key {
        create.push_str(&format!(" PARTITION BY {key}"));
    }
    if !table.storage.is_empty() {
        create.push_str(&format!(" WITH ({})", parameter_list(&table.storage.0)));
    }
    let mut statements = vec![create];
    statements.extend(comment_if_any(&CommentTarget::Table { name: table.name.clone() }, table.comment.as_deref()));
    statements.extend(table.primary_key.iter().filter_map(|key| constraint_comment(&table.name, key)));
    statements.extend(table.uniques.values().filter_map(|unique| constraint_comment(&table.name, unique)));
    statements.extend(table.checks.values().filter_map(|check| constraint_comment(&table.name, check)));
    statements.extend(table.exclusions.values().filter_map(|exclusion| constraint_comment(&table.name, exclusion)));
    for column in &table.columns {
        statements.extend(column_comment(&table.name, column));
    }
    statements
}

/// A changed partition key would move every row into new partitions: no statement does it, so the plan stops
/// before anything runs.
pub(super) fn refuse_partition_key_change(change: &Change) -> PlanError {
    let reason = match change {
        Change::ChangePartitionKey { table, from, to } => {
            let key = |key: &Option<String>| key.as_deref().map_or("none".to_string(), |k| format!("`{k}`"));
            format!(
                "table {table} cannot change its partition key from {} to {}: PostgreSQL has no statement for it; \
                 create a new table with the new key, move the rows, then drop the old one",
                key(from),
                key(to)
            )
        }
        _ => unreachable!("only a partition key change is refused here"),
    };
    PlanError::Refused { change: Box::new(change.clone()), reason }
}

pub(super) fn add_column(table: &QualifiedName, column: &Column) -> Vec<String> {
    let mut statements = vec![format!("ALTER TABLE {} ADD COLUMN {}", table.quoted(), column_definition(column))];
    statements.extend(column_comment(table, column));
    statements
}

fn column_comment(table: &QualifiedName, column: &Column) -> Option<String> {
    let target = CommentTarget::Column { table: table.clone(), column: column.name.to_string() };
    comment_if_any(&target, column.comment.as_deref())
}

fn column_definition(column: &Column) -> String {
    let mut definition = format!("{} {}", quote_ident(&column.name), column.data_type);
    if let Some(collation) = &column.collation {
        definition.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(expr) = &column.generated {
        definition.push_str(&format!(" GENERATED ALWAYS AS ({expr}) STORED"));
    }
    if let Some(identity) = &column.identity {
        definition.push_str(&format!(" {}", identity_clause(identity, column.data_type.as_str())));
    }
    if let Some(default) = &column.default {
        definition.push_str(&format!(" DEFAULT {default}"));
    }
    if !column.nullable {
        definition.push_str(" NOT NULL");
    }
    definition
}

/// `GENERATED ... AS IDENTITY`, with only the sequence options that differ from PostgreSQL's defaults.
fn identity_clause(identity: &Identity, column_type: &str) -> String {
    let generated = if identity.always { "ALWAYS" } else { "BY DEFAULT" };
    let options = identity_options(&identity.sequence, column_type);
    if options.is_empty() {
        format!("GENERATED {generated} AS IDENTITY")
    } else {
        format!("GENERATED {generated} AS IDENTITY ({})", options.join(" "))
    }
}

fn identity_options(options: &SequenceOptions, column_type: &str) -> Vec<String> {
    sequence_option_changes(&implied_options(column_type, options.increment), options, Bounds::WhenChanged)
}

/// What PostgreSQL fills in when only the type and the increment are given: the increment is `1` unless
/// written, and the bounds and start follow the increment's sign.
pub(super) fn implied_options(data_type: &str, increment: i64) -> SequenceOptions {
    SequenceOptions { increment: 1, ..SequenceOptions::postgres_defaults(data_type, increment) }
}

/// Whether `MINVALUE`/`MAXVALUE` are rendered only when they change, or always.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Bounds {
    WhenChanged,
    Always,
}

/// The sequence options of `to` that differ from `from`, as `INCREMENT BY`, `MINVALUE`, ... clauses
/// (the data type excepted: `AS` is for sequences, an identity follows its column's type).
pub(super) fn sequence_option_changes(from: &SequenceOptions, to: &SequenceOptions, bounds: Bounds) -> Vec<String> {
    let mut clauses = Vec::new();
    if from.increment != to.increment {
        clauses.push(format!("INCREMENT BY {}", to.increment));
    }
    if bounds == Bounds::Always || from.min_value != to.min_value {
        clauses.push(format!("MINVALUE {}", to.min_value));
    }
    if bounds == Bounds::Always || from.max_value != to.max_value {
        clauses.push(format!("MAXVALUE {}", to.max_value));
    }
    if from.start != to.start {
        clauses.push(format!("START WITH {}", to.start));
    }
    if from.cache != to.cache {
        clauses.push(format!("CACHE {}", to.cache));
    }
    if from.cycle != to.cycle {
        clauses.push(if to.cycle { "CYCLE" } else { "NO CYCLE" }.to_string());
    }
    clauses
}

/// One `ALTER TABLE` per step, in the order the diff gives them, so each runs against the previous result.
pub(super) fn alter_column(table: &QualifiedName, to: &Column, changes: &[ColumnChange]) -> Vec<String> {
    let column = quote_ident(&to.name);
    let alter = |action: String| format!("ALTER TABLE {} ALTER COLUMN {column} {action}", table.quoted());
    changes
        .iter()
        .map(|change| match change {
            ColumnChange::Type { from, to: data_type, explicit_cast } => {
                let mut action = format!("TYPE {data_type}{}", collate_clause(to.collation.as_deref()));
                if *explicit_cast {
                    let through = match postgres_conversion(from, data_type) {
                        Conversion::Cast => String::new(),
                        Conversion::Through(via) if from.is_array() => format!("::{via}[]"),
                        Conversion::Through(via) => format!("::{via}"),
                    };
                    action.push_str(&format!(" USING {column}{through}::{data_type}"));
                }
                alter(action)
            }
            ColumnChange::Collation { to: collation, .. } => {
                alter(format!("TYPE {}{}", to.data_type, collate_clause(collation.as_deref())))
            }
            ColumnChange::SetNotNull => alter("SET NOT NULL".to_string()),
            ColumnChange::DropNotNull => alter("DROP NOT NULL".to_string()),
            ColumnChange::SetDefault { default } => alter(format!("SET DEFAULT {default}")),
            ColumnChange::DropDefault => alter("DROP DEFAULT".to_string()),
            ColumnChange::AddIdentity { identity } => {
                alter(format!("ADD {}", identity_clause(identity, to.data_type.as_str())))
            }
            ColumnChange::DropIdentity => alter("DROP IDENTITY".to_string()),
            ColumnChange::AlterIdentity { from, to: identity } => {
                let mut actions = Vec::new();
                if from.always != identity.always {
                    actions.push(format!("SET GENERATED {}", if identity.always { "ALWAYS" } else { "BY DEFAULT" }));
                }
                actions.extend(
                    sequence_option_changes(&from.sequence, &identity.sequence, Bounds::WhenChanged)
                        .into_iter()
                        .map(|option| format!("SET {option}")),
                );
                alter(actions.join(" "))
            }
            ColumnChange::DropGenerated => alter("DROP EXPRESSION".to_string()),
        })
        .collect()
}

/// ` COLLATE x`, or nothing for the type's default collation (which `ALTER ... TYPE` then restores).
fn collate_clause(collation: Option<&str>) -> String {
    collation.map(|collation| format!(" COLLATE {}", quote_ident(collation))).unwrap_or_default()
}

pub(super) fn add_constraint(table: &QualifiedName, name: &str, body: &str) -> String {
    format!("ALTER TABLE {} ADD {}", table.quoted(), constraint(name, body))
}

/// `ALTER TABLE ... ADD CONSTRAINT`, then the constraint's comment if it has one.
pub(super) fn add_commented_constraint<C: Named + Commented>(
    table: &QualifiedName,
    added: &C,
    body: &str,
) -> Vec<String> {
    std::iter::once(add_constraint(table, added.name(), body)).chain(constraint_comment(table, added)).collect()
}

/// The `COMMENT ON CONSTRAINT` of a just-added constraint, if it has a comment.
pub(super) fn constraint_comment<C: Named + Commented>(table: &QualifiedName, added: &C) -> Option<String> {
    let target = CommentTarget::Constraint { table: table.clone(), name: added.name().clone() };
    comment_if_any(&target, added.comment().as_deref())
}

fn constraint(name: &str, body: &str) -> String {
    format!("CONSTRAINT {} {body}", quote_ident(name))
}

pub(super) fn primary_key_body(key: &PrimaryKey) -> String {
    format!("PRIMARY KEY ({})", column_list(&key.columns))
}

pub(super) fn unique_body(unique: &UniqueConstraint) -> String {
    let nulls = if unique.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
    format!("UNIQUE{nulls} ({}){}", column_list(&unique.columns), deferrable_clause(unique.deferrable))
}

pub(super) fn foreign_key_body(foreign_key: &ForeignKey) -> String {
    let mut body = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(&foreign_key.columns),
        foreign_key.ref_table.quoted(),
        column_list(&foreign_key.ref_columns)
    );
    if foreign_key.match_full {
        body.push_str(" MATCH FULL");
    }
    if foreign_key.on_delete != ReferentialAction::NoAction {
        body.push_str(&format!(" ON DELETE {}", foreign_key.on_delete.sql()));
    }
    if foreign_key.on_update != ReferentialAction::NoAction {
        body.push_str(&format!(" ON UPDATE {}", foreign_key.on_update.sql()));
    }
    body.push_str(&deferrable_clause(foreign_key.deferrable));
    body
}

pub(super) fn check_body(check: &Check) -> String {
    let no_inherit = if check.no_inherit { " NO INHERIT" } else { "" };
    format!("CHECK ({}){no_inherit}", check.expr)
}

/// ` NOT VALID` for a constraint added without verifying the existing rows.
pub(super) fn not_valid_clause(not_valid: bool) -> &'static str {
    if not_valid { " NOT VALID" } else { "" }
}

pub(super) fn deferrable_clause(deferrable: Deferrable) -> String {
    match deferrable {
        Deferrable::NotDeferrable => String::new(),
        Deferrable::InitiallyImmediate => " DEFERRABLE".to_string(),
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED".to_string(),
    }
}

/// `CREATE [UNIQUE] INDEX` on a table or materialized view, then its comment.
pub(super) fn create_index(table: &QualifiedName, index: &Index) -> Vec<String> {
    let mut statements = vec![index_statement(table, index, false)];
    statements.extend(index_comment(table, index));
    statements
}

/// The index's `COMMENT ON`, if it has a comment.
pub(super) fn index_comment(table: &QualifiedName, index: &Index) -> Option<String> {
    let target = CommentTarget::Index { schema: table.schema.clone(), name: index.name.clone() };
    comment_if_any(&target, index.comment.as_deref())
}

/// One key of an index: the column or the expression, then its collation, operator class and ordering.
fn index_key(part: &IndexPart) -> String {
    let mut key = match &part.key {
        IndexKey::Column(column) => quote_ident(column),
        IndexKey::Expression(expr) => format!("({expr})"),
    };
    if let Some(collation) = &part.collation {
        key.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(opclass) = &part.opclass {
        key.push_str(&format!(" {opclass}"));
    }
    if part.descending {
        key.push_str(" DESC");
    }
    match part.nulls_first {
        Some(true) => key.push_str(" NULLS FIRST"),
        Some(false) => key.push_str(" NULLS LAST"),
        None => {}
    }
    key
}

/// `EXCLUDE USING method (key WITH operator, ...) [INCLUDE (...)] [WHERE (...)]`, as `pg_get_constraintdef`
/// prints it.
pub(super) fn exclusion_body(exclusion: &Exclusion) -> String {
    let elements: Vec<String> = exclusion
        .elements
        .iter()
        .map(|element| format!("{} WITH {}", index_key(&element.part), element.operator))
        .collect();
    let mut body = format!("EXCLUDE USING {} ({})", quote_ident(&exclusion.method), elements.join(", "));
    if !exclusion.include.is_empty() {
        body.push_str(&format!(" INCLUDE ({})", column_list(&exclusion.include)));
    }
    if let Some(predicate) = &exclusion.predicate {
        body.push_str(&format!(" WHERE ({predicate})"));
    }
    body.push_str(&deferrable_clause(exclusion.deferrable));
    body
}

/// `CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON table ...`.
pub(super) fn index_statement(table: &QualifiedName, index: &Index, concurrently: bool) -> String {
    let concurrently = if concurrently { "CONCURRENTLY " } else { "" };
    let unique = if index.unique { "UNIQUE " } else { "" };
    let method = if index.method == "btree" { String::new() } else { format!(" USING {}", quote_ident(&index.method)) };
    let parts: Vec<String> = index.parts.iter().map(index_key).collect();
    let mut sql = format!(
        "CREATE {unique}INDEX {concurrently}{} ON {}{method} ({})",
        quote_ident(&index.name),
        table.quoted(),
        parts.join(", ")
    );
    if !index.include.is_empty() {
        sql.push_str(&format!(" INCLUDE ({})", column_list(&index.include)));
    }
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.storage.is_empty() {
        sql.push_str(&format!(" WITH ({})", parameter_list(&index.storage.0)));
    }
    if let Some(predicate) = &index.predicate {
        sql.push_str(&format!(" WHERE ({predicate})"));
    }
    sql
}

/// `name = 'value', ...`: a value is text to PostgreSQL whatever its kind, so it goes as a literal, never as
/// SQL.
pub(super) fn parameter_list<'a>(entries: impl IntoIterator<Item = &'a String>) -> String {
    let entries: Vec<String> = entries
        .into_iter()
        .map(|entry| {
            let (name, value) = entry.split_once('=').unwrap_or((entry, ""));
            format!("{} = {}", quote_ident(name), quote_literal(value))
        })
        .collect();
    entries.join(", ")
}

pub(super) fn column_list(columns: &[CompactString]) -> String {
    columns.iter().map(|column| quote_ident(column)).collect::<Vec<_>>().join(", ")
}

/// `CREATE POLICY name ON table AS ... FOR ... TO ... USING (...) WITH CHECK (...)`, then its comment.
pub(super) fn create_policy(table: &QualifiedName, policy: &Policy) -> Vec<String> {
    let kind = if policy.permissive { "PERMISSIVE" } else { "RESTRICTIVE" };
    let command = match policy.command {
        PolicyCommand::All => "ALL",
        PolicyCommand::Select => "SELECT",
        PolicyCommand::Insert => "INSERT",
        PolicyCommand::Update => "UPDATE",
        PolicyCommand::Delete => "DELETE",
    };
    // `public` is the keyword for every role, not a role's name
    let roles: Vec<String> =
        policy.roles.iter().map(|role| if role == "public" { "PUBLIC".into() } else { quote_ident(role) }).collect();
    let mut sql = format!(
        "CREATE POLICY {} ON {} AS {kind} FOR {command} TO {}",
        quote_ident(&policy.name),
        table.quoted(),
        roles.join(", ")
    );
    if let Some(using) = &policy.using {
        sql.push_str(&format!(" USING ({using})"));
    }
    if let Some(with_check) = &policy.with_check {
        sql.push_str(&format!(" WITH CHECK ({with_check})"));
    }
    let target = CommentTarget::Policy { table: table.clone(), name: policy.name.clone() };
    std::iter::once(sql).chain(comment_if_any(&target, policy.comment.as_deref())).collect()
}

/// `ALTER TABLE ... ENABLE|DISABLE ROW LEVEL SECURITY` and `[NO] FORCE ROW LEVEL SECURITY`, for what changes.
pub(super) fn set_row_security(table: &QualifiedName, from: &RowSecurity, to: &RowSecurity) -> Vec<String> {
    let mut actions = Vec::new();
    if from.enabled != to.enabled {
        actions.push(if to.enabled { "ENABLE ROW LEVEL SECURITY" } else { "DISABLE ROW LEVEL SECURITY" });
    }
    if from.forced != to.forced {
        actions.push(if to.forced { "FORCE ROW LEVEL SECURITY" } else { "NO FORCE ROW LEVEL SECURITY" });
    }
    vec![format!("ALTER TABLE {} {}", table.quoted(), actions.join(", "))]
}

/// `ALTER TABLE ... SET (...)` of the parameters new or changed, then `RESET (...)` of those no longer set.
pub(super) fn set_storage_parameters(
    table: &QualifiedName,
    from: &StorageParameters,
    to: &StorageParameters,
) -> Vec<String> {
    let set: Vec<&String> = to.0.iter().filter(|entry| !from.0.contains(entry)).collect();
    let names = |parameters: &StorageParameters| -> Vec<String> {
        parameters.0.iter().map(|entry| StorageParameters::name_of(entry).to_string()).collect()
    };
    let kept = names(to);
    let reset: Vec<String> = names(from).into_iter().filter(|name| !kept.contains(name)).collect();
    let mut statements = Vec::new();
    if !set.is_empty() {
        statements.push(format!("ALTER TABLE {} SET ({})", table.quoted(), parameter_list(set)));
    }
    if !reset.is_empty() {
        let reset: Vec<String> = reset.iter().map(|name| quote_ident(name)).collect();
        statements.push(format!("ALTER TABLE {} RESET ({})", table.quoted(), reset.join(", ")));
    }
    statements
}
