//! Directives in the desired SQL, for every dialect: which object a directive comment is about (see
//! `docs/lint.md`, "In-file directives"). Each dialect's builder folds statements through [`fold_statements`],
//! so PostgreSQL, MySQL and SQLite read the same hints by the same rules.
//!
//! - A comment before a statement, trailing it on the line it ends, or inside it but outside any column
//!   definition is about the statement. `nolint` then covers every object the statement declared or changed
//!   (found by comparing the model before and after the statement); `renamed` must be on `CREATE TABLE`,
//!   `CREATE INDEX` (with a name) or `CREATE TYPE ... AS ENUM`.
//! - Inside `CREATE TABLE (...)`, a comment on the line a column definition ends on, or on its own line just
//!   before a column definition, is about that column; the same for an index declared among the table's
//!   constraints (MySQL's `INDEX name (...)`). On another table constraint's line it is about the statement,
//!   and `renamed` is refused there (constraints are not renamed by hint).
//! - Inside `CREATE TYPE ... AS ENUM (...)`, a comment on the line a label ends on, after it, is about that
//!   label; one on its own line is about the statement.

use crate::directive::{self, Directive};
use crate::{ParseError, SourceComment, SourceStatement, excerpt};
use driftless_model::{Database, Hints, ObjectRef, QualifiedName, RenameHint, Suppression, Table};
use sqlparser::ast::{CreateTable, Ident, TableConstraint};
use sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace};
use std::collections::BTreeSet;

/// A dialect's builder, as the directives see it: statements folded one at a time into a model.
pub(crate) trait Fold {
    /// The name the dialect stores for an identifier as written: a column definition's, a rename hint's old
    /// name.
    fn stored_name(ident: &Ident) -> String;

    /// The model folded so far.
    fn model(&self) -> &Database;

    /// Schemas a statement created so far. Only PostgreSQL has `CREATE SCHEMA`, whose `public` changes no
    /// model but is still a declaration a `nolint` covers.
    fn created_schemas(&self) -> &BTreeSet<String> {
        static NONE: BTreeSet<String> = BTreeSet::new();
        &NONE
    }

    /// The statement's tokens, comments included.
    fn tokenize(&mut self, statement: &SourceStatement) -> Result<Vec<TokenWithSpan>, ParseError>;

    /// Folds one statement into the model; for a statement that can carry a rename hint, returns what it
    /// declares and where its columns or labels sit.
    fn fold(&mut self, statement: &SourceStatement, tokens: Vec<TokenWithSpan>) -> Result<Option<Layout>, ParseError>;
}

/// Folds every statement into `builder`'s model and returns what the comments around and inside them say.
pub(crate) fn fold_statements<F: Fold>(
    builder: &mut F,
    statements: &[SourceStatement],
    comments: &[SourceComment],
) -> Result<Hints, ParseError> {
    let mut hints = Hints::default();
    for (index, statement) in statements.iter().enumerate() {
        let around: Vec<&SourceComment> = comments.iter().filter(|c| c.statement == Some(index)).collect();
        let tokens = builder.tokenize(statement)?;
        crate::ident::refuse_unprintable_quotes(statement, &tokens)?;
        let directives =
            read(statement, &around, &tokens).map_err(|(line, message)| invalid(statement, line, message))?;
        if directives.is_empty() {
            builder.fold(statement, tokens)?;
            continue;
        }
        // Comparing the model before and after tells what the statement declared; only worth a copy when a
        // suppression needs it.
        let wants_objects = directives.iter().any(Placed::is_nolint);
        let before = wants_objects.then(|| (builder.model().clone(), builder.created_schemas().clone()));
        let layout = builder.fold(statement, tokens)?;
        let after = (builder.model(), builder.created_schemas());
        record::<F>(directives, statement, layout.as_ref(), before.as_ref(), after, &mut hints)?;
    }
    // A directive after the last statement is about nothing; saying so beats ignoring it.
    for comment in comments.iter().filter(|c| c.statement.is_none()) {
        let fail =
            |message: String| ParseError::Invalid { line: comment.line, excerpt: excerpt(&comment.text), message };
        if directive::read(&comment.text).map_err(fail)?.is_some() {
            return Err(fail(
                "this directive follows the last statement; put it before the statement it is about".into(),
            ));
        }
    }
    Ok(hints)
}

fn invalid(statement: &SourceStatement, line: usize, message: String) -> ParseError {
    ParseError::Invalid { line, excerpt: excerpt(&statement.sql), message }
}

