//! Which object a directive comment is about (see `docs/lint.md`, "In-file directives").
//!
//! - A comment before a statement, trailing it on the line it ends, or inside it but outside any column
//!   definition is about the statement. `nolint` then covers every object the statement declared or changed
//!   (found by comparing the model before and after the statement); `renamed` must be on `CREATE TABLE`,
//!   `CREATE INDEX` (with a name) or `CREATE TYPE ... AS ENUM`.
//! - Inside `CREATE TABLE (...)`, a comment on the line a column definition ends on, or on its own line just
//!   before a column definition, is about that column. On a table constraint's line it is about the
//!   statement, and `renamed` is refused there (constraints are not renamed by hint).
//! - Inside `CREATE TYPE ... AS ENUM (...)`, a comment on the line a label ends on, after it, is about that
//!   label; one on its own line is about the statement.

use super::Builder;
use crate::directive::{self, Directive};
use crate::{ParseError, SourceComment, SourceStatement};
use driftless_model::{Database, ObjectRef, QualifiedName, RenameHint, Suppression, Table};
use sqlparser::ast::{CreateTable, Ident};
use sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace};
use std::collections::BTreeSet;

/// A directive and where its comment sits.
pub(super) struct Placed {
    directive: Directive,
    /// Absolute line of the comment (1-based).
    line: usize,
    place: Place,
}

impl Placed {
    pub fn is_nolint(&self) -> bool {
        matches!(self.directive, Directive::NoLint(_))
    }
}

enum Place {
    /// Before or after the statement, or inside it but outside its parentheses.
    Outside,
    /// Inside the statement, at a line relative to it.
    /// Inside the statement, at a (line, column) relative to it; `trailing` when a token precedes it on its
    /// line; `next` is where the next token starts.
    Inside { at: (u64, u64), trailing: bool, next: Option<(u64, u64)> },
}

/// The directives of one statement, from the comments around it and inside it.
pub(super) fn read(
    statement: &SourceStatement,
    around: &[&SourceComment],
    tokens: &[TokenWithSpan],
) -> Result<Vec<Placed>, (usize, String)> {
    let mut placed = Vec::new();
    for comment in around {
        if let Some(directive) = directive::read(&comment.text).map_err(|m| (comment.line, m))? {
            placed.push(Placed { directive, line: comment.line, place: Place::Outside });
        }
    }
    let mut last_significant_line = 0;
    // Column definitions sit inside the statement's parentheses; a comment outside them is the statement's.
    let mut depth = 0usize;
    for (index, token) in tokens.iter().enumerate() {
        let text = match &token.token {
            Token::Whitespace(Whitespace::SingleLineComment { comment, prefix }) => format!("{prefix}{comment}"),
            Token::Whitespace(Whitespace::MultiLineComment(comment)) => format!("/*{comment}*/"),
            Token::Whitespace(_) | Token::EOF => continue,
            other => {
                match other {
                    Token::LParen => depth += 1,
                    Token::RParen => depth = depth.saturating_sub(1),
                    _ => {}
                }
                last_significant_line = token.span.end.line;
                continue;
            }
        };
        let relative_line = token.span.start.line;
        let line = statement.line + relative_line.saturating_sub(1) as usize;
        let Some(directive) = directive::read(text.trim_end()).map_err(|m| (line, m))? else {
            continue;
        };
        let next = tokens[index + 1..]
            .iter()
            .find(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| (t.span.start.line, t.span.start.column));
        let trailing = last_significant_line == relative_line;
        let at = (relative_line, token.span.start.column);
        let place = if depth == 0 { Place::Outside } else { Place::Inside { at, trailing, next } };
        placed.push(Placed { directive, line, place });
    }
    Ok(placed)
}

/// What a statement that can carry a rename hint declares, and where the items inside its parentheses (a
/// table's column definitions, an enum's labels) sit, to tell which one a comment inside it is about.
pub(super) struct Layout {
    subject: Subject,
    /// Name (folded for a column, as written for a label), start (line, column) and last line of each item.
    items: Vec<(String, (u64, u64), u64)>,
    /// First line of each table constraint (0 when sqlparser knows no position).
    constraint_lines: Vec<u64>,
    /// Whether a comment on its own line just before an item is about it (a column's), or about the
    /// statement (an enum's, as sqldef reads `CREATE TYPE t AS ENUM (\n -- @renamed from=old\n 'a', ...)`).
    leading: bool,
}

enum Subject {
    Table(QualifiedName),
    /// An index of a table, declared with a name.
    Index {
        table: QualifiedName,
        name: String,
    },
    Enum(QualifiedName),
}

