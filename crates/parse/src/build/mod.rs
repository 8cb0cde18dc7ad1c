//! Folding parsed statements into the model, one statement at a time, normalized as PostgreSQL would
//! store them (see `docs/normalization.md`).

mod aggregate;
mod clean;
mod comment;
mod domain;
mod index;
mod partition;
mod policy;
mod routine;
mod sequence;
mod session;
mod storage;
mod table;
pub(crate) mod tokens;
mod trigger;
mod view;
mod visible;

use crate::hints;
use crate::ident::{fold, fold_parts};
use crate::{
    NotManaged, ParseError, ParseOptions, ParsedSchema, SourceComment, SourceStatement, canon, depth, excerpt,
};
use driftless_model::{Database, EnumType, Expr, Extension, QualifiedName, Schema};
use sqlparser::ast::{
    AlterTypeAddValuePosition, AlterTypeOperation, CreateExtension, Ident, ObjectName, SchemaName, Statement,
    UserDefinedTypeRepresentation,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use std::collections::{BTreeMap, BTreeSet};

pub fn build(
    statements: &[SourceStatement],
    comments: &[SourceComment],
    options: &ParseOptions,
) -> Result<ParsedSchema, ParseError> {
    let mut builder = Builder::new(options);
    let hints = hints::fold_statements(&mut builder, statements, comments)?;
    let not_managed = builder.not_managed.clone();
    Ok(ParsedSchema { database: builder.finish()?, hints, not_managed })
}

/// A foreign key whose referenced table is looked up once every statement has been read, so that tables can
/// be declared in any order.
struct PendingForeignKey {
    table: QualifiedName,
    name: String,
    statement: SourceStatement,
}

/// A sequence `OWNED BY` a column, checked once every statement has been read.
struct PendingOwner {
    sequence: QualifiedName,
    statement: SourceStatement,
}

/// A `DROP ... IF EXISTS` of an object the file must declare after it (`pg_dump --clean --if-exists`).
struct PendingDrop {
    kind: clean::DropKind,
    name: QualifiedName,
    statement: SourceStatement,
}

pub(crate) struct Builder<'a> {
    options: &'a ParseOptions,
    db: Database,
    /// The statement being folded, for error locations.
    current: Option<SourceStatement>,
    /// Names of relations per schema (tables, views, sequences, indexes, identity sequences): PostgreSQL's
    /// `pg_class` namespace, which implicit index and sequence names must avoid.
    relation_names: BTreeMap<String, BTreeSet<String>>,
    /// Names of constraints per schema, which implicit constraint names must avoid.
    constraint_names: BTreeMap<String, BTreeSet<String>>,
    /// Schemas created by a statement (the default schema exists without one).
    created_schemas: BTreeSet<String>,
    pending_foreign_keys: Vec<PendingForeignKey>,
    pending_owners: Vec<PendingOwner>,
    pending_drops: Vec<PendingDrop>,
    /// Each partition with the statement that made it one, for `settle_partitions`.
    partition_statements: Vec<(QualifiedName, SourceStatement)>,
    /// The file's own `SET search_path`, once it has one: unqualified names resolve in it from then on.
    search_path: Option<Vec<String>>,
    not_managed: NotManaged,
}

impl<'a> Builder<'a> {
    fn new(options: &'a ParseOptions) -> Self {
        let mut db = Database::new(options.dialect);
        db.schema_mut(&options.default_schema);
        Builder {
            options,
            db,
            current: None,
            relation_names: BTreeMap::new(),
            constraint_names: BTreeMap::new(),
            created_schemas: BTreeSet::new(),
            pending_foreign_keys: Vec::new(),
            pending_owners: Vec::new(),
            pending_drops: Vec::new(),
            partition_statements: Vec::new(),
            search_path: None,
            not_managed: NotManaged::default(),
        }
    }
}