/// A directive and where its comment sits.
struct Placed {
    directive: Directive,
    /// Absolute line of the comment (1-based).
    line: usize,
    place: Place,
}

impl Placed {
    fn is_nolint(&self) -> bool {
        matches!(self.directive, Directive::NoLint(_))
    }
}

enum Place {
    /// Before or after the statement, or inside it but outside its parentheses.
    Outside,
    /// Inside the statement, at a (line, column) relative to it; `trailing` when a token precedes it on its
    /// line; `next` is where the next token starts.
    Inside { at: (u64, u64), trailing: bool, next: Option<(u64, u64)> },
}

/// The directives of one statement, from the comments around it and inside it.
fn read(
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

/// A name, and where its definition starts (line, column) and the line it ends on, relative to the statement.
type Placement = (String, (u64, u64), u64);

/// What a statement that can carry a rename hint declares, and where the items inside its parentheses (a
/// table's column definitions, an enum's labels) sit, to tell which one a comment inside it is about.
pub(crate) struct Layout {
    subject: Subject,
    /// Name (as the dialect stores a column's, as written for a label), start (line, column) and last line of each item.
    items: Vec<Placement>,
    /// The same of each index declared among a table's constraints (MySQL's `INDEX name (...)`).
    indexes: Vec<Placement>,
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
    /// What the dialect cannot rename, only drop and create under the new name: a rename hint on it is
    /// accepted and asks for nothing more.
    Recreated,
}

impl Layout {
    /// A `CREATE TABLE`'s, with its column names as the dialect stores them.
    pub fn table(create: &CreateTable, table: QualifiedName, stored_name: fn(&Ident) -> String) -> Layout {
        let items = create
            .columns
            .iter()
            .map(|column| {
                let span = crate::depth::span(column);
                (stored_name(&column.name), (span.start.line, span.start.column), span.end.line)
            })
            .collect();
        let constraint_lines = create.constraints.iter().map(|c| crate::depth::span(c).start.line).collect();
        Layout { subject: Subject::Table(table), items, indexes: Vec::new(), constraint_lines, leading: true }
    }

    /// With the indexes among a `CREATE TABLE`'s constraints, named by `index_name` (`None` for other
    /// constraints): a directive on one is about that index.
    pub fn with_indexes(self, create: &CreateTable, index_name: fn(&TableConstraint) -> Option<String>) -> Layout {
        let indexes = create
            .constraints
            .iter()
            .filter_map(|constraint| {
                let span = crate::depth::span(constraint);
                Some((index_name(constraint)?, (span.start.line, span.start.column), span.end.line))
            })
            .collect();
        Layout { indexes, ..self }
    }

    pub fn index(table: QualifiedName, name: String) -> Layout {
        Layout::without_items(Subject::Index { table, name })
    }

    /// A statement declaring what the dialect cannot rename (SQLite's indexes).
    pub fn recreated() -> Layout {
        Layout::without_items(Subject::Recreated)
    }

    pub fn enum_type(name: QualifiedName, labels: &[Ident]) -> Layout {
        let items = labels
            .iter()
            .map(|label| (label.value.clone(), (label.span.start.line, label.span.start.column), label.span.end.line))
            .collect();
        Layout { items, ..Layout::without_items(Subject::Enum(name)) }
    }

    fn without_items(subject: Subject) -> Layout {
        Layout { subject, items: Vec::new(), indexes: Vec::new(), constraint_lines: Vec::new(), leading: false }
    }
}

enum Owner {
    Statement,
    /// A column definition or an enum label.
    Item(String),
    /// An index declared among a table's constraints.
    Index(String),
    Constraint,
}

fn owner(place: &Place, layout: Option<&Layout>) -> Owner {
    let (Place::Inside { at, trailing, next }, Some(layout)) = (place, layout) else {
        return Owner::Statement;
    };
    let line = at.0;
    if *trailing {
        let ends_here = |(_, start, end_line): &&Placement| *end_line == line && start < at;
        if let Some((name, _, _)) = layout.items.iter().rev().find(ends_here) {
            return Owner::Item(name.clone());
        }
        if let Some((name, _, _)) = layout.indexes.iter().rev().find(ends_here) {
            return Owner::Index(name.clone());
        }
        if layout.constraint_lines.contains(&line) {
            return Owner::Constraint;
        }
        return Owner::Statement;
    }
    if !layout.leading {
        return Owner::Statement;
    }
    let starts_next = |(_, start, _): &&Placement| Some(*start) == *next;
    if let Some((name, _, _)) = layout.indexes.iter().find(starts_next) {
        return Owner::Index(name.clone());
    }
    match layout.items.iter().find(starts_next) {
        Some((name, _, _)) => Owner::Item(name.clone()),
        None if next.is_some_and(|(next_line, _)| layout.constraint_lines.contains(&next_line)) => Owner::Constraint,
        None => Owner::Statement,
    }
}

const RENAME_PLACE: &str = "a rename hint goes on a CREATE TABLE, a named CREATE INDEX or a CREATE TYPE ... AS ENUM \
     statement, on a column definition, a named index inside CREATE TABLE (MySQL) or an enum label";

/// Records the directives of the statement just folded into `hints`. `before` is the model and the schemas
/// created before the statement (taken when a `nolint` needs to know what it declared), `after` and
/// `created_after` the same once it is folded.
fn record<F: Fold>(
    directives: Vec<Placed>,
    statement: &SourceStatement,
    layout: Option<&Layout>,
    before: Option<&(Database, BTreeSet<String>)>,
    (after, created_after): (&Database, &BTreeSet<String>),
    hints: &mut Hints,
) -> Result<(), ParseError> {
    let misplaced = |line: usize| invalid(statement, line, RENAME_PLACE.to_string());
    for Placed { directive, line, place } in directives {
        let subject = layout.map(|layout| &layout.subject);
        match (owner(&place, layout), directive) {
            (Owner::Item(item), Directive::NoLint(codes)) => {
                let object = match subject {
                    Some(Subject::Table(table)) => ObjectRef::Column(table.clone(), item),
                    Some(Subject::Enum(name)) => ObjectRef::Type(name.clone()),
                    _ => unreachable!("items come from a table's or an enum's layout"),
                };
                hints.suppressions.push(Suppression { object, codes, line });
            }
            (Owner::Item(name), Directive::Renamed { from }) => {
                let hint = match subject {
                    Some(Subject::Table(table)) => {
                        RenameHint::Column { table: table.clone(), name, from: F::stored_name(&from), line }
                    }
                    // labels are case-sensitive strings, taken as written
                    Some(Subject::Enum(enum_type)) => {
                        RenameHint::Label { enum_type: enum_type.clone(), name, from: from.value, line }
                    }
                    _ => unreachable!("items come from a table's or an enum's layout"),
                };
                hints.renames.push(hint);
            }
            (Owner::Index(index), directive) => {
                let Some(Subject::Table(table)) = subject else { unreachable!("indexes come from a table's layout") };
                match directive {
                    Directive::NoLint(codes) => {
                        let object = ObjectRef::Index(table.clone(), index);
                        hints.suppressions.push(Suppression { object, codes, line });
                    }
                    Directive::Renamed { from } => {
                        let from = F::stored_name(&from);
                        hints.renames.push(RenameHint::Index { table: table.clone(), name: index, from, line });
                    }
                }
            }
            (Owner::Statement | Owner::Constraint, Directive::NoLint(codes)) => {
                let (before, created_before) = before.expect("the model is kept when a nolint is present");
                // `CREATE SCHEMA public` declares the default schema, which the model holds from the start
                let created = created_after.difference(created_before).map(|s| ObjectRef::Schema(s.clone()));
                let mut objects = touched(before, after);
                objects.extend(created.filter(|schema| !objects.contains(schema)).collect::<Vec<_>>());
                for object in objects {
                    hints.suppressions.push(Suppression { object, codes: codes.clone(), line });
                }
            }
            (Owner::Statement, Directive::Renamed { from }) => {
                let from = F::stored_name(&from);
                let hint = match subject {
                    Some(Subject::Recreated) => continue,
                    Some(Subject::Table(name)) => RenameHint::Table { name: name.clone(), from, line },
                    Some(Subject::Index { table, name }) => {
                        RenameHint::Index { table: table.clone(), name: name.clone(), from, line }
                    }
                    Some(Subject::Enum(name)) => RenameHint::Type { name: name.clone(), from, line },
                    None => return Err(misplaced(line)),
                };
                hints.renames.push(hint);
            }
            (Owner::Constraint, Directive::Renamed { .. }) => return Err(misplaced(line)),
        }
    }
    Ok(())
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
    for (key, exclusion) in &table.exclusions {
        if old.and_then(|old| old.exclusions.get(key)) != Some(exclusion) {
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
        hints_in(Dialect::Postgres, sql)
    }

    fn hints_in(dialect: Dialect, sql: &str) -> Hints {
        parse_schema_with_hints(sql, &ParseOptions::new(dialect)).unwrap().hints
    }

    fn error(sql: &str) -> String {
        error_in(Dialect::Postgres, sql)
    }

    fn error_in(dialect: Dialect, sql: &str) -> String {
        parse_schema_with_hints(sql, &ParseOptions::new(dialect)).unwrap_err().to_string()
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

    #[test]
    fn mysql_reads_the_directives_with_names_as_written() {
        let sql = "
-- driftless:nolint DS103
create table Accounts ( -- @renamed from=OldAccounts
  id int primary key,
  UserName varchar(100), # driftless:renamed from=Login
  index ByLogin (UserName), -- @renamed from=Login_Index
  unique key ByEmail (UserName) -- driftless:nolint MF101
);
create index ByName on Accounts (UserName); -- driftless:renamed from=Name_Index
create table Orders (id int); /* driftless:nolint MF101 */
";
        let main = |name: &str| QualifiedName::new("main", name);
        let hints = hints_in(Dialect::Mysql, sql);
        assert_eq!(
            hints.renames,
            vec![
                RenameHint::Table { name: main("Accounts"), from: "OldAccounts".into(), line: 3 },
                RenameHint::Column { table: main("Accounts"), name: "UserName".into(), from: "Login".into(), line: 5 },
                RenameHint::Index {
                    table: main("Accounts"),
                    name: "ByLogin".into(),
                    from: "Login_Index".into(),
                    line: 6
                },
                RenameHint::Index {
                    table: main("Accounts"),
                    name: "ByName".into(),
                    from: "Name_Index".into(),
                    line: 9
                },
            ]
        );
        let on = |object: ObjectRef, codes: Option<BTreeSet<String>>, line: usize| Suppression { object, codes, line };
        assert_eq!(
            hints.suppressions,
            vec![
                on(ObjectRef::Relation(main("Accounts")), codes(&["DS103"]), 2),
                on(ObjectRef::Column(main("Accounts"), "id".into()), codes(&["DS103"]), 2),
                on(ObjectRef::Column(main("Accounts"), "UserName".into()), codes(&["DS103"]), 2),
                on(ObjectRef::Constraint(main("Accounts"), "PRIMARY".into()), codes(&["DS103"]), 2),
                on(ObjectRef::Index(main("Accounts"), "ByEmail".into()), codes(&["DS103"]), 2),
                on(ObjectRef::Index(main("Accounts"), "ByLogin".into()), codes(&["DS103"]), 2),
                on(ObjectRef::Index(main("Accounts"), "ByEmail".into()), codes(&["MF101"]), 7),
                on(ObjectRef::Relation(main("Orders")), codes(&["MF101"]), 10),
                on(ObjectRef::Column(main("Orders"), "id".into()), codes(&["MF101"]), 10),
            ]
        );
    }

    #[test]
    fn sqlite_reads_the_directives_and_recreates_a_renamed_index() {
        let sql = "
create table accounts ( -- @renamed from=Old_Accounts
  id integer primary key,
  login text -- driftless:renamed from=UserName
);
-- driftless:nolint DS103
create table t (a int);
";
        let main = |name: &str| QualifiedName::new("main", name);
        let hints = hints_in(Dialect::Sqlite, sql);
        assert_eq!(
            hints.renames,
            vec![
                RenameHint::Table { name: main("accounts"), from: "old_accounts".into(), line: 2 },
                RenameHint::Column { table: main("accounts"), name: "login".into(), from: "username".into(), line: 4 },
            ]
        );
        let covered: Vec<_> = hints.suppressions.iter().map(|s| (&s.object, s.line)).collect();
        assert_eq!(covered, [(&ObjectRef::Relation(main("t")), 6), (&ObjectRef::Column(main("t"), "a".into()), 6)]);
        let renamed_index = "create table t (a int);\ncreate index i on t (a); -- @renamed from=j";
        assert_eq!(hints_in(Dialect::Sqlite, renamed_index).renames, []);
        let error = error_in(Dialect::Mysql, "create table t (a int);\n# driftless:nolint DS1\n");
        assert!(error.contains("line 2:"), "{error}");
    }
}
