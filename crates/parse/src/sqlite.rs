//! SQLite: desired DDL (and the `CREATE` texts SQLite keeps in `sqlite_schema`) folded into the model.
//!
//! SQLite stores every `CREATE TABLE` and `CREATE INDEX` verbatim, so `driftless-inspect` reads the live side
//! through this same code: both sides are normalized by one set of rules (see `docs/normalization.md`,
//! SQLite section). Supported: tables (declared types, NOT NULL, DEFAULT, COLLATE, primary keys including the
//! `INTEGER PRIMARY KEY` rowid alias and AUTOINCREMENT, UNIQUE, CHECK, foreign keys with actions, generated
//! columns), virtual tables, indexes (unique, partial, expression, descending keys), views, triggers and the
//! header values `PRAGMA application_id`/`user_version`. Other statements are refused with their line.

mod pragma;
mod trigger;
mod virtual_table;

use crate::build::tokens::leading_words;
use crate::hints::{self, Fold, Layout};
use crate::ident::{fold_parts_with, fold_untruncated as fold};
use crate::{ParseError, ParseOptions, ParsedSchema, SourceComment, SourceStatement, depth, excerpt};
use driftless_model::{
    Check, Column, CompactString, Database, Deferrable, Dialect, Expr, ForeignKey, Identity, Index, IndexKey,
    IndexPart, PrimaryKey, QualifiedName, ReferentialAction, SequenceOptions, Table, Trigger, TriggerTiming,
    UniqueConstraint, View,
};
use sqlparser::ast::{
    ColumnOption, CreateIndex, CreateTable, CreateView, DataType, Expr as SqlExpr, GeneratedExpressionMode, Ident,
    ObjectName, OrderBySort, ReferentialAction as SqlAction, SqliteTableOption, Statement, TableConstraint,
    TypeModifier,
};
use sqlparser::dialect::SQLiteDialect;
use sqlparser::tokenizer::TokenWithSpan;

// SQLite keeps names of any length: identifiers are folded as in PostgreSQL, never truncated.
fn fold_column(ident: &Ident) -> CompactString {
    fold(ident).into()
}

fn fold_parts(name: &ObjectName) -> Vec<String> {
    fold_parts_with(name, fold)
}

/// Builds a model from a desired file's SQLite statements, with what the comments around them say.
pub(crate) fn build(
    statements: &[SourceStatement],
    comments: &[SourceComment],
    options: &ParseOptions,
) -> Result<ParsedSchema, ParseError> {
    let mut builder = SqliteBuilder::new(options);
    let hints = hints::fold_statements(&mut builder, statements, comments)?;
    Ok(ParsedSchema { database: builder.finish(), hints, not_managed: crate::NotManaged::default() })
}

/// Builds a model from the texts of `sqlite_schema`. A comment kept in them was written for a past plan
/// and says nothing about the live database, so no directive is read.
pub(crate) fn build_stored(statements: &[SourceStatement]) -> Result<Database, ParseError> {
    let mut builder = SqliteBuilder::new(&ParseOptions::new(Dialect::Sqlite));
    for statement in statements {
        let tokens = builder.tokenize(statement)?;
        builder.fold(statement, tokens)?;
    }
    Ok(builder.finish())
}

struct SqliteBuilder {
    db: Database,
    /// SQLite's one schema, `main`.
    schema: String,
}

/// A constraint as declared, before it is named.
enum Constraint {
    PrimaryKey { name: Option<String>, columns: Vec<CompactString> },
    Unique { name: Option<String>, columns: Vec<CompactString> },
    ForeignKey { name: Option<String>, foreign_key: ForeignKey },
    Check { name: Option<String>, expr: Expr },
}

impl Fold for SqliteBuilder {
    fn stored_name(ident: &Ident) -> String {
        fold(ident)
    }

    fn model(&self) -> &Database {
        &self.db
    }

    fn tokenize(&mut self, statement: &SourceStatement) -> Result<Vec<TokenWithSpan>, ParseError> {
        depth::tokenize(&SQLiteDialect {}, statement)
    }