impl Layout {
    pub fn table(create: &CreateTable, table: QualifiedName) -> Layout {
        let items = create
            .columns
            .iter()
            .map(|column| {
                let span = crate::depth::span(column);
                (crate::ident::fold(&column.name), (span.start.line, span.start.column), span.end.line)
            })
            .collect();
        let constraint_lines = create.constraints.iter().map(|c| crate::depth::span(c).start.line).collect();
        Layout { subject: Subject::Table(table), items, constraint_lines, leading: true }
    }

    pub fn index(table: QualifiedName, name: String) -> Layout {
        let subject = Subject::Index { table, name };
        Layout { subject, items: Vec::new(), constraint_lines: Vec::new(), leading: false }
    }

    pub fn enum_type(name: QualifiedName, labels: &[Ident]) -> Layout {
        let items = labels
            .iter()
            .map(|label| (label.value.clone(), (label.span.start.line, label.span.start.column), label.span.end.line))
            .collect();
        Layout { subject: Subject::Enum(name), items, constraint_lines: Vec::new(), leading: false }
    }
}

enum Owner {
    Statement,
    /// A column definition or an enum label.
    Item(String),
    Constraint,
}

fn owner(place: &Place, layout: Option<&Layout>) -> Owner {
    let (Place::Inside { at, trailing, next }, Some(layout)) = (place, layout) else {
        return Owner::Statement;
    };
    let line = at.0;
    if *trailing {
        let ends_here = |(_, start, end_line): &&(String, (u64, u64), u64)| *end_line == line && start < at;
        if let Some((name, _, _)) = layout.items.iter().rev().find(ends_here) {
            return Owner::Item(name.clone());
        }
        if layout.constraint_lines.contains(&line) {
            return Owner::Constraint;
        }
        return Owner::Statement;
    }
    if !layout.leading {
        return Owner::Statement;
    }
    match layout.items.iter().find(|(_, start, _)| Some(*start) == *next) {
        Some((name, _, _)) => Owner::Item(name.clone()),
        None if next.is_some_and(|(next_line, _)| layout.constraint_lines.contains(&next_line)) => Owner::Constraint,
        None => Owner::Statement,
    }
}

const RENAME_PLACE: &str = "a rename hint goes on a CREATE TABLE, a named CREATE INDEX or a CREATE TYPE ... AS ENUM \
     statement, on a column definition or on an enum label";

impl Builder<'_> {
    /// Records the directives of the statement just folded. `before` is the model and the schemas created
    /// before it (taken when a `nolint` needs to know what the statement declared).
    pub(super) fn record_directives(
        &mut self,
        directives: Vec<Placed>,
        layout: Option<&Layout>,
        before: Option<&(Database, BTreeSet<String>)>,
    ) -> Result<(), ParseError> {
        for Placed { directive, line, place } in directives {
            let subject = layout.map(|layout| &layout.subject);
            match (owner(&place, layout), directive) {
                (Owner::Item(item), Directive::NoLint(codes)) => {
                    let object = match subject {
                        Some(Subject::Table(table)) => ObjectRef::Column(table.clone(), item),
                        Some(Subject::Enum(name)) => ObjectRef::Type(name.clone()),
                        _ => unreachable!("items come from a table's or an enum's layout"),
                    };
                    self.hints.suppressions.push(Suppression { object, codes, line });
                }
                (Owner::Item(name), Directive::Renamed { name: from, written }) => {
                    let hint = match subject {
                        Some(Subject::Table(table)) => RenameHint::Column { table: table.clone(), name, from, line },
                        Some(Subject::Enum(enum_type)) => {
                            RenameHint::Label { enum_type: enum_type.clone(), name, from: written, line }
                        }
                        _ => unreachable!("items come from a table's or an enum's layout"),
                    };
                    self.hints.renames.push(hint);
                }
                (Owner::Statement | Owner::Constraint, Directive::NoLint(codes)) => {
                    let (before, created_before) = before.expect("the model is kept when a nolint is present");
                    // `CREATE SCHEMA public` declares the default schema, which the model holds from the start
                    let created = self.created_schemas.difference(created_before).map(|s| ObjectRef::Schema(s.clone()));
                    let mut objects = touched(before, &self.db);
                    objects.extend(created.filter(|schema| !objects.contains(schema)).collect::<Vec<_>>());
                    for object in objects {
                        self.hints.suppressions.push(Suppression { object, codes: codes.clone(), line });
                    }
                }
                (Owner::Statement, Directive::Renamed { name: from, .. }) => {
                    let hint = match subject {
                        Some(Subject::Table(name)) => RenameHint::Table { name: name.clone(), from, line },
                        Some(Subject::Index { table, name }) => {
                            RenameHint::Index { table: table.clone(), name: name.clone(), from, line }
                        }
                        Some(Subject::Enum(name)) => RenameHint::Type { name: name.clone(), from, line },
                        None => return Err(self.invalid_at(line, RENAME_PLACE)),
                    };
                    self.hints.renames.push(hint);
                }
                (Owner::Constraint, Directive::Renamed { .. }) => return Err(self.invalid_at(line, RENAME_PLACE)),
            }
        }
        Ok(())
    }

    fn invalid_at(&self, line: usize, message: &str) -> ParseError {
        let (_, excerpt) = self.location();
        ParseError::Invalid { line, excerpt, message: message.to_string() }
    }
}