impl hints::Fold for Builder<'_> {
    fn stored_name(ident: &Ident) -> String {
        fold(ident)
    }

    fn model(&self) -> &Database {
        &self.db
    }

    fn created_schemas(&self) -> &BTreeSet<String> {
        &self.created_schemas
    }

    fn tokenize(&mut self, statement: &SourceStatement) -> Result<Vec<TokenWithSpan>, ParseError> {
        self.current = Some(statement.clone());
        Tokenizer::new(&PostgreSqlDialect {}, &statement.sql)
            .tokenize_with_location()
            .map_err(|e| self.syntax(&e.to_string()))
    }

    fn fold(
        &mut self,
        statement: &SourceStatement,
        tokens: Vec<TokenWithSpan>,
    ) -> Result<Option<hints::Layout>, ParseError> {
        if depth::too_long(tokens.iter().map(|t| &t.token)) {
            return Err(self.invalid(&depth::too_long_message()));
        }
        let words = tokens::leading_words(&tokens, 4);
        let word = |i: usize| words.get(i).map(String::as_str);
        match word(0) {
            Some("create" | "alter" | "comment") => {}
            Some("set") => return self.set(tokens).map(|()| None),
            Some("select") => return self.select(tokens).map(|()| None),
            Some("drop") => return self.drop_if_exists(tokens).map(|()| None),
            Some("grant" | "revoke") => return self.privileges(tokens).map(|()| None),
            _ => {
                return Err(ParseError::NotDdl { line: statement.line, excerpt: excerpt(&statement.sql) });
            }
        }
        // the kind of object after CREATE [OR REPLACE]
        let kind = if word(1) == Some("or") && word(2) == Some("replace") { word(3) } else { word(1) };
        match (word(0), word(1), kind) {
            (Some("create"), _, Some("function" | "procedure")) => return self.create_routine(tokens).map(|()| None),
            (Some("create"), _, Some("trigger" | "constraint")) => return self.create_trigger(tokens).map(|()| None),
            (Some("create"), _, Some("domain")) => return self.create_domain(tokens).map(|()| None),
            (Some("create"), _, Some("aggregate")) => return self.create_aggregate(tokens).map(|()| None),
            (Some("comment"), Some("on"), _) => return self.comment(tokens).map(|()| None),
            (Some("alter"), Some(_), _) if tokens::is_owner_change(&tokens) => {
                self.not_managed.ownership += 1;
                return Ok(None);
            }
            (Some("alter"), Some("sequence"), _) => return self.alter_sequence(tokens).map(|()| None),
            (Some("alter"), Some("default"), _) => return self.privileges(tokens).map(|()| None),
            (Some("alter"), Some("domain"), _) => return self.alter_domain(tokens).map(|()| None),
            // sqlparser reads only RENAME after ALTER INDEX
            (Some("alter"), Some("index"), _) if tokens::leading_words(&tokens, 8).iter().any(|w| w == "attach") => {
                return self.attach_index(tokens).map(|()| None);
            }
            _ => {}
        }
        let tokens = match kind {
            Some("materialized") => tokens::without_data_clause(tokens),
            Some("index" | "unique") if word(0) == Some("create") => tokens::without_only_after_on(tokens),
            _ => tokens,
        };
        let mut parsed = self.parse_with(tokens, |parser| parser.parse_statement())?;
        if depth::exceeds(&parsed, depth::MAX_DEPTH) {
            depth::dismantle(parsed);
            return Err(self.invalid(&depth::too_deep_message()));
        }
        crate::literals::double_quotes_for_printing(&mut parsed);
        let layout = match &parsed {
            Statement::CreateTable(create) => Some(hints::Layout::table(create, self.qualify(&create.name)?, fold)),
            Statement::CreateIndex(create) => match &create.name {
                Some(name) => {
                    let index = fold_parts(name).pop().unwrap_or_default();
                    Some(hints::Layout::index(self.qualify(&create.table_name)?, index))
                }
                None => None,
            },
            Statement::CreateType { name, representation: Some(UserDefinedTypeRepresentation::Enum { labels }) } => {
                Some(hints::Layout::enum_type(self.qualify(name)?, labels))
            }
            _ => None,
        };
        self.fold_statement(parsed)?;
        Ok(layout)
    }
}

