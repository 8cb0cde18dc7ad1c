//! `pg_dump --clean --if-exists` writes a `DROP ... IF EXISTS` before each object it then creates. On an
//! empty database it does nothing and on a loaded one the object comes back, so a drop of an object the
//! file declares later is accepted; any other drop would change the schema and is refused.

use super::{Builder, PendingDrop};
use crate::ParseError;
use crate::ident::fold_parts;
use driftless_model::QualifiedName;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The kinds of object a dropped name is looked up among.
#[derive(Clone, Copy, Debug)]
pub(super) enum DropKind {
    Table,
    View,
    MaterializedView,
    Index,
    Sequence,
    Type,
    Domain,
    Schema,
    Extension,
}

impl Builder<'_> {
    pub(super) fn drop_if_exists(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (kind, names) = self.parse_with(tokens, parse_drop)?;
        let Some(kind) = kind else {
            let (line, excerpt) = self.location();
            return Err(ParseError::NotDdl { line, excerpt });
        };
        let statement = self.current.clone().expect("a statement is being folded");
        for name in names {
            let name = match kind {
                DropKind::Schema | DropKind::Extension => {
                    QualifiedName::new(String::new(), fold_parts(&name).pop().unwrap_or_default())
                }
                _ => self.qualify(&name)?,
            };
            if self.declares(kind, &name) {
                return Err(self.unsupported(&format!(
                    "drops {name}, declared before it; a desired schema only declares what should exist"
                )));
            }
            self.pending_drops.push(PendingDrop { kind, name, statement: statement.clone() });
        }
        Ok(())
    }

    /// Whether the model holds the object, once every statement has been read for a pending drop.
    pub(super) fn declares(&self, kind: DropKind, name: &QualifiedName) -> bool {
        let schema = self.db.schemas.get(&name.schema);
        match kind {
            DropKind::Table => self.db.table(name).is_some(),
            DropKind::View | DropKind::MaterializedView => schema
                .and_then(|s| s.views.get(&name.name))
                .is_some_and(|view| view.materialized == matches!(kind, DropKind::MaterializedView)),
            DropKind::Index => schema.is_some_and(|s| {
                s.tables.values().any(|t| t.indexes.contains_key(&name.name))
                    || s.views.values().any(|v| v.indexes.contains_key(&name.name))
            }),
            DropKind::Sequence => schema.is_some_and(|s| s.sequences.contains_key(&name.name)),
            DropKind::Type => schema.is_some_and(|s| s.enums.contains_key(&name.name)),
            DropKind::Domain => schema.is_some_and(|s| s.domains.contains_key(&name.name)),
            DropKind::Schema => self.created_schemas.contains(&name.name),
            DropKind::Extension => self.db.extensions.contains_key(&name.name),
        }
    }

    pub(super) fn check_drop(&self, drop: &PendingDrop) -> Result<(), ParseError> {
        if self.declares(drop.kind, &drop.name) {
            return Ok(());
        }
        Err(self.unsupported(&format!(
            "drops {}, which this file does not declare; a desired schema only declares what should exist",
            drop.name
        )))
    }
}

/// `DROP kind IF EXISTS name[, ...] [CASCADE | RESTRICT]`; the kind is `None` when it is not one the model
/// looks up, or `IF EXISTS` is missing.
fn parse_drop(parser: &mut Parser) -> Result<(Option<DropKind>, Vec<sqlparser::ast::ObjectName>), ParserError> {
    parser.expect_keyword(Keyword::DROP)?;
    let kind = if parser.parse_keyword(Keyword::TABLE) {
        Some(DropKind::Table)
    } else if parser.parse_keyword(Keyword::VIEW) {
        Some(DropKind::View)
    } else if parser.parse_keywords(&[Keyword::MATERIALIZED, Keyword::VIEW]) {
        Some(DropKind::MaterializedView)
    } else if parser.parse_keyword(Keyword::INDEX) {
        Some(DropKind::Index)
    } else if parser.parse_keyword(Keyword::SEQUENCE) {
        Some(DropKind::Sequence)
    } else if parser.parse_keyword(Keyword::TYPE) {
        Some(DropKind::Type)
    } else if parser.parse_keyword(Keyword::DOMAIN) {
        Some(DropKind::Domain)
    } else if parser.parse_keyword(Keyword::SCHEMA) {
        Some(DropKind::Schema)
    } else if parser.parse_keyword(Keyword::EXTENSION) {
        Some(DropKind::Extension)
    } else {
        None
    };
    if kind.is_none() || !parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]) {
        while parser.peek_token().token != Token::EOF {
            parser.next_token();
        }
        return Ok((None, Vec::new()));
    }
    let names = parser.parse_comma_separated(|p| p.parse_object_name(false))?;
    let _ = parser.parse_one_of_keywords(&[Keyword::CASCADE, Keyword::RESTRICT]);
    Ok((kind, names))
}