/// The objects `after` has that `before` lacks or holds differently. A table's own attributes (its
/// comment) are compared apart from its columns, keys, indexes and triggers, so that adding a column
/// touches the column and not the whole table.
fn touched(before: &Database, after: &Database) -> Vec<ObjectRef> {
    let mut objects = Vec::new();
    for (name, extension) in &after.extensions {
        if before.extensions.get(name) != Some(extension) {
            objects.push(ObjectRef::Extension(name.clone()));
        }
    }
    for (schema_name, schema) in &after.schemas {
        let old = before.schemas.get(schema_name);
        if old.is_none_or(|old| old.comment != schema.comment) {
            objects.push(ObjectRef::Schema(schema_name.clone()));
        }
        let qualify = |name: &String| QualifiedName::new(schema_name.clone(), name.clone());
        for (name, table) in &schema.tables {
            let old_table = old.and_then(|old| old.tables.get(name));
            touched_table(&qualify(name), table, old_table, &mut objects);
        }
        for (name, view) in &schema.views {
            let old_view = old.and_then(|old| old.views.get(name));
            let relation = qualify(name);
            if old_view.is_none_or(|old| {
                (&old.query, old.materialized, &old.comment) != (&view.query, view.materialized, &view.comment)
            }) {
                objects.push(ObjectRef::Relation(relation.clone()));
            }
            for (index_name, index) in &view.indexes {
                if old_view.and_then(|old| old.indexes.get(index_name)) != Some(index) {
                    objects.push(ObjectRef::Index(relation.clone(), index_name.clone()));
                }
            }
        }
        for (name, sequence) in &schema.sequences {
            if old.and_then(|old| old.sequences.get(name)) != Some(sequence) {
                objects.push(ObjectRef::Sequence(qualify(name)));
            }
        }
        for (name, enum_type) in &schema.enums {
            if old.and_then(|old| old.enums.get(name)) != Some(enum_type) {
                objects.push(ObjectRef::Type(qualify(name)));
            }
        }
        for (signature, function) in &schema.functions {
            if old.and_then(|old| old.functions.get(signature)) != Some(function) {
                objects.push(ObjectRef::Function(schema_name.clone(), signature.clone()));
            }
        }
    }
    objects
}