    fn fold(&mut self, statement: &SourceStatement, tokens: Vec<TokenWithSpan>) -> Result<Option<Layout>, ParseError> {
        let error = |message: String| ParseError::Unsupported {
            line: statement.line,
            excerpt: excerpt(&statement.sql),
            message,
        };
        let syntax =
            |message: String| ParseError::Syntax { line: statement.line, excerpt: excerpt(&statement.sql), message };
        match leading_words(&tokens, 3).iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["create", "virtual", "table"] => {
                let declared =
                    virtual_table::virtual_table(tokens, &statement.sql).map_err(|e| syntax(e.to_string()))?;
                return self.create_virtual_table(declared).map(|()| None).map_err(error);
            }
            ["pragma", ..] => {
                let (header, value) = pragma::header_value(tokens, &statement.sql).map_err(error)?;
                self.db.sqlite_header.insert(header, value);
                return Ok(None);
            }
            _ => {}
        }
        let (tokens, trigger_if_not_exists) = trigger::without_if_not_exists(tokens);
        let mut parsed = depth::parse_statement(&SQLiteDialect {}, statement, tokens)?;
        crate::literals::double_quotes_for_printing(&mut parsed);
        let layout = match &parsed {
            Statement::CreateTable(create) => {
                Some(Layout::table(create, self.qualify(&create.name).map_err(error)?, fold))
            }
            // SQLite has no statement to rename an index: the old one is dropped, the new one created
            Statement::CreateIndex(_) => Some(Layout::recreated()),
            _ => None,
        };
        let result = match parsed {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::CreateView(create) => self.create_view(create),
            Statement::CreateTrigger(create) => trigger::trigger(&create, &statement.sql)
                .and_then(|trigger| self.create_trigger(&create.table_name, trigger, trigger_if_not_exists)),
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Drop { .. }
            | Statement::Query(_) => {
                return Err(ParseError::NotDdl { line: statement.line, excerpt: excerpt(&statement.sql) });
            }
            _ => Err("only CREATE TABLE, CREATE VIRTUAL TABLE, CREATE INDEX, CREATE VIEW, CREATE TRIGGER and \
                      PRAGMA application_id/user_version are supported for SQLite"
                .to_string()),
        };
        result.map(|()| layout).map_err(error)
    }
}

impl SqliteBuilder {
    fn new(options: &ParseOptions) -> Self {
        let mut db = Database::new(options.dialect);
        db.schema_mut(&options.default_schema);
        SqliteBuilder { db, schema: options.default_schema.clone() }
    }

    fn finish(mut self) -> Database {
        self.resolve_foreign_keys();
        self.db
    }

    fn qualify(&self, name: &ObjectName) -> Result<QualifiedName, String> {
        let mut parts = fold_parts(name);
        let table = parts.pop().unwrap_or_default();
        match parts.pop() {
            None => Ok(QualifiedName::new(self.schema.clone(), table)),
            Some(schema) if schema == self.schema => Ok(QualifiedName::new(self.schema.clone(), table)),
            Some(schema) => Err(format!("SQLite has one schema, `{}`; `{schema}` is not managed", self.schema)),
        }
    }

