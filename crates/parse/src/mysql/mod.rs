//! MySQL and MariaDB: desired DDL read with sqlparser's MySQL dialect into the model, normalized the way
//! MariaDB stores it (`docs/normalization.md`, MySQL section): types as `COLUMN_TYPE` prints them, defaults as
//! `COLUMN_DEFAULT` does, implicit index, foreign key and check names as the server chooses them, the index a
//! foreign key needs created when no index starts with its columns. A schema is a database; unqualified
//! names land in the connection's database. Tables, indexes and views are read; other statements are
//! refused with their line.

mod binary_attribute;
mod catalog_text;
mod forms;
mod partition;
mod session;
mod trigger;
mod unmodelled;
mod validate;

pub use catalog_text::refuse_outside_utf8mb3;
pub use forms::{canonical_expr, canonical_query, column_default, column_type};
pub use trigger::trigger;

use crate::hints::{self, Layout};
use crate::{ParseError, ParseOptions, ParsedSchema, SourceComment, SourceStatement, excerpt};
use driftless_model::mysql::{
    DEFAULT_ENGINE, TableOptions, auto_increment, default_collation, escape_backslashes, quote_literal,
};
use driftless_model::{
    Check, Column, CompactString, Database, Deferrable, Expr, ForeignKey, Index, IndexKey, IndexPart, PrimaryKey,
    QualifiedName, ReferentialAction, Table, TriggerAction, View,
};
use sqlparser::ast::{
    AlterTable, AlterTableOperation, ColumnOption, CreateIndex, CreateTable, CreateTableOptions, CreateView, DataType,
    EnumMember, Expr as SqlExpr, FlushType, FunctionArg, FunctionArgExpr, FunctionArguments, GeneratedExpressionMode,
    Ident, IndexColumn, IndexOption, ObjectName, ObjectNamePart, ObjectType, OrderBySort,
    ReferentialAction as SqlAction, SqlOption, Statement, TableConstraint, Value, ValueWithSpan, VisitMut, VisitorMut,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use std::ops::ControlFlow;

/// Builds a model from MySQL statements, with what the comments around them say.
pub(crate) fn build(
    statements: &[SourceStatement],
    comments: &[SourceComment],
    options: &ParseOptions,
) -> Result<ParsedSchema, ParseError> {
    let mut builder = Builder {
        db: Database::new(options.dialect),
        schema: options.default_schema.clone(),
        named_foreign_keys: Vec::new(),
        dropped_ahead: Vec::new(),
        not_managed: crate::NotManaged::default(),
    };
    builder.db.schema_mut(&options.default_schema);
    let hints = hints::fold_statements(&mut builder, statements, comments)?;
    if let Some(dropped) = builder.dropped_ahead.iter().find(|dropped| builder.db.table(&dropped.table).is_none()) {
        return Err(ParseError::Unsupported {
            line: dropped.line,
            excerpt: dropped.excerpt.clone(),
            message: format!(
                "drops table {}, which the file does not create: a desired schema declares what should exist, \
                 and Driftless drops what it does not declare",
                dropped.table
            ),
        });
    }
    builder.drop_full_length_prefixes();
    builder.settle_view_queries();
    builder.add_foreign_key_indexes();
    Ok(ParsedSchema { database: builder.db, hints, not_managed: builder.not_managed })
}

struct Builder {
    db: Database,
    schema: String,
    /// Foreign keys declared with a name (`CONSTRAINT name FOREIGN KEY`): InnoDB names their index after
    /// them; the others' index takes its first column's name.
    named_foreign_keys: Vec<(QualifiedName, String)>,
    dropped_ahead: Vec<session::DroppedAhead>,
    not_managed: crate::NotManaged,
}

/// A MySQL name as stored: as written (MariaDB keeps the case of table and column names).
fn name(ident: &Ident) -> String {
    ident.value.clone()
}

/// [`name`], as the model holds column names.
fn column_ident(ident: &Ident) -> CompactString {
    ident.value.as_str().into()
}

fn last_part(name: &ObjectName) -> String {
    match name.0.last() {
        Some(ObjectNamePart::Identifier(ident)) => ident.value.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

impl hints::Fold for Builder {
    fn stored_name(ident: &Ident) -> String {
        name(ident)
    }

    fn model(&self) -> &Database {
        &self.db
    }

    fn tokenize(&mut self, statement: &SourceStatement) -> Result<Vec<TokenWithSpan>, ParseError> {
        let mut tokens = crate::depth::tokenize(&MySqlDialect {}, statement)?;
        binary_attribute::rewrite(&mut tokens).map_err(|message| ParseError::Unsupported {
            line: statement.line,
            excerpt: excerpt(&statement.sql),
            message,
        })?;
        Ok(tokens)
    }

    fn fold(
        &mut self,
        statement: &SourceStatement,
        mut tokens: Vec<TokenWithSpan>,
    ) -> Result<Option<Layout>, ParseError> {
        let line = statement.line;
        let unsupported = |message: String| ParseError::Unsupported { line, excerpt: excerpt(&statement.sql), message };
        if trigger::is_create_trigger(&tokens) {
            let declared = trigger::create_trigger(tokens, &statement.sql).map_err(unsupported)?;
            return self.add_trigger(declared).map(|()| None).map_err(unsupported);
        }
        let partitioning = partition::split_off(&mut tokens);
        if let Some(clause) = &partitioning
            && let Some(table) = bare_alter_table(&tokens)
        {
            let table = self.qualify(&table);
            return self.partition(&table, clause.clone()).map(|()| None).map_err(unsupported);
        }
        let mut parsed = crate::depth::parse_statement(&MySqlDialect {}, statement, tokens)?;
        let partitioned = match (&parsed, partitioning) {
            (_, None) => None,
            (Statement::CreateTable(create), Some(clause)) => Some((self.qualify(&create.name), clause)),
            (Statement::AlterTable(alter), Some(clause)) => Some((self.qualify(&alter.name), clause)),
            (_, Some(_)) => return Err(unsupported("PARTITION BY belongs to CREATE TABLE or ALTER TABLE".into())),
        };
        let _ = parsed.visit(&mut EscapeForPrinting);
        let layout = match &parsed {
            Statement::CreateTable(create) => {
                Some(Layout::table(create, self.qualify(&create.name), name).with_indexes(create, declared_index_name))
            }
            Statement::CreateIndex(CreateIndex { name: Some(index), table_name, .. }) => {
                Some(Layout::index(self.qualify(table_name), last_part(index)))
            }
            _ => None,
        };
        let result = match parsed {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::CreateView(create) => self.create_view(create, &statement.sql),
            Statement::AlterTable(alter) => self.alter_table(alter),
            Statement::Set(set) => self.set(set),
            Statement::LockTables { .. } | Statement::UnlockTables => Ok(()),
            Statement::Query(query) if session::prints_constants(&query) => {
                self.not_managed.client_output += 1;
                Ok(())
            }
            Statement::Flush { object_type: FlushType::Logs | FlushType::BinaryLogs, .. } => {
                self.not_managed.client_output += 1;
                Ok(())
            }
            Statement::Drop { object_type: ObjectType::Table, if_exists: true, names, temporary: false, .. } => {
                self.drop_tables_ahead(&names, line, &excerpt(&statement.sql))
            }
            Statement::Insert(_)
            | Statement::Update(_)
            | Statement::Delete(_)
            | Statement::Drop { .. }
            | Statement::Query(_) => {
                return Err(ParseError::NotDdl { line, excerpt: excerpt(&statement.sql) });
            }
            _ => Err(
                "only CREATE TABLE, CREATE INDEX, CREATE VIEW, ALTER TABLE ... ADD and the session statements of a dump \
                 (SET, LOCK TABLES, DROP TABLE IF EXISTS of a table the file creates) are supported for MySQL so far"
                    .to_string(),
            ),
        };
        let result = match partitioned {
            Some((table, clause)) => result.and_then(|()| self.partition(&table, clause)),
            None => result,
        };
        result.map(|()| layout).map_err(unsupported)
    }
}

/// The table of `ALTER TABLE name` with nothing after the name (its `PARTITION BY` split off).
fn bare_alter_table(tokens: &[TokenWithSpan]) -> Option<ObjectName> {
    let dialect = MySqlDialect {};
    let mut parser = sqlparser::parser::Parser::new(&dialect).with_tokens_with_locations(tokens.to_vec());
    if !parser.parse_keywords(&[Keyword::ALTER, Keyword::TABLE]) {
        return None;
    }
    let name = parser.parse_object_name(false).ok()?;
    (parser.peek_token().token == Token::EOF).then_some(name)
}

impl Builder {
    fn qualify(&self, object: &ObjectName) -> QualifiedName {
        let parts: Vec<String> = object
            .0
            .iter()
            .map(|part| match part {
                ObjectNamePart::Identifier(ident) => ident.value.clone(),
                other => other.to_string(),
            })
            .collect();
        match parts.as_slice() {
            [schema, table] => QualifiedName::new(schema.clone(), table.clone()),
            _ => QualifiedName::new(self.schema.clone(), parts.last().cloned().unwrap_or_default()),
        }
    }

    fn create_table(&mut self, create: CreateTable) -> Result<(), String> {
        if create.temporary {
            return Err("temporary tables are not part of a schema".into());
        }
        if create.query.is_some() || create.like.is_some() {
            return Err("CREATE TABLE ... AS SELECT / LIKE is not supported; declare the columns".into());
        }
        if let Some(clause) = unmodelled::unmodelled_clause(&create) {
            return Err(format!("{clause} is not supported for MySQL tables yet"));
        }
        let table_name = self.qualify(&create.name);
        if self.db.table(&table_name).is_some() {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(format!("table {} is declared twice", table_name.name))
            };
        }
        let mut table = Table::new(table_name.clone());
        let mut options = TableOptions { engine: DEFAULT_ENGINE.into(), ..Default::default() };
        table_options(&create, &mut options, &mut table.comment)?;
        let mut keys = Keys::default();
        for def in &create.columns {
            let column_name = name(&def.name);
            if table.column(&column_name).is_some() {
                return Err(format!("column {column_name} is declared twice"));
            }
            let printed = printed_type(&def.data_type);
            let serial = printed.eq_ignore_ascii_case("serial");
            let data_type = if serial { "bigint(20) unsigned".to_string() } else { column_type(&printed)? };
            let mut column = Column {
                name: column_name.as_str().into(),
                data_type: data_type.into(),
                nullable: !serial,
                ..Default::default()
            };
            if serial {
                column.identity = Some(Box::new(auto_increment()));
                keys.unique.push((None, vec![IndexPart::column(column_name.clone())]));
            }
            if printed.eq_ignore_ascii_case("json") {
                column.collation = Some("utf8mb4_bin".into());
                keys.json_checks.push(column_name.clone());
            }
            let mut charset = None;
            let mut default = None;
            let mut on_update = None;
            for option in &def.options {
                match &option.option {
                    ColumnOption::Null => column.nullable = true,
                    ColumnOption::NotNull => column.nullable = false,
                    ColumnOption::Default(value) => default = Some(value.to_string()),
                    ColumnOption::OnUpdate(value) => on_update = Some(value.to_string()),
                    ColumnOption::Collation(collation) => column.collation = Some(last_part(collation).into()),
                    ColumnOption::CharacterSet(set) => charset = Some(last_part(set).to_lowercase()),
                    ColumnOption::Comment(comment) => {
                        column.comment = (!comment.is_empty()).then(|| comment.as_str().into())
                    }
                    ColumnOption::PrimaryKey(pk) => {
                        keys.primary.push((vec![column_name.as_str().into()], index_comment(&pk.index_options)))
                    }
                    ColumnOption::Unique(_) => {
                        keys.unique.push((None, vec![IndexPart::column(column_name.clone())]));
                    }
                    ColumnOption::ForeignKey(fk) if fk.referred_columns.is_empty() => {
                        return Err(NO_REFERRED_COLUMNS.into());
                    }
                    ColumnOption::ForeignKey(fk) => keys.foreign.push((
                        option.name.as_ref().or(fk.name.as_ref()).map(name),
                        ForeignKey {
                            not_valid: false,
                            match_full: false,
                            comment: None,
                            name: String::new(),
                            columns: vec![column_name.as_str().into()],
                            ref_table: self.qualify(&fk.foreign_table),
                            ref_columns: fk.referred_columns.iter().map(column_ident).collect(),
                            on_delete: action(fk.on_delete),
                            on_update: action(fk.on_update),
                            deferrable: Deferrable::NotDeferrable,
                        },
                    )),
                    ColumnOption::Check(check) => keys.checks.push((
                        Some(option.name.as_ref().or(check.name.as_ref()).map(name).unwrap_or(column_name.clone())),
                        expression(&check.expr),
                    )),
                    ColumnOption::Generated { generation_expr: Some(generated), generation_expr_mode, .. } => {
                        column.generated = Some(Box::new(expression(generated)));
                        column.generated_virtual = generation_expr_mode != &Some(GeneratedExpressionMode::Stored);
                    }
                    ColumnOption::DialectSpecific(tokens)
                        if tokens.len() == 1 && tokens[0].to_string().eq_ignore_ascii_case("auto_increment") =>
                    {
                        column.identity = Some(Box::new(auto_increment()));
                        column.nullable = false;
                    }
                    other => return Err(format!("column option `{other}` is not supported for MySQL yet")),
                }
            }
            if let (Some(charset), None) = (&charset, &column.collation) {
                column.collation = Some(default_collation(charset).into());
            }
            if !is_text(&column.data_type) {
                column.collation = None;
            }
            column.default = column_default(default.as_deref(), on_update.as_deref(), &column.data_type);
            table.columns.push(column);
        }
        for constraint in &create.constraints {
            keys.table_constraint(constraint, self)?;
        }
        self.named_foreign_keys.extend(keys.named_foreign_keys(&table_name));
        keys.apply(&mut table)?;
        validate::table(&table)?;
        table.mysql = Some(options);
        self.db.schema_mut(&table_name.schema).tables.insert(table_name.name.clone(), table);
        Ok(())
    }

    /// `ALTER TABLE ... ADD` of keys, indexes and constraints (schema dumps add foreign keys this way).
    /// Folds a `PARTITION BY` or `REMOVE PARTITIONING` into a declared table.
    fn partition(&mut self, table_name: &QualifiedName, clause: Vec<TokenWithSpan>) -> Result<(), String> {
        let Some(table) = self.db.table_mut(table_name) else {
            return Err(format!("table {} is not declared before this statement", table_name.name));
        };
        let columns: Vec<String> = table.columns.iter().map(|c| c.name.to_string()).collect();
        let column = |written: &str| columns.iter().find(|c| c.eq_ignore_ascii_case(written)).cloned();
        let partitioning = match partition::parse(clause, &column)? {
            partition::Clause::PartitionBy(partitioning) => Some(partitioning),
            partition::Clause::RemovePartitioning => None,
        };
        table.mysql.get_or_insert_with(Default::default).partitioning = partitioning;
        Ok(())
    }

    fn alter_table(&mut self, alter: AlterTable) -> Result<(), String> {
        let table_name = self.qualify(&alter.name);
        let mut keys = Keys::default();
        for operation in &alter.operations {
            match operation {
                AlterTableOperation::AddConstraint { constraint, .. } => keys.table_constraint(constraint, self)?,
                other => {
                    return Err(format!("`{other}` is not supported in a desired schema; declare it in CREATE TABLE"));
                }
            }
        }
        self.named_foreign_keys.extend(keys.named_foreign_keys(&table_name));
        let Some(table) = self.db.table_mut(&table_name) else {
            return Err(format!("table {} is not declared before this statement", table_name.name));
        };
        if !keys.primary.is_empty() && table.primary_key.is_some() {
            return Err(format!("table {} has more than one primary key", table_name.name));
        }
        keys.apply(table)?;
        validate::table(table)
    }

    fn create_index(&mut self, create: CreateIndex) -> Result<(), String> {
        let table_name = self.qualify(&create.table_name);
        let Some(index_name) = create.name.as_ref().map(last_part) else {
            return Err("CREATE INDEX needs a name".into());
        };
        let Some(table) = self.db.table_mut(&table_name) else {
            return Err(format!("table {} is not declared before this statement", table_name.name));
        };
        if table.indexes.contains_key(&index_name) {
            return if create.if_not_exists { Ok(()) } else { Err(format!("index {index_name} is declared twice")) };
        }
        let parts = index_parts(&create.columns)?;
        let comment = index_comment(&create.index_options);
        table.indexes.insert(Index { comment, ..index(index_name, create.unique, "btree", parts) });
        validate::table(table)
    }

    fn add_trigger(&mut self, declared: trigger::Declared) -> Result<(), String> {
        let table = self.qualify(&declared.table);
        let name = declared.trigger.name.clone();
        validate::identifier("trigger", &name)?;
        let TriggerAction::Body { body } = &declared.trigger.action else { unreachable!("a MySQL trigger has a body") };
        // judged inside a CREATE TRIGGER, the statement the plan renders: there a BEGIN ... END block is one
        if !ends_at_a_token(&format!("CREATE TRIGGER t BEFORE INSERT ON t FOR EACH ROW {}", body.sql)) {
            return Err("the trigger's body runs into the `;` after it (it ends inside a token); end it with a \
                        complete one"
                .into());
        }
        let schema = self.db.schema_mut(&table.schema);
        // trigger names are unique in a database
        if schema.tables.values().any(|t| t.triggers.contains_key(&name)) {
            return if declared.if_not_exists { Ok(()) } else { Err(format!("trigger {name} is declared twice")) };
        }
        let Some(owner) = schema.tables.get_mut(&table.name) else {
            return Err(format!("table {} is not declared before this statement", table.name));
        };
        owner.triggers.insert(declared.trigger);
        Ok(())
    }

    fn create_view(&mut self, create: CreateView, sql: &str) -> Result<(), String> {
        if create.materialized || create.temporary {
            return Err("MySQL views are plain views".into());
        }
        if !create.columns.is_empty() {
            return Err("view column lists are not supported for MySQL yet; alias the columns in the query".into());
        }
        let view_name = self.qualify(&create.name);
        validate::identifier("view", &view_name.name)?;
        let schema = self.db.schema_mut(&view_name.schema);
        if schema.views.contains_key(&view_name.name) && !create.or_replace {
            return Err(format!("view {} is declared twice", view_name.name));
        }
        // as written: sqlparser's printing of the query loses how its literals were escaped
        let query = view_query_text(sql).ok_or("the view's query was not found after its AS")?;
        if !ends_at_a_token(&query) {
            return Err(
                "the view's query runs into the `;` after it (it ends inside a token); end it with a complete one"
                    .into(),
            );
        }
        let canonical = canonical_query(&query, &view_name.schema);
        let view = View {
            options: Default::default(),
            name: view_name.clone(),
            query: Expr::new(query, canonical),
            materialized: false,
            indexes: Default::default(),
            triggers: Default::default(),
            comment: None,
        };
        schema.views.insert(view_name.name, view);
        Ok(())
    }

    /// InnoDB needs an index whose first columns are a foreign key's columns, and creates one, named after
    /// the constraint when it was named, else after its first column, when no index (nor the primary key)
    /// starts with them.
    /// A prefix as long as its column (`name(255)` on `varchar(255)` or `varbinary(255)`) is no prefix:
    /// MariaDB stores the key as the whole column.
    /// A view's canonical query read against the declared tables' and views' columns, as MariaDB keeps it
    /// (names compared in lower case, as the canonical forms print them).
    fn settle_view_queries(&mut self) {
        let default_schema = self.schema.clone();
        crate::settle_view_queries(&mut self.db, |db, schema_name, view| {
            let columns = |parts: &[String]| -> Option<Vec<String>> {
                let name = parts.last()?;
                let schema = db.schemas.get(parts.iter().rev().nth(1).unwrap_or(&default_schema))?;
                match schema.tables.iter().find(|(table, _)| table.to_lowercase() == *name) {
                    Some((_, table)) => Some(table.columns.iter().map(|c| c.name.to_lowercase().to_string()).collect()),
                    None => {
                        let (_, view) = schema.views.iter().find(|(view, _)| view.to_lowercase() == *name)?;
                        crate::canon::query_output_names(&view.query.canonical)
                    }
                }
            };
            forms::canonical_query_over(&view.query.sql, schema_name, &columns)
        });
    }

    fn drop_full_length_prefixes(&mut self) {
        for table in self.db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
            let columns = &table.columns;
            let full_length = |(name, length): (&str, u32)| {
                columns.iter().find(|column| column.name == name).is_some_and(|column| {
                    let sized =
                        matches!(column.data_type.base_name().as_ref(), "char" | "varchar" | "binary" | "varbinary");
                    sized && column.data_type.length() == Some(length)
                })
            };
            for part in table.indexes.values_mut().flat_map(|index| &mut index.parts) {
                if let Some((column, _)) = prefix_of(&part.key).filter(|&prefix| full_length(prefix)) {
                    part.key = IndexKey::Column(column.into());
                }
            }
        }
    }

    fn add_foreign_key_indexes(&mut self) {
        for table in self.db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
            let foreign_keys: Vec<(String, Vec<CompactString>, bool)> = table
                .foreign_keys
                .values()
                .map(|fk| {
                    let named = self.named_foreign_keys.iter().any(|(t, name)| *t == table.name && *name == fk.name);
                    (fk.name.clone(), fk.columns.clone(), named)
                })
                .collect();
            for (fk_name, columns, named) in foreign_keys {
                if has_index_starting_with(table, &columns) {
                    continue;
                }
                let base = if named { fk_name } else { columns[0].to_string() };
                let index_name = unique_index_name(table, &base);
                let parts = columns.iter().map(|c| IndexPart::column(c.clone())).collect();
                table.indexes.insert(index(index_name, false, "btree", parts));
            }
        }
    }
}

