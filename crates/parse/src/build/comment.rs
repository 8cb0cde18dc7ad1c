//! COMMENT ON, read here rather than by sqlparser, which does not take function signatures.

use super::Builder;
use super::routine::parse_arguments;
use crate::ParseError;
use crate::ident::{fold, fold_parts};
use driftless_model::{ArgMode, QualifiedName};
use sqlparser::ast::{Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// What a comment is attached to.
enum Target {
    Table(ObjectName),
    Column(ObjectName),
    View {
        name: ObjectName,
        materialized: bool,
    },
    Index(ObjectName),
    Sequence(ObjectName),
    /// An enum type or a domain (`COMMENT ON TYPE` takes either).
    Type(ObjectName),
    Domain(ObjectName),
    /// A function, procedure or aggregate, with its input argument types when a signature is given.
    Routine {
        name: ObjectName,
        argument_types: Option<Vec<sqlparser::ast::DataType>>,
    },
    Schema(ObjectName),
    Policy {
        name: Ident,
        table: ObjectName,
    },
    /// A table's constraint (`COMMENT ON CONSTRAINT c ON t`; one of a domain, `ON DOMAIN d`, is not held).
    Constraint {
        name: Ident,
        table: ObjectName,
    },
    Trigger {
        name: Ident,
        table: ObjectName,
    },
    /// An extension's comment comes with the extension (pg_dump repeats it), so it is accepted, not held.
    Extension(ObjectName),
    /// Objects whose comments the model does not hold (a domain's constraints, operators, ...).
    Unsupported(String),
}

impl Builder<'_> {
    pub(super) fn comment(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (target, text) = self.parse_with(tokens, parse_comment)?;
        let text = text.filter(|t| !t.is_empty());
        match target {
            Target::Table(name) => {
                let name = self.qualify(&name)?;
                self.existing_table(&name)?.comment = text;
            }
            Target::Column(name) => {
                let mut parts = fold_parts(&name);
                let column = parts.pop().unwrap_or_default();
                let table = match parts.as_slice() {
                    [table] => QualifiedName::new(self.unqualified_schema()?, table.clone()),
                    [.., schema, table] => QualifiedName::new(schema.clone(), table.clone()),
                    [] => return Err(self.invalid("COMMENT ON COLUMN needs table.column")),
                };
                let missing = self.invalid(&format!("column {column} of {table} does not exist"));
                self.existing_table(&table)?.column_mut(&column).ok_or(missing)?.comment = text.map(Into::into);
            }
            Target::View { name, materialized } => {
                let name = self.qualify(&name)?;
                let kind = if materialized { "materialized view" } else { "view" };
                let missing = self.invalid(&format!("{kind} {name} is not declared before this statement"));
                let view = self.db.schemas.get_mut(&name.schema).and_then(|s| s.views.get_mut(&name.name));
                match view {
                    Some(view) if view.materialized == materialized => view.comment = text,
                    _ => return Err(missing),
                }
            }
            Target::Index(name) => {
                let name = self.qualify(&name)?;
                let missing = self.invalid(&format!("index {name} is not declared before this statement"));
                let schema = self.db.schemas.get_mut(&name.schema).ok_or_else(|| missing.clone())?;
                let index = schema
                    .tables
                    .values_mut()
                    .find_map(|t| t.indexes.get_mut(&name.name))
                    .or_else(|| schema.views.values_mut().find_map(|v| v.indexes.get_mut(&name.name)));
                index.ok_or(missing)?.comment = text;
            }
            Target::Sequence(name) => {
                let name = self.qualify(&name)?;
                let missing = self.invalid(&format!("sequence {name} is not declared before this statement"));
                let sequence = self.db.schemas.get_mut(&name.schema).and_then(|s| s.sequences.get_mut(&name.name));
                sequence.ok_or(missing)?.comment = text;
            }
            Target::Type(name) => {
                let name = self.qualify(&name)?;
                let missing = self.invalid(&format!("type {name} is not declared before this statement"));
                let schema = self.db.schemas.get_mut(&name.schema).ok_or_else(|| missing.clone())?;
                let comment = match schema.enums.get_mut(&name.name) {
                    Some(enum_type) => &mut enum_type.comment,
                    None => &mut schema.domains.get_mut(&name.name).ok_or(missing)?.comment,
                };
                *comment = text;
            }
            Target::Domain(name) => {
                let name = self.qualify(&name)?;
                let missing = self.invalid(&format!("domain {name} is not declared before this statement"));
                let domain = self.db.schemas.get_mut(&name.schema).and_then(|s| s.domains.get_mut(&name.name));
                domain.ok_or(missing)?.comment = text;
            }
            Target::Routine { name, argument_types } => {
                let name = self.qualify(&name)?;
                let signature = argument_types.map(|types| {
                    let types: Vec<String> = types.iter().map(|t| self.argument_type(t)).collect();
                    format!("{}({})", name.name, types.join(", "))
                });
                let missing = self.invalid(&format!("function {name} is not declared before this statement"));
                let ambiguous = self.invalid(&format!("function {name} has overloads; name its argument types"));
                let functions = &mut self.db.schemas.get_mut(&name.schema).ok_or_else(|| missing.clone())?.functions;
                let function = match signature {
                    Some(signature) => functions.get_mut(&signature).ok_or(missing)?,
                    None => {
                        let mut matching = functions.values_mut().filter(|f| f.name.name == name.name);
                        let function = matching.next().ok_or(missing)?;
                        if matching.next().is_some() {
                            return Err(ambiguous);
                        }
                        function
                    }
                };
                function.comment = text;
            }
            Target::Policy { name, table } => {
                let (name, table) = (fold(&name), self.qualify(&table)?);
                let missing = self.invalid(&format!("policy {name} on {table} is not declared before this statement"));
                let policy = self.db.table_mut(&table).and_then(|t| t.policies.get_mut(&name));
                policy.ok_or(missing)?.comment = text;
            }
            Target::Constraint { name, table } => {
                let (name, table) = (fold(&name), self.qualify(&table)?);
                let missing =
                    self.invalid(&format!("constraint {name} of {table} is not declared before this statement"));
                let existing = self.db.table_mut(&table).ok_or_else(|| missing.clone())?;
                let comment = existing
                    .primary_key
                    .as_mut()
                    .filter(|key| key.name == name)
                    .map(|key| &mut key.comment)
                    .or_else(|| existing.uniques.get_mut(&name).map(|c| &mut c.comment))
                    .or_else(|| existing.foreign_keys.get_mut(&name).map(|c| &mut c.comment))
                    .or_else(|| existing.checks.get_mut(&name).map(|c| &mut c.comment))
                    .or_else(|| existing.exclusions.get_mut(&name).map(|c| &mut c.comment));
                *comment.ok_or(missing)? = text;
            }
            Target::Trigger { name, table } => {
                let (name, table) = (fold(&name), self.qualify(&table)?);
                let missing = self.invalid(&format!("trigger {name} on {table} is not declared before this statement"));
                let schema = self.db.schemas.get_mut(&table.schema);
                let trigger = schema.and_then(|schema| match schema.tables.get_mut(&table.name) {
                    Some(existing) => existing.triggers.get_mut(&name),
                    None => schema.views.get_mut(&table.name).and_then(|view| view.triggers.get_mut(&name)),
                });
                trigger.ok_or(missing)?.comment = text;
            }
            Target::Extension(name) => {
                let name = fold_parts(&name).pop().unwrap_or_default();
                if !self.db.extensions.contains_key(&name) {
                    return Err(self.invalid(&format!("extension {name} is not declared before this statement")));
                }
                self.not_managed.extension_comments += 1;
            }
            Target::Unsupported(kind) => {
                return Err(self.unsupported(&format!("comments on {kind} objects are not part of the model")));
            }
            Target::Schema(name) => {
                let name = fold_parts(&name).pop().unwrap_or_default();
                // the comment `public` comes with is read as none on both sides
                let text = text.filter(|t| !(name == "public" && t == "standard public schema"));
                let missing = self.invalid(&format!("schema {name} is not declared before this statement"));
                self.db.schemas.get_mut(&name).ok_or(missing)?.comment = text;
            }
        }
        Ok(())
    }

    fn existing_table(&mut self, name: &QualifiedName) -> Result<&mut driftless_model::Table, ParseError> {
        let missing = self.invalid(&format!("table {name} is not declared before this statement"));
        self.db.table_mut(name).ok_or(missing)
    }
}