    fn create_table(&mut self, create: CreateTable) -> Result<(), String> {
        if create.temporary {
            return Err("temporary tables are not part of a schema".into());
        }
        if create.query.is_some() {
            return Err("CREATE TABLE ... AS SELECT is not schema DDL".into());
        }
        let name = self.qualify(&create.name)?;
        if self.db.table(&name).is_some() {
            return if create.if_not_exists { Ok(()) } else { Err(format!("table {} is declared twice", name.name)) };
        }
        let mut table = Table::new(name.clone());
        for option in &create.sqlite_table_options.options {
            match option {
                SqliteTableOption::Strict => table.sqlite.strict = true,
                SqliteTableOption::WithoutRowid => table.sqlite.without_rowid = true,
            }
        }
        let mut constraints = Vec::new();
        for def in &create.columns {
            let column_name = fold(&def.name);
            if table.column(&column_name).is_some() {
                return Err(format!("column {column_name} is declared twice"));
            }
            let mut column = Column {
                name: column_name.as_str().into(),
                data_type: declared_type(&def.data_type)?.into(),
                nullable: true,
                ..Default::default()
            };
            for option in &def.options {
                let constraint_name = option.name.as_ref().map(fold);
                match &option.option {
                    ColumnOption::Null => column.nullable = true,
                    ColumnOption::NotNull => column.nullable = false,
                    ColumnOption::Default(value) => column.default = Some(Box::new(default_expr(value))),
                    ColumnOption::Collation(collation) => {
                        column.collation = fold_parts(collation).pop().map(Into::into)
                    }
                    ColumnOption::PrimaryKey(pk) => constraints.push(Constraint::PrimaryKey {
                        name: constraint_name.or(pk.name.as_ref().map(fold)),
                        columns: vec![column_name.as_str().into()],
                    }),
                    ColumnOption::Unique(unique) => constraints.push(Constraint::Unique {
                        name: constraint_name.or(unique.name.as_ref().map(fold)),
                        columns: vec![column_name.as_str().into()],
                    }),
                    ColumnOption::ForeignKey(fk) => constraints.push(Constraint::ForeignKey {
                        name: constraint_name.or(fk.name.as_ref().map(fold)),
                        foreign_key: ForeignKey {
                            not_valid: false,
                            match_full: false,
                            comment: None,
                            name: String::new(),
                            columns: vec![column_name.as_str().into()],
                            ref_table: self.qualify(&fk.foreign_table)?,
                            ref_columns: fk.referred_columns.iter().map(fold_column).collect(),
                            on_delete: action(fk.on_delete),
                            on_update: action(fk.on_update),
                            deferrable: Deferrable::NotDeferrable,
                        },
                    }),
                    ColumnOption::Check(check) => constraints.push(Constraint::Check {
                        name: constraint_name.or(check.name.as_ref().map(fold)),
                        expr: expression(&check.expr),
                    }),
                    ColumnOption::Generated { generation_expr: Some(generated), generation_expr_mode, .. } => {
                        column.generated = Some(Box::new(expression(generated)));
                        // SQLite's default is VIRTUAL
                        column.generated_virtual = generation_expr_mode != &Some(GeneratedExpressionMode::Stored);
                    }
                    ColumnOption::DialectSpecific(tokens)
                        if tokens.len() == 1 && tokens[0].to_string().eq_ignore_ascii_case("autoincrement") =>
                    {
                        column.identity = Some(Box::new(autoincrement()));
                    }
                    other => return Err(format!("column option `{other}` is not supported for SQLite yet")),
                }
            }
            table.columns.push(column);
        }
        for constraint in &create.constraints {
            constraints.push(self.table_constraint(constraint)?);
        }
        for constraint in constraints {
            add_constraint(&mut table, constraint)?;
        }
        if table.sqlite.without_rowid && table.primary_key.is_none() {
            return Err(format!("WITHOUT ROWID table {} needs a PRIMARY KEY", name.name));
        }
        if table.sqlite.without_rowid && table.columns.iter().any(|column| column.identity.is_some()) {
            return Err(format!("WITHOUT ROWID table {} cannot have an AUTOINCREMENT column", name.name));
        }
        self.db.schema_mut(&name.schema).tables.insert(name.name.clone(), table);
        Ok(())
    }