impl<'a> Builder<'a> {
    fn fold_statement(&mut self, statement: Statement) -> Result<(), ParseError> {
        match statement {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::AlterTable(alter) => self.alter_table(alter),
            Statement::CreateIndex(create) => self.create_index(create),
            Statement::CreateView(create) => self.create_view(create),
            Statement::CreateSequence { if_not_exists, name, sequence_options, temporary } => {
                if temporary {
                    return Err(self.unsupported("temporary sequences are not part of a schema"));
                }
                self.create_sequence(&name, if_not_exists, &sequence_options)
            }
            Statement::CreateSchema { schema_name, if_not_exists, .. } => {
                self.create_schema(&schema_name, if_not_exists)
            }
            Statement::CreateExtension(create) => self.create_extension(&create),
            Statement::CreatePolicy(create) => self.create_policy(create),
            Statement::CreateType { name, representation: Some(UserDefinedTypeRepresentation::Enum { labels }) } => {
                self.create_enum(&name, &labels)
            }
            Statement::CreateType { .. } => Err(self.unsupported("only enum types are supported")),
            Statement::AlterType(alter) => {
                match alter.operation {
                    AlterTypeOperation::AddValue(add) => {
                        let name = self.qualify(&alter.name)?;
                        let position = match add.position {
                            Some(AlterTypeAddValuePosition::Before(v)) => Some((v.value, false)),
                            Some(AlterTypeAddValuePosition::After(v)) => Some((v.value, true)),
                            None => None,
                        };
                        self.add_enum_value(&name, add.value.value, add.if_not_exists, position)
                    }
                    _ => Err(self
                        .unsupported("only ALTER TYPE ... ADD VALUE is supported; declare the type as it should be")),
                }
            }
            other => Err(self.unsupported(&format!("{} is not supported in a desired schema", statement_kind(&other)))),
        }
    }

    fn finish(mut self) -> Result<Database, ParseError> {
        for pending in std::mem::take(&mut self.pending_foreign_keys) {
            self.current = Some(pending.statement.clone());
            self.resolve_foreign_key(&pending.table, &pending.name)?;
        }
        for pending in std::mem::take(&mut self.pending_owners) {
            self.current = Some(pending.statement.clone());
            self.check_sequence_owner(&pending.sequence)?;
        }
        for pending in std::mem::take(&mut self.pending_drops) {
            self.current = Some(pending.statement.clone());
            self.check_drop(&pending)?;
        }
        self.settle_partitions()?;
        self.settle_view_queries();
        self.unqualify_default_schema();
        Ok(self.db)
    }

    /// PostgreSQL stores a view's `*` as the columns it stood for when the view was created, and prints every
    /// column of a query over several relations qualified; a view is created after its tables and views, with
    /// every column the desired schema gives them, so its canonical form is read against those.
    fn settle_view_queries(&mut self) {
        let default_schema = self.options.default_schema.clone();
        crate::settle_view_queries(&mut self.db, |db, _, view| {
            let columns = |parts: &[String]| -> Option<Vec<String>> {
                let (schema, name) = match parts {
                    [name] => (default_schema.as_str(), name),
                    [schema, name] | [_, schema, name] => (schema.as_str(), name),
                    _ => return None,
                };
                let schema = db.schemas.get(schema)?;
                match schema.tables.get(name) {
                    Some(table) => Some(table.columns.iter().map(|c| c.name.to_string()).collect()),
                    None => canon::query_output_names(&schema.views.get(name)?.query.canonical),
                }
            };
            canon::view_query(&view.query.sql, &columns)
        });
    }

    // ---- names -------------------------------------------------------------------------------------------

    /// An object name as stored: folded, and qualified with the `search_path` schema when unqualified.
    fn qualify(&self, name: &ObjectName) -> Result<QualifiedName, ParseError> {
        match fold_parts(name).as_slice() {
            [name] => Ok(QualifiedName::new(self.unqualified_schema()?, name.clone())),
            [schema, name] => Ok(QualifiedName::new(schema.clone(), name.clone())),
            [_database, schema, name] => Ok(QualifiedName::new(schema.clone(), name.clone())),
            _ => Err(self.invalid(&format!("`{name}` is not a valid object name"))),
        }
    }