fn parse_comment(parser: &mut Parser) -> Result<(Target, Option<String>), ParserError> {
    parser.expect_keywords(&[Keyword::COMMENT, Keyword::ON])?;
    let target = if parser.parse_keyword(Keyword::TABLE) {
        Target::Table(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::COLUMN) {
        Target::Column(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::VIEW) {
        Target::View { name: parser.parse_object_name(false)?, materialized: false }
    } else if parser.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW]) {
        Target::View { name: parser.parse_object_name(false)?, materialized: true }
    } else if parser.parse_keyword(Keyword::INDEX) {
        Target::Index(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::SEQUENCE) {
        Target::Sequence(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::TYPE) {
        Target::Type(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::DOMAIN) {
        Target::Domain(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::SCHEMA) {
        Target::Schema(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::EXTENSION) {
        Target::Extension(parser.parse_object_name(false)?)
    } else if parser.parse_keyword(Keyword::POLICY) {
        let name = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::ON)?;
        Target::Policy { name, table: parser.parse_object_name(false)? }
    } else if parser.parse_keyword(Keyword::TRIGGER) {
        let name = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::ON)?;
        Target::Trigger { name, table: parser.parse_object_name(false)? }
    } else if parser.peek_keyword(Keyword::CONSTRAINT)
        && !matches!(parser.peek_nth_token(3).token, Token::Word(word) if word.keyword == Keyword::DOMAIN)
    {
        parser.expect_keyword(Keyword::CONSTRAINT)?;
        let name = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::ON)?;
        Target::Constraint { name, table: parser.parse_object_name(false)? }
    } else if parser.parse_one_of_keywords(&[Keyword::FUNCTION, Keyword::PROCEDURE, Keyword::AGGREGATE]).is_some() {
        let name = parser.parse_object_name(false)?;
        // `(*)`: an aggregate without arguments
        let argument_types = if parser.peek_nth_token(1).token == Token::Mul {
            parser.expect_token(&Token::LParen)?;
            parser.expect_token(&Token::Mul)?;
            parser.expect_token(&Token::RParen)?;
            Some(Vec::new())
        } else if parser.peek_token().token == Token::LParen {
            let arguments = parse_arguments(parser)?;
            Some(arguments.into_iter().filter(|a| a.mode != ArgMode::Out).map(|a| a.data_type).collect())
        } else {
            None
        };
        Target::Routine { name, argument_types }
    } else {
        let kind = parser.next_token().to_string().to_lowercase();
        while parser.peek_token().token != Token::EOF {
            parser.next_token();
        }
        return Ok((Target::Unsupported(kind), None));
    };
    parser.expect_keyword(Keyword::IS)?;
    let text = if parser.parse_keyword(Keyword::NULL) { None } else { Some(super::tokens::parse_string(parser)?) };
    Ok((target, text))
}