    fn table_constraint(&self, constraint: &TableConstraint) -> Result<Constraint, String> {
        let plain_columns = |columns: &[sqlparser::ast::IndexColumn]| {
            columns
                .iter()
                .map(|c| match &c.column.expr {
                    SqlExpr::Identifier(ident) => Ok(fold_column(ident)),
                    other => Err(format!("`{other}` is not a column; constraints take plain columns")),
                })
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(match constraint {
            TableConstraint::PrimaryKey(pk) => {
                Constraint::PrimaryKey { name: pk.name.as_ref().map(fold), columns: plain_columns(&pk.columns)? }
            }
            TableConstraint::Unique(unique) => {
                Constraint::Unique { name: unique.name.as_ref().map(fold), columns: plain_columns(&unique.columns)? }
            }
            TableConstraint::ForeignKey(fk) => Constraint::ForeignKey {
                name: fk.name.as_ref().map(fold),
                foreign_key: ForeignKey {
                    not_valid: false,
                    match_full: false,
                    comment: None,
                    name: String::new(),
                    columns: fk.columns.iter().map(fold_column).collect(),
                    ref_table: self.qualify(&fk.foreign_table)?,
                    ref_columns: fk.referred_columns.iter().map(fold_column).collect(),
                    on_delete: action(fk.on_delete),
                    on_update: action(fk.on_update),
                    deferrable: Deferrable::NotDeferrable,
                },
            },
            TableConstraint::Check(check) => {
                Constraint::Check { name: check.name.as_ref().map(fold), expr: expression(&check.expr) }
            }
            other => return Err(format!("constraint `{other}` is not supported for SQLite")),
        })
    }

    fn create_index(&mut self, create: CreateIndex) -> Result<(), String> {
        let table_name = self.qualify(&create.table_name)?;
        let Some(name) = create.name.as_ref().and_then(|n| fold_parts(n).pop()) else {
            return Err("SQLite indexes need a name".into());
        };
        let Some(table) = self.db.table_mut(&table_name) else {
            return Err(format!("table {} is not declared before this statement", table_name.name));
        };
        if table.indexes.contains_key(&name) {
            return if create.if_not_exists { Ok(()) } else { Err(format!("index {name} is declared twice")) };
        }
        let mut parts = Vec::new();
        for column in &create.columns {
            let (key, collation) = match &column.column.expr {
                SqlExpr::Identifier(ident) => (IndexKey::Column(fold_column(ident)), None),
                SqlExpr::Collate { expr, collation } => match &**expr {
                    SqlExpr::Identifier(ident) => (IndexKey::Column(fold_column(ident)), fold_parts(collation).pop()),
                    _ => (IndexKey::Expression(expression(&column.column.expr)), None),
                },
                other => (IndexKey::Expression(expression(other)), None),
            };
            if let IndexKey::Column(column_name) = &key
                && table.column(column_name).is_none()
            {
                return Err(format!("column {column_name} of {} does not exist", table_name.name));
            }
            parts.push(IndexPart {
                key,
                descending: matches!(column.column.options.sort, Some(OrderBySort::Desc)),
                nulls_first: None,
                collation,
                opclass: None,
            });
        }
        let index = Index {
            name: name.clone(),
            unique: create.unique,
            method: CompactString::default(),
            parts,
            include: Vec::new(),
            predicate: create.predicate.as_ref().map(expression),
            nulls_not_distinct: false,
            storage: Default::default(),
            comment: None,
        };
        table.indexes.insert(index);
        Ok(())
    }

    /// A view: its query compared as sqlparser prints it.
    fn create_view(&mut self, create: CreateView) -> Result<(), String> {
        if create.materialized || create.temporary {
            return Err("SQLite views are plain views".into());
        }
        if !create.columns.is_empty() {
            return Err("view column lists are not supported for SQLite yet; alias the columns in the query".into());
        }
        let name = self.qualify(&create.name)?;
        let schema = self.db.schema_mut(&name.schema);
        if schema.views.contains_key(&name.name) || schema.tables.contains_key(&name.name) {
            return if create.if_not_exists { Ok(()) } else { Err(format!("{} is declared twice", name.name)) };
        }
        let query = create.query.to_string();
        let view = View {
            options: Default::default(),
            name: name.clone(),
            query: Expr::new(query.clone(), query),
            materialized: false,
            indexes: Default::default(),
            triggers: Default::default(),
            comment: None,
        };
        schema.views.insert(name.name, view);
        Ok(())
    }

    /// A virtual table: a table whose module holds its columns and rows.
    fn create_virtual_table(&mut self, declared: virtual_table::Declared) -> Result<(), String> {
        let name = self.qualify(&declared.name)?;
        let schema = self.db.schema_mut(&name.schema);
        if schema.tables.contains_key(&name.name) || schema.views.contains_key(&name.name) {
            return if declared.if_not_exists { Ok(()) } else { Err(format!("{} is declared twice", name.name)) };
        }
        let table = Table { virtual_table: Some(declared.virtual_table), ..Table::new(name.clone()) };
        schema.tables.insert(name.name, table);
        Ok(())
    }

    /// A trigger of a table, or (`INSTEAD OF`) of a view. SQLite names triggers schema-wide.
    fn create_trigger(&mut self, owner: &ObjectName, trigger: Trigger, if_not_exists: bool) -> Result<(), String> {
        let owner = self.qualify(owner)?;
        let schema = self.db.schema_mut(&owner.schema);
        let taken =
            schema.tables.values().map(|table| &table.triggers).chain(schema.views.values().map(|v| &v.triggers));
        if taken.into_iter().any(|triggers| triggers.contains_key(&trigger.name)) {
            return if if_not_exists { Ok(()) } else { Err(format!("trigger {} is declared twice", trigger.name)) };
        }
        let instead_of = trigger.timing == TriggerTiming::InsteadOf;
        let triggers = match (schema.tables.get_mut(&owner.name), schema.views.get_mut(&owner.name)) {
            (Some(table), _) if table.virtual_table.is_some() => {
                return Err(format!("{} is a virtual table, which takes no triggers", owner.name));
            }
            (Some(table), _) if !instead_of => &mut table.triggers,
            (_, Some(view)) if instead_of => &mut view.triggers,
            (Some(_), _) => return Err(format!("INSTEAD OF triggers are for views; {} is a table", owner.name)),
            (_, Some(_)) => return Err(format!("a trigger of view {} is INSTEAD OF", owner.name)),
            (None, None) => return Err(format!("table {} is not declared before this statement", owner.name)),
        };
        triggers.insert(trigger);
        Ok(())
    }

    /// `REFERENCES parent` without columns means the parent's primary key, as in SQLite.
    fn resolve_foreign_keys(&mut self) {
        let primary_keys: Vec<(QualifiedName, Vec<CompactString>)> = self
            .db
            .schemas
            .values()
            .flat_map(|schema| schema.tables.values())
            .filter_map(|table| table.primary_key.as_ref().map(|pk| (table.name.clone(), pk.columns.clone())))
            .collect();
        for schema in self.db.schemas.values_mut() {
            for table in schema.tables.values_mut() {
                for foreign_key in table.foreign_keys.values_mut() {
                    if foreign_key.ref_columns.is_empty()
                        && let Some((_, columns)) = primary_keys.iter().find(|(name, _)| *name == foreign_key.ref_table)
                    {
                        foreign_key.ref_columns = columns.clone();
                    }
                }
            }
        }
    }
}

/// `AUTOINCREMENT` (on an `INTEGER PRIMARY KEY`: rowids are never reused) as the model's identity, generated
/// by default with the default options; SQLite keeps its counter in `sqlite_sequence`, which is not managed.
fn autoincrement() -> Identity {
    Identity { always: false, sequence: SequenceOptions::postgres_defaults("integer", 1) }
}

/// Names a constraint (explicit names are kept; implicit ones follow PostgreSQL's pattern, which SQLite does
/// not have: it names only the autoindexes) and adds it to the table.
fn add_constraint(table: &mut Table, constraint: Constraint) -> Result<(), String> {
    let table_name = table.name.name.clone();
    let taken = |table: &Table, name: &str| table.relation_names().any(|n| n == name);
    let choose = |table: &Table, base: String| {
        let mut candidate = base.clone();
        let mut number = 1;
        while taken(table, &candidate) {
            candidate = format!("{base}{number}");
            number += 1;
        }
        candidate
    };
    match constraint {
        Constraint::PrimaryKey { name, columns } => {
            if table.primary_key.is_some() {
                return Err(format!("table {table_name} has more than one primary key"));
            }
            let name = name.unwrap_or_else(|| format!("{table_name}_pkey"));
            table.primary_key = Some(PrimaryKey { comment: None, name, columns });
        }
        Constraint::Unique { name, columns } => {
            let name = name.unwrap_or_else(|| choose(table, format!("{table_name}_{}_key", columns.join("_"))));
            table.uniques.insert(UniqueConstraint {
                comment: None,
                name,
                columns,
                nulls_not_distinct: false,
                deferrable: Deferrable::NotDeferrable,
            });
        }
        Constraint::ForeignKey { name, foreign_key } => {
            let name =
                name.unwrap_or_else(|| choose(table, format!("{table_name}_{}_fkey", foreign_key.columns.join("_"))));
            table.foreign_keys.insert(ForeignKey { name, ..foreign_key });
        }
        Constraint::Check { name, expr } => {
            let name = name.unwrap_or_else(|| choose(table, format!("{table_name}_check")));
            table.checks.insert(Check { not_valid: false, comment: None, name, expr, no_inherit: false });
        }
    }
    Ok(())
}

/// A declared type as SQLite keeps it, in lower case with single spaces (`VARCHAR( 255 )` → `varchar(255)`).
/// SQLite keeps any type name; its affinity follows from the name, so the name is what is compared.
/// The declared type, spaced and cased as the model keeps it. SQLite's grammar allows names and then one or two
/// numbers in parentheses; sqlparser reads any words and strings there, which would not read back the same.
fn declared_type(data_type: &DataType) -> Result<String, String> {
    if let DataType::Custom(_, modifiers) = data_type {
        if modifiers.len() > 2 || !modifiers.iter().all(|m| matches!(m, TypeModifier::Number(_, false))) {
            return Err(format!("`{data_type}` is not a type: its size is one or two numbers in parentheses"));
        }
    }
    let spaced = data_type.to_string().split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    // a quoted name (`[a; b]`, `"x"`) could hold what ends a statement once the type is written back
    if !spaced.chars().all(|c| c.is_alphanumeric() || " _(),.+-".contains(c)) {
        return Err(format!("`{data_type}` is not a type name: words and a size in parentheses, without quotes"));
    }
    Ok(spaced.replace("( ", "(").replace(" )", ")").replace(" (", "(").replace(", ", ","))
}

/// An expression: the text to render is sqlparser's printing of it; the canonical form is the same text
/// (identical for both sides, which SQLite keeps verbatim).
fn expression(expr: &SqlExpr) -> Expr {
    let sql = expr.to_string();
    Expr::new(sql.clone(), sql)
}

/// A default as written: SQLite needs parentheses around anything but a literal, which the printing keeps;
/// the canonical form drops them so `DEFAULT (0)` equals `DEFAULT 0`.
fn default_expr(expr: &SqlExpr) -> Expr {
    let sql = expr.to_string();
    let canonical = match expr {
        SqlExpr::Nested(inner) if is_literal(inner) => inner.to_string(),
        _ => sql.clone(),
    };
    Expr::new(sql, canonical)
}

fn is_literal(expr: &SqlExpr) -> bool {
    match expr {
        SqlExpr::Value(_) => true,
        SqlExpr::UnaryOp { expr, .. } => matches!(**expr, SqlExpr::Value(_)),
        _ => false,
    }
}

fn action(action: Option<SqlAction>) -> ReferentialAction {
    match action {
        None | Some(SqlAction::NoAction) => ReferentialAction::NoAction,
        Some(SqlAction::Restrict) => ReferentialAction::Restrict,
        Some(SqlAction::Cascade) => ReferentialAction::Cascade,
        Some(SqlAction::SetNull) => ReferentialAction::SetNull,
        Some(SqlAction::SetDefault) => ReferentialAction::SetDefault,
    }
}

#[cfg(test)]
mod tests {
    use crate::{ParseOptions, parse_schema};
    use driftless_model::sqlite::HeaderValue;
    use driftless_model::{
        Dialect, IndexKey, QualifiedName, ReferentialAction, Trigger, TriggerAction, TriggerEvent, TriggerTiming,
    };