    fn schema_mut(&mut self, schema: &str) -> &mut Schema {
        self.db.schema_mut(schema)
    }

    fn relation_taken(&self, schema: &str, name: &str) -> bool {
        self.relation_names.get(schema).is_some_and(|names| names.contains(name))
    }

    fn constraint_taken(&self, schema: &str, name: &str) -> bool {
        self.constraint_names.get(schema).is_some_and(|names| names.contains(name))
    }

    fn claim_relation(&mut self, schema: &str, name: &str) {
        self.relation_names.entry(schema.to_string()).or_default().insert(name.to_string());
    }

    fn claim_constraint(&mut self, schema: &str, name: &str) {
        self.constraint_names.entry(schema.to_string()).or_default().insert(name.to_string());
    }

    /// A relation name for a new table, view, sequence or index; an error when it is taken.
    fn claim_new_relation(&mut self, name: &QualifiedName) -> Result<(), ParseError> {
        if self.relation_taken(&name.schema, &name.name) {
            return Err(self.invalid(&format!("relation {name} is declared twice")));
        }
        self.claim_relation(&name.schema, &name.name);
        Ok(())
    }

    /// `nextval('seq'::regclass)` as PostgreSQL prints a serial column's default.
    fn nextval(&self, sequence: &QualifiedName) -> Expr {
        let regclass = if sequence.schema == self.options.default_schema {
            crate::ident::quote_if_needed(&sequence.name).into_owned()
        } else {
            format!(
                "{}.{}",
                crate::ident::quote_if_needed(&sequence.schema),
                crate::ident::quote_if_needed(&sequence.name)
            )
        };
        let sql = format!("nextval({}::regclass)", driftless_model::quote_literal(&regclass));
        expression(&sql)
    }

    // ---- errors ------------------------------------------------------------------------------------------

    fn location(&self) -> (usize, String) {
        self.current.as_ref().map_or((0, String::new()), |s| (s.line, excerpt(&s.sql)))
    }

    fn invalid(&self, message: &str) -> ParseError {
        let (line, excerpt) = self.location();
        ParseError::Invalid { line, excerpt, message: message.to_string() }
    }

    fn unsupported(&self, message: &str) -> ParseError {
        let (line, excerpt) = self.location();
        ParseError::Unsupported { line, excerpt, message: message.to_string() }
    }

    /// A syntax error at the line it occurred on (sqlparser reports lines within the statement).
    fn syntax(&self, message: &str) -> ParseError {
        let (line, excerpt) = self.location();
        let message = message.trim_start_matches("sql parser error: ");
        match message.rfind(" at Line: ") {
            Some(position) => {
                let relative = relative_line(&message[position..]).unwrap_or(1);
                let column = message[position..].rsplit("Column: ").next().unwrap_or_default();
                let line = line + relative.saturating_sub(1);
                let message = format!("{} (column {column})", &message[..position]);
                ParseError::Syntax { line, excerpt, message }
            }
            None => ParseError::Syntax { line, excerpt, message: message.to_string() },
        }
    }

    /// Runs a sqlparser parse over the statement's tokens, requiring it to consume all of them.
    fn parse_with<T>(
        &self,
        tokens: Vec<TokenWithSpan>,
        parse: impl FnOnce(&mut Parser) -> Result<T, ParserError>,
    ) -> Result<T, ParseError> {
        let dialect = PostgreSqlDialect {};
        let mut parser = depth::parser(&dialect).with_tokens_with_locations(tokens);
        let parsed = parse(&mut parser).map_err(|e| self.syntax(&e.to_string()))?;
        let _ = parser.consume_token(&Token::SemiColon);
        let rest = parser.peek_token();
        if rest.token != Token::EOF {
            let start = rest.span.start;
            return Err(
                self.syntax(&format!("unexpected `{}` at Line: {}, Column: {}", rest.token, start.line, start.column))
            );
        }
        Ok(parsed)
    }

    // ---- schemas, extensions, enum types ------------------------------------------------------------------