fn touched_table(name: &QualifiedName, table: &Table, old: Option<&Table>, objects: &mut Vec<ObjectRef>) {
    if old.is_none_or(|old| old.comment != table.comment) {
        objects.push(ObjectRef::Relation(name.clone()));
    }
    for column in &table.columns {
        if old.and_then(|old| old.column(&column.name)) != Some(column) {
            objects.push(ObjectRef::Column(name.clone(), column.name.to_string()));
        }
    }
    let constraint = |key: &str| ObjectRef::Constraint(name.clone(), key.to_string());
    if let Some(key) = &table.primary_key
        && old.and_then(|old| old.primary_key.as_ref()) != Some(key)
    {
        objects.push(constraint(&key.name));
    }
    for (key, unique) in &table.uniques {
        if old.and_then(|old| old.uniques.get(key)) != Some(unique) {
            objects.push(constraint(key));
        }
    }
    for (key, foreign_key) in &table.foreign_keys {
        if old.and_then(|old| old.foreign_keys.get(key)) != Some(foreign_key) {
            objects.push(constraint(key));
        }
    }
    for (key, check) in &table.checks {
        if old.and_then(|old| old.checks.get(key)) != Some(check) {
            objects.push(constraint(key));
        }
    }
    for (index_name, index) in &table.indexes {
        if old.and_then(|old| old.indexes.get(index_name)) != Some(index) {
            objects.push(ObjectRef::Index(name.clone(), index_name.clone()));
        }
    }
    for (trigger_name, trigger) in &table.triggers {
        if old.and_then(|old| old.triggers.get(trigger_name)) != Some(trigger) {
            objects.push(ObjectRef::Trigger(name.clone(), trigger_name.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{ParseOptions, parse_schema_with_hints};
    use driftless_model::{Dialect, Hints, ObjectRef, QualifiedName, RenameHint, Suppression};
    use std::collections::BTreeSet;

    fn hints(sql: &str) -> Hints {
        parse_schema_with_hints(sql, &ParseOptions::new(Dialect::Postgres)).unwrap().hints
    }

    fn error(sql: &str) -> String {
        parse_schema_with_hints(sql, &ParseOptions::new(Dialect::Postgres)).unwrap_err().to_string()
    }

    fn t(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    fn codes(list: &[&str]) -> Option<BTreeSet<String>> {
        Some(list.iter().map(|c| c.to_string()).collect())
    }

    #[test]
    fn renames_attach_to_the_table_or_the_column_they_sit_on() {
        let sql = r#"
create table accounts ( -- @renamed from=old_accounts
  id bigint primary key,
  username varchar(100) not null, -- driftless:renamed from=user_name
  -- driftless:renamed from="E-mail"
  email text,
  is_active boolean
);
create table new_users /* @renamed from=old_users */ (id int);
create table last (id int) -- @renamed from=previous
"#;
        assert_eq!(
            hints(sql).renames,
            vec![
                RenameHint::Table { name: t("accounts"), from: "old_accounts".into(), line: 2 },
                RenameHint::Column { table: t("accounts"), name: "username".into(), from: "user_name".into(), line: 4 },
                RenameHint::Column { table: t("accounts"), name: "email".into(), from: "E-mail".into(), line: 5 },
                RenameHint::Table { name: t("new_users"), from: "old_users".into(), line: 9 },
                RenameHint::Table { name: t("last"), from: "previous".into(), line: 10 },
            ]
        );
    }

    #[test]
    fn renames_attach_to_a_named_index_an_enum_type_or_a_label() {
        let sql = r#"
create table t (a int, b int);
create index new_idx /* @renamed from=old_idx */ on t (a);
-- driftless:renamed from=Old_B
create index app_b on t (b);
create type status as enum ( -- @renamed from=state
  'open',
  'done', -- @renamed from=finished
  'closed' /* driftless:renamed from=Closed_Out */
);
create type level as enum (
  -- @renamed from=levels
  'low'
);
create type mood as enum ('sad', 'happy') /* @renamed from=feeling */;
"#;
        assert_eq!(
            hints(sql).renames,
            vec![
                RenameHint::Index { table: t("t"), name: "new_idx".into(), from: "old_idx".into(), line: 3 },
                RenameHint::Index { table: t("t"), name: "app_b".into(), from: "old_b".into(), line: 4 },
                RenameHint::Type { name: t("status"), from: "state".into(), line: 6 },
                RenameHint::Label { enum_type: t("status"), name: "done".into(), from: "finished".into(), line: 8 },
                RenameHint::Label { enum_type: t("status"), name: "closed".into(), from: "Closed_Out".into(), line: 9 },
                RenameHint::Type { name: t("level"), from: "levels".into(), line: 12 },
                RenameHint::Type { name: t("mood"), from: "feeling".into(), line: 15 },
            ]
        );
    }

    #[test]
    fn nolint_covers_what_its_statement_declared() {
        let sql = "
-- The users of the app.
-- driftless:nolint DS103

create table users (id int primary key, name text); create index on users (name); -- driftless:nolint PG101
alter table users add column age int not null; -- driftless:nolint
create table orders (
  id int,
  total numeric -- driftless:nolint MF103 MF105
);
";
        let suppressions = hints(sql).suppressions;
        let on = |object: ObjectRef, codes: Option<BTreeSet<String>>, line: usize| Suppression { object, codes, line };
        assert_eq!(
            suppressions,
            vec![
                on(ObjectRef::Relation(t("users")), codes(&["DS103"]), 3),
                on(ObjectRef::Column(t("users"), "id".into()), codes(&["DS103"]), 3),
                on(ObjectRef::Column(t("users"), "name".into()), codes(&["DS103"]), 3),
                on(ObjectRef::Constraint(t("users"), "users_pkey".into()), codes(&["DS103"]), 3),
                on(ObjectRef::Index(t("users"), "users_name_idx".into()), codes(&["PG101"]), 5),
                on(ObjectRef::Column(t("users"), "age".into()), None, 6),
                on(ObjectRef::Column(t("orders"), "total".into()), codes(&["MF103", "MF105"]), 9),
            ]
        );
    }

    #[test]
    fn misplaced_or_malformed_directives_are_errors() {
        for (sql, message) in [
            (
                "create table t (a int);\ncreate index on t (a); -- driftless:renamed from=j",
                "line 2: `create index on t (a);`: a rename hint goes on",
            ),
            ("create table t (a int);\nalter table t add column b int; -- @renamed from=c", "a rename hint goes on"),
            ("create table t (a int,\n  primary key (a) -- driftless:renamed from=k\n);", "a rename hint goes on"),
            (
                "create table t (a int);\n-- driftless:nolint DS102\n",
                "line 2: `-- driftless:nolint DS102`: this directive follows the last statement",
            ),
            ("-- driftless:nolint DS1\ncreate table t (a int);", "line 1:"),
            ("create table t (\n  a int -- driftless:renamd from=b\n);", "line 2:"),
        ] {
            let error = error(sql);
            assert!(error.contains(message), "{sql}\n{error}");
        }
    }
}