    fn parse(sql: &str) -> driftless_model::Database {
        parse_schema(sql, &ParseOptions::new(Dialect::Sqlite)).unwrap()
    }

    #[test]
    fn a_type_size_is_one_or_two_numbers() {
        let db = parse("create table t (a decimal(10, 2), b mytype(8), c numeric(1.5))");
        let t = db.table(&QualifiedName::new("main", "t")).unwrap();
        let types: Vec<&str> = t.columns.iter().map(|c| c.data_type.as_str()).collect();
        assert_eq!(types, ["decimal(10,2)", "mytype(8)", "numeric(1.5)"]);
        for sql in
            ["create table t (a mytype(8, b int))", "create table t (a mytype(1, 2, 3))", "create table t (a x('s'))"]
        {
            let error = parse_schema(sql, &ParseOptions::new(Dialect::Sqlite)).unwrap_err();
            assert!(error.to_string().contains("one or two numbers"), "{sql}: {error}");
        }
    }

    #[test]
    fn a_quoted_type_name_is_refused() {
        // found by the render_round_trip fuzz target: a bracketed name held a `;`, which ended the rendered
        // CREATE TABLE there
        for sql in ["create table t (a [x; drop table t])", "create table t (a \"my type\")"] {
            let error = parse_schema(sql, &ParseOptions::new(Dialect::Sqlite)).unwrap_err();
            assert!(error.to_string().contains("is not a type name"), "{sql}: {error}");
        }
    }