/// The highest `n` among names `<prefix><n>`: MariaDB numbers an unnamed foreign key or check after it.
fn highest_number<'a>(names: impl Iterator<Item = &'a String>, prefix: &str) -> usize {
    names.filter_map(|name| name.strip_prefix(prefix)?.parse().ok()).max().unwrap_or(0)
}

fn has_index_starting_with(table: &Table, columns: &[CompactString]) -> bool {
    let starts = |keys: &[CompactString]| keys.len() >= columns.len() && keys[..columns.len()] == *columns;
    table.primary_key.as_ref().is_some_and(|pk| starts(&pk.columns))
        || table.indexes.values().any(|index| {
            let keys: Vec<CompactString> = index
                .parts
                .iter()
                .map_while(|part| match &part.key {
                    IndexKey::Column(column) => Some(column.clone()),
                    IndexKey::Expression(_) => None,
                })
                .collect();
            index.method == "btree" && starts(&keys)
        })
}

/// `base`, or `base_2`, `base_3`, ... when an index of the table has that name (compared without case).
fn unique_index_name(table: &Table, base: &str) -> String {
    let taken = |candidate: &str| {
        candidate.eq_ignore_ascii_case("PRIMARY")
            || table.indexes.keys().any(|name| name.eq_ignore_ascii_case(candidate))
    };
    if !taken(base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}_{n}")).find(|candidate| !taken(candidate)).unwrap_or_default()
}

