//! Extensions, enum types, domains, sequences and views.

use super::tables::{Bounds, implied_options, sequence_option_changes};
use super::{comment_if_any, view_keyword};
use crate::PlanError;
use driftless_model::{
    Change, CommentTarget, Domain, DomainCheck, EnumColumn, EnumType, Extension, QualifiedName, Sequence,
    SequenceOptions, View, quote_ident, quote_literal,
};

pub(super) fn create_extension(extension: &Extension) -> String {
    format!("CREATE EXTENSION {} SCHEMA {}", quote_ident(&extension.name), quote_ident(&extension.schema))
}

pub(super) fn create_enum(enum_type: &EnumType) -> Vec<String> {
    let labels: Vec<String> = enum_type.values.iter().map(|value| quote_literal(value)).collect();
    let mut statements = vec![format!("CREATE TYPE {} AS ENUM ({})", enum_type.name.quoted(), labels.join(", "))];
    statements
        .extend(comment_if_any(&CommentTarget::Type { name: enum_type.name.clone() }, enum_type.comment.as_deref()));
    statements
}

/// `CREATE DOMAIN` with the checks that are valid; `NOT VALID` ones are separate changes.
pub(super) fn create_domain(domain: &Domain) -> Vec<String> {
    let mut sql = format!("CREATE DOMAIN {} AS {}", domain.name.quoted(), domain.data_type);
    if let Some(collation) = &domain.collation {
        sql.push_str(&format!(" COLLATE {}", quote_ident(collation)));
    }
    if let Some(default) = &domain.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if domain.not_null {
        sql.push_str(" NOT NULL");
    }
    for check in domain.checks.values() {
        sql.push_str(&format!(" CONSTRAINT {} CHECK ({})", quote_ident(&check.name), check.expr));
    }
    let mut statements = vec![sql];
    statements.extend(comment_if_any(&CommentTarget::Type { name: domain.name.clone() }, domain.comment.as_deref()));
    statements
}

pub(super) fn add_domain_check(name: &QualifiedName, check: &DomainCheck) -> String {
    let not_valid = if check.not_valid { " NOT VALID" } else { "" };
    format!(
        "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}){not_valid}",
        name.quoted(),
        quote_ident(&check.name),
        check.expr
    )
}

pub(super) fn refuse_retype_domain(change: &Change) -> PlanError {
    let reason = match change {
        Change::RetypeDomain { from, to } if from.data_type != to.data_type => format!(
            "domain {} cannot change its base type from {} to {} while columns use it: PostgreSQL has no statement \
             for it; create a new domain, move the columns to it, then drop the old one",
            to.name, from.data_type, to.data_type
        ),
        _ => "a domain cannot change its collation while columns use it: PostgreSQL has no statement for it; \
              create a new domain, move the columns to it, then drop the old one"
            .to_string(),
    };
    PlanError::Refused { change: Box::new(change.clone()), reason }
}

pub(super) fn add_enum_value(name: &QualifiedName, value: &str, before: Option<&str>) -> String {
    let position = before.map(|before| format!(" BEFORE {}", quote_literal(before))).unwrap_or_default();
    format!("ALTER TYPE {} ADD VALUE {}{position}", name.quoted(), quote_literal(value))
}

/// Renames the old type aside, creates the new one and converts each column through `text`; the old type is
/// dropped by a later change. A column's default is bound to the old type, so it is dropped around the
/// conversion and set again.
pub(super) fn recreate_enum(to: &EnumType, old_name: &str, columns: &[EnumColumn]) -> Vec<String> {
    let mut statements = vec![format!("ALTER TYPE {} RENAME TO {}", to.name.quoted(), quote_ident(old_name))];
    statements.extend(create_enum(to));
    for column in columns {
        let alter = format!("ALTER TABLE {} ALTER COLUMN {}", column.table.quoted(), quote_ident(&column.column));
        let text_type = if column.data_type.is_array() { "text[]" } else { "text" };
        if column.has_default {
            statements.push(format!("{alter} DROP DEFAULT"));
        }
        statements.push(format!(
            "{alter} TYPE {data_type} USING {}::{text_type}::{data_type}",
            quote_ident(&column.column),
            data_type = column.data_type
        ));
        if let Some(default) = &column.default {
            statements.push(format!("{alter} SET DEFAULT {default}"));
        }
    }
    statements
}

/// `CREATE SEQUENCE` with the options that differ from PostgreSQL's defaults for its type (ownership is a
/// separate change, once the owning column exists).
pub(super) fn create_sequence(sequence: &Sequence) -> Vec<String> {
    let options = &sequence.options;
    let mut sql = format!("CREATE SEQUENCE {}", sequence.name.quoted());
    if options.data_type != "bigint" {
        sql.push_str(&format!(" AS {}", options.data_type));
    }
    let defaults = implied_options(&options.data_type, options.increment);
    for clause in sequence_option_changes(&defaults, options, Bounds::WhenChanged) {
        sql.push_str(&format!(" {clause}"));
    }
    let mut statements = vec![sql];
    statements
        .extend(comment_if_any(&CommentTarget::Sequence { name: sequence.name.clone() }, sequence.comment.as_deref()));
    statements
}

pub(super) fn alter_sequence(name: &QualifiedName, from: &SequenceOptions, to: &SequenceOptions) -> String {
    let mut clauses = Vec::new();
    let type_changes = from.data_type != to.data_type;
    if type_changes {
        clauses.push(format!("AS {}", to.data_type));
    }
    // `AS` resets bounds that were the old type's defaults, so a type change spells both bounds out.
    let bounds = if type_changes { Bounds::Always } else { Bounds::WhenChanged };
    clauses.extend(sequence_option_changes(from, to, bounds));
    format!("ALTER SEQUENCE {} {}", name.quoted(), clauses.join(" "))
}

pub(super) fn set_sequence_owner(name: &QualifiedName, owned_by: Option<&(String, String)>) -> String {
    let owner = match owned_by {
        Some((table, column)) => {
            format!("{}.{}", QualifiedName::new(&name.schema, table).quoted(), quote_ident(column))
        }
        None => "NONE".to_string(),
    };
    format!("ALTER SEQUENCE {} OWNED BY {owner}", name.quoted())
}

pub(super) fn create_view(view: &View) -> Vec<String> {
    let options = if view.options.is_empty() {
        String::new()
    } else {
        format!(" WITH ({})", super::tables::parameter_list(&view.options.0))
    };
    let mut statements =
        vec![format!("CREATE {} {}{options} AS\n{}", view_keyword(view.materialized), view.name.quoted(), view.query)];
    let target = CommentTarget::View { name: view.name.clone(), materialized: view.materialized };
    statements.extend(comment_if_any(&target, view.comment.as_deref()));
    statements
}