    #[test]
    fn tables_keep_declared_types_and_get_implicit_constraint_names() {
        let db = parse(
            "CREATE TABLE Users (id INTEGER PRIMARY KEY, email VARCHAR( 255 ) NOT NULL UNIQUE, \
             age int CHECK (age >= 0), team_id integer REFERENCES teams ON DELETE CASCADE);
             create table teams (id integer primary key, name text default 'x');",
        );
        let users = db.table(&QualifiedName::new("main", "users")).unwrap();
        assert_eq!(users.column("email").unwrap().data_type, "varchar(255)");
        assert!(!users.column("email").unwrap().nullable);
        assert_eq!(users.primary_key.as_ref().unwrap().columns, ["id"]);
        assert!(users.uniques.contains_key("users_email_key"));
        assert!(users.checks.contains_key("users_check"));
        let fk = &users.foreign_keys["users_team_id_fkey"];
        assert_eq!(fk.ref_columns, ["id"], "REFERENCES t means t's primary key");
        assert_eq!(fk.on_delete, ReferentialAction::Cascade);
    }

    #[test]
    fn long_names_are_kept_whole() {
        let long = "a_column_name_longer_than_the_sixty_three_bytes_postgresql_would_keep";
        let db = parse(&format!("create table t (\"{long}\" int unique);"));
        let t = db.table(&QualifiedName::new("main", "t")).unwrap();
        assert!(t.column(long).is_some());
        assert!(t.uniques.contains_key(format!("t_{long}_key").as_str()));
    }