    fn create_schema(&mut self, name: &SchemaName, if_not_exists: bool) -> Result<(), ParseError> {
        let name = match name {
            SchemaName::Simple(name) | SchemaName::NamedAuthorization(name, _) => {
                fold_parts(name).pop().unwrap_or_default()
            }
            SchemaName::UnnamedAuthorization(role) => fold(role),
        };
        if !self.created_schemas.insert(name.clone()) && !if_not_exists {
            return Err(self.invalid(&format!("schema {name} is declared twice")));
        }
        self.schema_mut(&name);
        Ok(())
    }

    fn create_extension(&mut self, create: &CreateExtension) -> Result<(), ParseError> {
        let name = fold(&create.name);
        // plpgsql's control file pins it to pg_catalog, which is never managed: like the live side, the model
        // holds only extensions installed in a managed schema
        if name == "plpgsql" {
            return Ok(());
        }
        let schema = create.schema.as_ref().map_or_else(|| self.options.default_schema.clone(), fold);
        if schema == "pg_catalog" {
            return Ok(());
        }
        if self.db.extensions.contains_key(&name) {
            return if create.if_not_exists {
                Ok(())
            } else {
                Err(self.invalid(&format!("extension {name} is declared twice")))
            };
        }
        self.db.extensions.insert(name.clone(), Extension { name, schema });
        Ok(())
    }

    fn create_enum(&mut self, name: &ObjectName, labels: &[Ident]) -> Result<(), ParseError> {
        let name = self.qualify(name)?;
        let values: Vec<String> = labels.iter().map(|l| l.value.clone()).collect();
        if let Some(duplicate) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
            return Err(self.invalid(&format!("enum value '{}' is listed twice", duplicate.1)));
        }
        let schema = self.schema_mut(&name.schema);
        if schema.enums.contains_key(&name.name) {
            return Err(self.invalid(&format!("type {name} is declared twice")));
        }
        schema.enums.insert(name.name.clone(), EnumType { name, values, comment: None });
        Ok(())
    }

    fn add_enum_value(
        &mut self,
        name: &QualifiedName,
        value: String,
        if_not_exists: bool,
        position: Option<(String, bool)>,
    ) -> Result<(), ParseError> {
        let unknown = self.invalid(&format!("type {name} is not declared before this statement"));
        let Some(enum_type) = self.db.schemas.get_mut(&name.schema).and_then(|s| s.enums.get_mut(&name.name)) else {
            return Err(unknown);
        };
        if enum_type.values.contains(&value) {
            return if if_not_exists { Ok(()) } else { Err(self.invalid(&format!("enum value '{value}' exists"))) };
        }
        let index = match position {
            None => enum_type.values.len(),
            Some((neighbor, after)) => match enum_type.values.iter().position(|v| *v == neighbor) {
                Some(i) => i + usize::from(after),
                None => return Err(self.invalid(&format!("enum value '{neighbor}' does not exist"))),
            },
        };
        enum_type.values.insert(index, value);
        Ok(())
    }
}

/// An expression from the desired SQL: its text for rendering, its canonical form for comparison.
pub(crate) fn expression(sql: &str) -> Expr {
    Expr::new(sql, canon::expr(sql))
}

/// The line within a statement sqlparser's message points at (`... at Line: 3, Column: 7`).
fn relative_line(message: &str) -> Option<usize> {
    let rest = &message[message.rfind("Line: ")? + "Line: ".len()..];
    rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

/// A short name for a statement kind, for errors: the statement's own leading keywords.
fn statement_kind(statement: &Statement) -> String {
    let text = statement.to_string();
    let words: Vec<&str> =
        text.split_whitespace().take_while(|w| w.chars().all(|c| c.is_ascii_uppercase() || c == '_')).take(3).collect();
    if words.is_empty() { "this statement".to_string() } else { words.join(" ") }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_aggregate;
#[cfg(test)]
mod tests_domain;
#[cfg(test)]
mod tests_partition;
#[cfg(test)]
mod tests_pg_dump;
#[cfg(test)]
mod tests_policy;