/// A key's `COMMENT '...'`; an empty one is none, as MariaDB keeps it.
fn index_comment(options: &[IndexOption]) -> Option<String> {
    options.iter().find_map(|option| match option {
        IndexOption::Comment(comment) if !comment.is_empty() => Some(comment.clone()),
        _ => None,
    })
}

fn index(name: String, unique: bool, method: &str, parts: Vec<IndexPart>) -> Index {
    Index {
        name,
        unique,
        method: method.into(),
        parts,
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        storage: Default::default(),
        comment: None,
    }
}

/// Character types, the ones with a collation.
fn is_text(data_type: &driftless_model::DataType) -> bool {
    matches!(
        data_type.base_name().as_ref(),
        "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" | "enum" | "set"
    )
}

/// The name an index declared among a table's constraints is given (`UNIQUE KEY name`, `INDEX name`,
/// `FULLTEXT name`); `None` for an unnamed one, or another constraint.
/// The row formats of InnoDB, MyISAM and Aria.
const ROW_FORMATS: [&str; 6] = ["DYNAMIC", "COMPACT", "REDUNDANT", "COMPRESSED", "FIXED", "PAGE"];

/// MySQL has no default for the referenced columns (PostgreSQL's is the primary key).
const NO_REFERRED_COLUMNS: &str = "a foreign key must name the referenced columns: REFERENCES t (column)";