    #[test]
    fn generated_columns_are_virtual_unless_stored() {
        let db = parse("create table t (c int, v int as (c + 1), w int generated always as (c * 2) stored);");
        let table = db.table(&QualifiedName::new("main", "t")).unwrap();
        assert!(table.column("v").unwrap().generated_virtual);
        assert!(!table.column("w").unwrap().generated_virtual);
        assert_eq!(table.column("w").unwrap().generated.as_ref().unwrap().canonical, "c * 2");
    }

    #[test]
    fn autoincrement_is_an_identity_of_the_rowid_key() {
        let db = parse("create table t (id integer primary key autoincrement, name text);");
        let table = db.table(&QualifiedName::new("main", "t")).unwrap();
        assert!(table.column("id").unwrap().identity.is_some());
        assert_eq!(table.primary_key.as_ref().unwrap().columns, ["id"]);
    }

    #[test]
    fn defaults_in_parentheses_equal_bare_literals() {
        let a = parse("create table t (n integer default (0));");
        let b = parse("create table t (n integer default 0);");
        assert_eq!(a, b);
    }

    #[test]
    fn indexes_take_columns_expressions_and_predicates() {
        let db = parse(
            "create table t (a text, b int);
             create unique index t_a on t (a desc) where b > 0;
             create index t_lower on t (lower(a));",
        );
        let table = db.table(&QualifiedName::new("main", "t")).unwrap();
        assert!(table.indexes["t_a"].unique && table.indexes["t_a"].parts[0].descending);
        assert_eq!(table.indexes["t_a"].predicate.as_ref().unwrap().canonical, "b > 0");
        assert!(matches!(table.indexes["t_lower"].parts[0].key, IndexKey::Expression(_)));
    }

    #[test]
    fn other_statements_are_refused_with_their_line() {
        let options = ParseOptions::new(Dialect::Sqlite);
        let error = parse_schema("create table t (a int);\ninsert into t values (1);", &options).unwrap_err();
        assert_eq!(error.line(), 2);
        let error = parse_schema("create table t (a int);\n\nPRAGMA journal_mode = WAL;", &options).unwrap_err();
        assert_eq!(error.line(), 3);
        assert!(error.to_string().contains("PRAGMA journal_mode is not part of a schema"), "{error}");
        let error = parse_schema(
            "create table t (a int);\ncreate trigger g after insert on nowhere begin select 1; end;",
            &options,
        )
        .unwrap_err();
        assert_eq!(error.line(), 2);
        assert!(error.to_string().contains("nowhere is not declared"), "{error}");
    }

    fn trigger(db: &driftless_model::Database, owner: &str, name: &str) -> Trigger {
        let schema = &db.schemas["main"];
        let triggers = schema.tables.get(owner).map(|t| &t.triggers).unwrap_or_else(|| &schema.views[owner].triggers);
        triggers[name].clone()
    }

    #[test]
    fn triggers_keep_timing_event_columns_and_when() {
        let db = parse(
            "create table t (a int, b int);
             create view v as select a from t;
             create trigger if not exists t_upd after update of b, a on t for each row when new.a > 0
             begin update t set b = 1 where a = new.a; end;
             create trigger t_ins insert on t begin select raise(abort, 'no'); end;
             create trigger v_del instead of delete on v begin delete from t where a = old.a; end;",
        );
        let updated = trigger(&db, "t", "t_upd");
        assert_eq!(updated.timing, TriggerTiming::After);
        assert_eq!(updated.events, [TriggerEvent::Update { columns: vec!["b".into(), "a".into()] }]);
        assert_eq!(updated.when.as_ref().unwrap().canonical, "new.a > 0");
        let TriggerAction::Body { body } = &updated.action else { panic!("{updated:?}") };
        assert_eq!(body.sql, "update t set b = 1 where a = new.a;", "as written, between BEGIN and END");
        assert_eq!(trigger(&db, "t", "t_ins").timing, TriggerTiming::Before, "SQLite's default");
        assert_eq!(trigger(&db, "v", "v_del").timing, TriggerTiming::InsteadOf);
    }