fn declared_index_name(constraint: &TableConstraint) -> Option<String> {
    match constraint {
        TableConstraint::Unique(unique) => unique.index_name.as_ref().or(unique.name.as_ref()).map(name),
        TableConstraint::Index(index) => index.name.as_ref().map(name),
        TableConstraint::FulltextOrSpatial(index) => index.opt_index_name.as_ref().map(name),
        _ => None,
    }
}

/// Keys and constraints as declared, named when the table is complete (MariaDB numbers some of them).
#[derive(Default)]
struct Keys {
    /// Primary keys declared (more than one is an error), with their comments.
    primary: Vec<(Vec<CompactString>, Option<String>)>,
    /// Unique and plain indexes in declaration order: (name, unique, method, parts, comment).
    indexes: Vec<(Option<String>, bool, String, Vec<IndexPart>, Option<String>)>,
    /// Inline `UNIQUE` (and `SERIAL`), named after their column.
    unique: Vec<(Option<String>, Vec<IndexPart>)>,
    foreign: Vec<(Option<String>, ForeignKey)>,
    checks: Vec<(Option<String>, Expr)>,
    json_checks: Vec<String>,
}

impl Keys {
    fn named_foreign_keys(&self, table: &QualifiedName) -> Vec<(QualifiedName, String)> {
        self.foreign.iter().filter_map(|(name, _)| Some((table.clone(), name.clone()?))).collect()
    }

    fn table_constraint(&mut self, constraint: &TableConstraint, builder: &Builder) -> Result<(), String> {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                let parts = index_parts(&pk.columns)?;
                self.primary.push((plain_columns(&parts)?, index_comment(&pk.index_options)));
            }
            TableConstraint::Unique(unique) => {
                self.indexes.push((
                    declared_index_name(constraint),
                    true,
                    "btree".into(),
                    index_parts(&unique.columns)?,
                    index_comment(&unique.index_options),
                ));
            }
            TableConstraint::Index(index) => {
                self.indexes.push((
                    declared_index_name(constraint),
                    false,
                    "btree".into(),
                    index_parts(&index.columns)?,
                    index_comment(&index.index_options),
                ));
            }
            TableConstraint::FulltextOrSpatial(index) => {
                let method = if index.fulltext { "fulltext" } else { "spatial" };
                self.indexes.push((
                    declared_index_name(constraint),
                    false,
                    method.into(),
                    index_parts(&index.columns)?,
                    None,
                ));
            }
            TableConstraint::ForeignKey(fk) if fk.referred_columns.is_empty() => return Err(NO_REFERRED_COLUMNS.into()),
            TableConstraint::ForeignKey(fk) => {
                let foreign_key = ForeignKey {
                    not_valid: false,
                    match_full: false,
                    comment: None,
                    name: String::new(),
                    columns: fk.columns.iter().map(column_ident).collect(),
                    ref_table: builder.qualify(&fk.foreign_table),
                    ref_columns: fk.referred_columns.iter().map(column_ident).collect(),
                    on_delete: action(fk.on_delete),
                    on_update: action(fk.on_update),
                    deferrable: Deferrable::NotDeferrable,
                };
                if let Some(index_name) = &fk.index_name {
                    let parts = foreign_key.columns.iter().map(|c| IndexPart::column(c.clone())).collect();
                    self.indexes.push((Some(name(index_name)), false, "btree".into(), parts, None));
                }
                self.foreign.push((fk.name.as_ref().map(name), foreign_key));
            }
            TableConstraint::Check(check) => self.checks.push((check.name.as_ref().map(name), expression(&check.expr))),
            other => return Err(format!("constraint `{other}` is not supported for MySQL")),
        }
        Ok(())
    }

    /// Names everything the way MariaDB does and adds it to the table.
    fn apply(self, table: &mut Table) -> Result<(), String> {
        let table_name = table.name.name.clone();
        match self.primary.as_slice() {
            [] => {}
            [_] if table.primary_key.is_some() => {
                return Err(format!("table {table_name} has more than one primary key"));
            }
            [(columns, comment)] => {
                table.primary_key =
                    Some(PrimaryKey { comment: comment.clone(), name: "PRIMARY".into(), columns: columns.clone() });
                for column in columns {
                    if let Some(column) = table.column_mut(column) {
                        column.nullable = false;
                    }
                }
            }
            _ => return Err(format!("table {table_name} has more than one primary key")),
        }
        let inline = self.unique.into_iter().map(|(name, parts)| (name, true, "btree".to_string(), parts, None));
        for (name, unique, method, parts, comment) in inline.chain(self.indexes) {
            let first = match &parts[0].key {
                IndexKey::Column(column) => column.to_string(),
                IndexKey::Expression(expr) => expr.canonical.split('(').next().unwrap_or_default().to_string(),
            };
            let name = match name {
                Some(name) if table.indexes.contains_key(&name) => {
                    return Err(format!("index {name} is declared twice"));
                }
                Some(name) => name,
                None => unique_index_name(table, &first),
            };
            table.indexes.insert(Index { comment, ..index(name, unique, &method, parts) });
        }
        let mut unnamed_foreign_keys = highest_number(table.foreign_keys.keys(), &format!("{table_name}_ibfk_"));
        for (name, foreign_key) in self.foreign {
            let name = name.unwrap_or_else(|| {
                unnamed_foreign_keys += 1;
                format!("{table_name}_ibfk_{unnamed_foreign_keys}")
            });
            table.foreign_keys.insert(ForeignKey { name, ..foreign_key });
        }
        let mut unnamed_checks = highest_number(table.checks.keys(), "CONSTRAINT_");
        for column in self.json_checks {
            let expr = canonical(&format!("json_valid(`{column}`)"));
            table.checks.get_or_insert_with(&column, || Check {
                not_valid: false,
                comment: None,
                name: column.to_string(),
                expr,
                no_inherit: false,
            });
        }
        for (name, expr) in self.checks {
            let name = name.unwrap_or_else(|| {
                unnamed_checks += 1;
                format!("CONSTRAINT_{unnamed_checks}")
            });
            table.checks.insert(Check { not_valid: false, comment: None, name, expr, no_inherit: false });
        }
        Ok(())
    }
}