    #[test]
    fn trigger_bodies_compare_without_layout_and_comments() {
        let a = parse(
            "create table t (a int);\ncreate trigger g after insert on t begin delete from t where a=new.a; end;",
        );
        let b = parse(
            "create table t (a int);\nCREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW\nBEGIN\n  -- why\n  DELETE FROM t\n    WHERE a = NEW.a;\nEND;",
        );
        assert_eq!(a, b);
        let c = parse(
            "create table t (a int);\ncreate trigger g after insert on t begin delete from t where a=new.a+1; end;",
        );
        assert_ne!(a, c);
    }

    #[test]
    fn triggers_are_refused_where_sqlite_refuses_them() {
        let options = ParseOptions::new(Dialect::Sqlite);
        let refused = |sql: &str| parse_schema(sql, &options).unwrap_err().to_string();
        let base = "create table t (a int); create view v as select a from t;";
        assert!(
            refused(&format!("{base} create trigger g instead of insert on t begin select 1; end;"))
                .contains("INSTEAD OF triggers are for views")
        );
        assert!(
            refused(&format!("{base} create trigger g after insert on v begin select 1; end;"))
                .contains("a trigger of view v is INSTEAD OF")
        );
        assert!(
            refused(&format!("{base} create temp trigger g after insert on t begin select 1; end;"))
                .contains("temporary")
        );
        let twice = format!(
            "{base} create trigger g after insert on t begin select 1; end; create trigger g after delete on t begin select 1; end;"
        );
        assert!(refused(&twice).contains("declared twice"));
    }

    #[test]
    fn virtual_tables_keep_module_and_arguments_as_written() {
        let db = parse(
            "create table notes (id integer primary key, body text);
             CREATE VIRTUAL TABLE notes_fts USING FTS5(body, content = 'notes', tokenize='porter unicode61');",
        );
        let table = db.table(&QualifiedName::new("main", "notes_fts")).unwrap();
        let virtual_table = table.virtual_table.as_ref().unwrap();
        assert_eq!(virtual_table.module, "fts5");
        let written: Vec<&str> = virtual_table.args.iter().map(|arg| arg.sql.as_str()).collect();
        assert_eq!(written, ["body", "content = 'notes'", "tokenize='porter unicode61'"]);
        assert!(table.columns.is_empty());
        let spaced = parse(
            "create table notes (id integer primary key, body text);
             create virtual table notes_fts using fts5(body,content='notes' , tokenize = 'porter unicode61');",
        );
        assert_eq!(db, spaced, "arguments compare by their tokens");
        let error = parse_schema("create virtual table f using fts5(a, b;", &ParseOptions::new(Dialect::Sqlite));
        assert!(error.unwrap_err().to_string().contains("closing the module arguments"));
    }

    #[test]
    fn header_pragmas_are_values_of_the_model() {
        let db = parse("PRAGMA application_id = 0x63616c69;\npragma main.user_version=27;");
        assert_eq!(db.sqlite_header[&HeaderValue::ApplicationId], 0x63616c69);
        assert_eq!(db.sqlite_header[&HeaderValue::UserVersion], 27);
        assert_eq!(parse("pragma user_version(-3);").sqlite_header[&HeaderValue::UserVersion], -3);
        assert!(parse("create table t (a int);").sqlite_header.is_empty(), "not declared, not managed");
        let options = ParseOptions::new(Dialect::Sqlite);
        let refused = |sql: &str| parse_schema(sql, &options).unwrap_err().to_string();
        assert!(refused("pragma user_version = 4294967296;").contains("32-bit"));
        assert!(refused("pragma user_version = X'1B';").contains("32-bit"), "a blob is no number");
        assert!(refused("pragma user_version;").contains("reads the value"));
        assert!(refused("pragma foreign_keys = off;").contains("not part of a schema"));
    }
}