fn canonical(sql: &str) -> Expr {
    Expr::new(sql, canonical_expr(sql))
}

fn expression(expr: &SqlExpr) -> Expr {
    canonical(&expr.to_string())
}

/// Index keys: a column, or a column prefix `name(10)` (an expression key holding `` `name`(10) ``), with
/// `DESC` kept.
fn index_parts(columns: &[IndexColumn]) -> Result<Vec<IndexPart>, String> {
    columns
        .iter()
        .map(|column| {
            let key = match &column.column.expr {
                SqlExpr::Identifier(ident) => IndexKey::Column(column_ident(ident)),
                SqlExpr::Function(function) => {
                    let length = match &function.args {
                        FunctionArguments::List(list) => match list.args.as_slice() {
                            [FunctionArg::Unnamed(FunctionArgExpr::Expr(SqlExpr::Value(value)))] => {
                                match &value.value {
                                    Value::Number(n, _) => Some(n.clone()),
                                    _ => None,
                                }
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    let Some(length) = length else {
                        return Err(format!("index key `{}` is not a column or a column prefix", column.column.expr));
                    };
                    prefix_key(&last_part(&function.name), length.parse().map_err(|_| "bad prefix length".to_string())?)
                }
                other => return Err(format!("index key `{other}` is not a column or a column prefix")),
            };
            Ok(IndexPart {
                key,
                descending: matches!(column.column.options.sort, Some(OrderBySort::Desc)),
                ..IndexPart::column("")
            })
        })
        .collect()
}

/// The key of an index on the first `length` characters of `column`.
pub fn prefix_key(column: &str, length: u32) -> IndexKey {
    IndexKey::Expression(Expr::new(format!("`{}`({length})", column.replace('`', "``")), format!("{column}({length})")))
}

/// The column and length of a key [`prefix_key`] made.
fn prefix_of(key: &IndexKey) -> Option<(&str, u32)> {
    let IndexKey::Expression(expr) = key else { return None };
    let (column, length) = expr.canonical.rsplit_once('(')?;
    Some((column, length.strip_suffix(')')?.parse().ok()?))
}

fn plain_columns(parts: &[IndexPart]) -> Result<Vec<CompactString>, String> {
    parts
        .iter()
        .map(|part| match &part.key {
            IndexKey::Column(column) => Ok(column.clone()),
            IndexKey::Expression(expr) => Err(format!("primary key part `{}` is not a column", expr.sql)),
        })
        .collect()
}

fn table_options(create: &CreateTable, options: &mut TableOptions, comment: &mut Option<String>) -> Result<(), String> {
    let list: &[SqlOption] = match &create.table_options {
        CreateTableOptions::None => &[],
        CreateTableOptions::Plain(list) | CreateTableOptions::With(list) | CreateTableOptions::Options(list) => list,
        CreateTableOptions::TableProperties(list) => list,
    };
    let mut charset = None;
    let mut collation = None;
    for option in list {
        match option {
            SqlOption::NamedParenthesizedList(named) if named.key.value.eq_ignore_ascii_case("engine") => {
                let engine = named.name.as_ref().map(name).unwrap_or_default();
                options.engine = canonical_engine(&engine);
            }
            SqlOption::KeyValue { key, value } => {
                let text = match value {
                    SqlExpr::Value(v) => match &v.value {
                        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
                        other => other.to_string(),
                    },
                    other => other.to_string(),
                };
                match key.to_string().to_uppercase().as_str() {
                    "DEFAULT CHARSET" | "CHARSET" | "DEFAULT CHARACTER SET" | "CHARACTER SET" => {
                        charset = Some(text.to_lowercase())
                    }
                    "DEFAULT COLLATE" | "COLLATE" => collation = Some(text.to_lowercase()),
                    "AUTO_INCREMENT" => {}
                    // the server keeps a declared row format (DEFAULT is none), shown in SHOW CREATE TABLE
                    "ROW_FORMAT" if text.eq_ignore_ascii_case("default") => options.row_format.clear(),
                    // rendered as a bare word: only the formats MySQL and MariaDB know
                    "ROW_FORMAT" => {
                        options.row_format = text.to_uppercase();
                        if !ROW_FORMATS.contains(&options.row_format.as_str()) {
                            return Err(format!("ROW_FORMAT `{text}` is not one of {}", ROW_FORMATS.join(", ")));
                        }
                    }
                    other => return Err(format!("table option {other} is not supported for MySQL yet")),
                }
            }
            SqlOption::Comment(def) => {
                let text = match def {
                    sqlparser::ast::CommentDef::WithEq(s) | sqlparser::ast::CommentDef::WithoutEq(s) => s.clone(),
                };
                *comment = Some(text).filter(|c| !c.is_empty());
            }
            other => return Err(format!("table option `{other}` is not supported for MySQL yet")),
        }
    }
    if let Some(comment_def) = &create.comment {
        let text = match comment_def {
            sqlparser::ast::CommentDef::WithEq(s) | sqlparser::ast::CommentDef::WithoutEq(s) => s.clone(),
        };
        *comment = Some(text).filter(|c| !c.is_empty());
    }
    options.collation = match (collation, charset) {
        (Some(collation), _) => collation,
        (None, Some(charset)) => default_collation(&charset),
        (None, None) => String::new(),
    };
    Ok(())
}

/// An engine name as the server reports it (`innodb` → `InnoDB`).
pub fn canonical_engine(engine: &str) -> String {
    match engine.to_lowercase().as_str() {
        "innodb" => "InnoDB".into(),
        "myisam" => "MyISAM".into(),
        "memory" | "heap" => "MEMORY".into(),
        "aria" => "Aria".into(),
        "csv" => "CSV".into(),
        "archive" => "ARCHIVE".into(),
        _ => engine.to_string(),
    }
}

/// A foreign key action; none given is `RESTRICT`, as InnoDB reports it.
fn action(action: Option<SqlAction>) -> ReferentialAction {
    match action {
        None | Some(SqlAction::Restrict) => ReferentialAction::Restrict,
        Some(SqlAction::NoAction) => ReferentialAction::NoAction,
        Some(SqlAction::Cascade) => ReferentialAction::Cascade,
        Some(SqlAction::SetNull) => ReferentialAction::SetNull,
        Some(SqlAction::SetDefault) => ReferentialAction::SetDefault,
    }
}

/// Stores every string value of a parsed statement escaped for MySQL ([`escape_backslashes`]): sqlparser
/// prints a value between quotes with only its quotes doubled, which MySQL reads differently when the value
/// holds a backslash (`'x\\'` would print as `'x\'`, a quote that does not end the literal). Printed
/// expressions then read back as their values.
struct EscapeForPrinting;

impl VisitorMut for EscapeForPrinting {
    type Break = ();

    fn post_visit_value(&mut self, value: &mut ValueWithSpan) -> ControlFlow<()> {
        // every quote escaped with a backslash too: sqlparser leaves a quote after a backslash as it is (and
        // two quotes in a row, which it would read as one)
        match &mut value.value {
            Value::SingleQuotedString(text) => *text = escape_backslashes(text).replace('\'', "\\'"),
            Value::DoubleQuotedString(text) => *text = escape_backslashes(text).replace('"', "\\\""),
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// A column type as sqlparser prints it, but with `enum` and `set` members quoted for MySQL.
fn printed_type(data_type: &DataType) -> String {
    let members = |values: Vec<&String>| values.into_iter().map(|v| quote_literal(v)).collect::<Vec<_>>().join(",");
    match data_type {
        DataType::Enum(values, None) => {
            let names = values.iter().map(|member| match member {
                EnumMember::Name(name) | EnumMember::NamedValue(name, _) => name,
            });
            format!("enum({})", members(names.collect()))
        }
        DataType::Set(values) => format!("set({})", members(values.iter().collect())),
        other => other.to_string(),
    }
}

/// The text of a `CREATE VIEW` statement's query as written: everything after the first `AS` that follows
/// `VIEW` outside parentheses, without a final `;`.
fn view_query_text(sql: &str) -> Option<String> {
    let tokens = Tokenizer::new(&MySqlDialect {}, sql).with_unescape(false).tokenize_with_location().ok()?;
    let is_word = |token: &Token, keyword: Keyword| matches!(token, Token::Word(w) if w.keyword == keyword && w.quote_style.is_none());
    let view = tokens.iter().position(|t| is_word(&t.token, Keyword::VIEW))?;
    let mut depth = 0usize;
    let mut after_as = None;
    // the view's own name may be `as` (right after VIEW, or after a `.`)
    let mut previous = &tokens[view].token;
    for (index, token) in tokens.iter().enumerate().skip(view + 1) {
        match &token.token {
            Token::Whitespace(_) => continue,
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            word if depth == 0
                && is_word(word, Keyword::AS)
                && !is_word(previous, Keyword::VIEW)
                && *previous != Token::Period =>
            {
                after_as = tokens.get(index + 1);
                break;
            }
            _ => {}
        }
        previous = &token.token;
    }
    let start = after_as?.span.start;
    let offset = byte_offset(sql, start.line, start.column)?;
    // up to the last token: a trailing comment would take in the `;` a script puts after the statement, and
    // the server does not keep it either
    let last =
        tokens.iter().rev().find(|t| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon | Token::EOF))?;
    let end = byte_offset(sql, last.span.end.line, last.span.end.column)?;
    Some(sql.get(offset..end)?.trim().to_string())
}

/// Whether `text` followed by `;` reads as its own tokens and then the `;`, and splits as one statement: a
/// plan renders the view as its query and a `;`, which must not read as part of the query (a lone `@` would
/// take it in, a `$$` open a quote).
fn ends_at_a_token(text: &str) -> bool {
    let tokens = |text: &str| -> Option<Vec<Token>> {
        let tokens = Tokenizer::new(&MySqlDialect {}, text).with_unescape(false).tokenize().ok()?;
        Some(tokens.into_iter().filter(|t| !matches!(t, Token::Whitespace(_))).collect())
    };
    let terminated = format!("{text};");
    match (tokens(text), tokens(&terminated)) {
        (Some(mut alone), Some(terminated)) if crate::split::splits_as_one(text, driftless_model::Dialect::Mysql) => {
            alone.push(Token::SemiColon);
            alone == terminated
        }
        _ => false,
    }
}

/// The byte offset of a 1-based line and character column, as sqlparser's locations count them.
fn byte_offset(sql: &str, line: u64, column: u64) -> Option<usize> {
    let line_start = if line <= 1 { 0 } else { sql.match_indices('\n').nth(usize::try_from(line - 2).ok()?)?.0 + 1 };
    let column = usize::try_from(column.saturating_sub(1)).ok()?;
    match sql[line_start..].char_indices().nth(column) {
        Some((offset, _)) => Some(line_start + offset),
        None => Some(sql.len()),
    }
}

#[cfg(test)]
mod tests;
