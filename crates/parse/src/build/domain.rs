//! CREATE DOMAIN and ALTER DOMAIN, read by a small parser over sqlparser's tokens: sqlparser's own reading
//! requires `AS` and takes no `NOT NULL`, `NULL` or `NOT VALID`.

use super::Builder;
use super::table::default_value;
use crate::ParseError;
use crate::ident::{fold, fold_parts};
use crate::names::choose_name;
use crate::types::format_type;
use driftless_model::{Domain, DomainCheck, NameMap, QualifiedName};
use sqlparser::ast::{ColumnOption, DataType, Expr as SqlExpr, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::TokenWithSpan;

/// A domain constraint as written: `[CONSTRAINT name] {NOT NULL | NULL | CHECK (expr)}`.
struct RawConstraint {
    name: Option<Ident>,
    kind: ConstraintKind,
}

enum ConstraintKind {
    NotNull,
    Null,
    Check(SqlExpr),
}

struct RawDomain {
    name: ObjectName,
    data_type: DataType,
    collation: Option<ObjectName>,
    default: Option<SqlExpr>,
    constraints: Vec<RawConstraint>,
}

/// The forms of ALTER DOMAIN the model follows (`OWNER TO` is recognized before, as for every object).
enum Alteration {
    SetDefault(SqlExpr),
    DropDefault,
    SetNotNull,
    DropNotNull,
    Add { constraint: RawConstraint, not_valid: bool },
    DropConstraint { name: Ident, if_exists: bool },
    RenameConstraint { from: Ident, to: Ident },
    ValidateConstraint(Ident),
    Rename(Ident),
}

impl Builder<'_> {
    pub(super) fn create_domain(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let raw = self.parse_with(tokens, parse_create_domain)?;
        let name = self.qualify(&raw.name)?;
        let data_type = format_type(&raw.data_type, &self.options.default_schema);
        if data_type.serial {
            return Err(self.unsupported("a domain cannot be over a serial type; use the integer type"));
        }
        let schema = self.db.schemas.get(&name.schema);
        if schema.is_some_and(|s| s.domains.contains_key(&name.name) || s.enums.contains_key(&name.name)) {
            return Err(self.invalid(&format!("type {name} is declared twice")));
        }
        let data_type = driftless_model::DataType::from(data_type.name);
        // a domain over a domain starts with its base's default, as PostgreSQL copies it
        let base_default = data_type
            .user_type(&self.options.default_schema)
            .and_then(|base| self.db.schemas.get(&base.schema)?.domains.get(&base.name)?.default.clone());
        let mut domain = Domain {
            default: match &raw.default {
                Some(default) => default_value(default, data_type.as_str()).map(|default| *default),
                None => base_default,
            },
            collation: raw.collation.as_ref().and_then(|collation| fold_parts(collation).pop()),
            name: name.clone(),
            data_type,
            not_null: false,
            checks: NameMap::new(),
            comment: None,
        };
        for constraint in raw.constraints {
            self.add_domain_constraint(&mut domain, constraint, false)?;
        }
        self.schema_mut(&name.schema).domains.insert(name.name.clone(), domain);
        Ok(())
    }

    pub(super) fn alter_domain(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (name, alteration) = self.parse_with(tokens, parse_alter_domain)?;
        let name = self.qualify(&name)?;
        let Some(mut domain) = self.db.schemas.get_mut(&name.schema).and_then(|s| s.domains.remove(&name.name)) else {
            return Err(self.invalid(&format!("domain {name} is not declared before this statement")));
        };
        let result = self.alter_domain_in(&mut domain, alteration);
        self.schema_mut(&domain.name.schema.clone()).domains.insert(domain.name.name.clone(), domain);
        result
    }

    fn alter_domain_in(&mut self, domain: &mut Domain, alteration: Alteration) -> Result<(), ParseError> {
        let missing = |builder: &Self, constraint: &str| {
            builder.invalid(&format!("domain {} has no check {constraint}", domain.name))
        };
        match alteration {
            Alteration::SetDefault(default) => {
                domain.default = default_value(&default, domain.data_type.as_str()).map(|default| *default)
            }
            Alteration::DropDefault => domain.default = None,
            Alteration::SetNotNull => domain.not_null = true,
            Alteration::DropNotNull => domain.not_null = false,
            Alteration::Add { constraint, not_valid } => self.add_domain_constraint(domain, constraint, not_valid)?,
            Alteration::DropConstraint { name, if_exists } => {
                let name = fold(&name);
                if domain.checks.remove(&name).is_none() && !if_exists {
                    return Err(missing(self, &name));
                }
            }
            Alteration::RenameConstraint { from, to } => {
                let (from, to) = (fold(&from), fold(&to));
                let Some(check) = domain.checks.remove(&from) else {
                    return Err(missing(self, &from));
                };
                self.claim_domain_constraint(&domain.name, &to)?;
                domain.checks.insert(DomainCheck { name: to, ..check });
            }
            Alteration::ValidateConstraint(name) => {
                let name = fold(&name);
                let missing = missing(self, &name);
                domain.checks.get_mut(&name).ok_or(missing)?.not_valid = false;
            }
            Alteration::Rename(to) => {
                let default_schema = &self.options.default_schema;
                let uses = |data_type: &driftless_model::DataType| {
                    data_type.user_type(default_schema).as_ref() == Some(&domain.name)
                };
                let schemas = self.db.schemas.values();
                let used = schemas
                    .clone()
                    .flat_map(|s| s.tables.values())
                    .flat_map(|t| &t.columns)
                    .any(|c| uses(&c.data_type))
                    || schemas.flat_map(|s| s.domains.values()).any(|d| uses(&d.data_type));
                if used {
                    return Err(self.unsupported("renames a domain that is in use; declare it under its new name"));
                }
                let to = QualifiedName::new(domain.name.schema.clone(), fold(&to));
                let schema = self.db.schemas.get(&to.schema);
                if schema.is_some_and(|s| s.domains.contains_key(&to.name) || s.enums.contains_key(&to.name)) {
                    return Err(self.invalid(&format!("type {to} is declared twice")));
                }
                domain.name = to;
            }
        }
        Ok(())
    }

    fn add_domain_constraint(
        &mut self,
        domain: &mut Domain,
        constraint: RawConstraint,
        not_valid: bool,
    ) -> Result<(), ParseError> {
        let expr = match constraint.kind {
            ConstraintKind::Check(expr) => expr,
            // PostgreSQL 12 to 16 keep no name for a domain's NOT NULL: one written would be lost
            _ if constraint.name.is_some() => {
                return Err(self.unsupported("a domain's NOT NULL or NULL keeps no constraint name; leave it out"));
            }
            _ if not_valid => return Err(self.invalid("only a CHECK constraint can be NOT VALID")),
            ConstraintKind::NotNull => {
                domain.not_null = true;
                return Ok(());
            }
            ConstraintKind::Null => {
                domain.not_null = false;
                return Ok(());
            }
        };
        let name = match constraint.name {
            Some(name) => {
                let name = fold(&name);
                self.claim_domain_constraint(&domain.name, &name)?;
                name
            }
            // PostgreSQL's choice for an unnamed one avoids every constraint name of the schema
            None => {
                let name =
                    choose_name(&domain.name.name, None, "check", |c| self.constraint_taken(&domain.name.schema, c));
                self.claim_constraint(&domain.name.schema, &name);
                name
            }
        };
        domain.checks.insert(DomainCheck { name, expr: super::expression(&expr.to_string()), not_valid });
        Ok(())
    }

    fn claim_domain_constraint(&mut self, domain: &QualifiedName, name: &str) -> Result<(), ParseError> {
        if self.constraint_taken(&domain.schema, name) {
            return Err(self.invalid(&format!("constraint {name} of domain {domain} is declared twice")));
        }
        self.claim_constraint(&domain.schema, name);
        Ok(())
    }
}

fn parse_create_domain(parser: &mut Parser) -> Result<RawDomain, ParserError> {
    parser.expect_keywords(&[Keyword::CREATE, Keyword::DOMAIN])?;
    let name = parser.parse_object_name(false)?;
    let _ = parser.parse_keyword(Keyword::AS);
    let data_type = parser.parse_data_type()?;
    let collation = if parser.parse_keyword(Keyword::COLLATE) { Some(parser.parse_object_name(false)?) } else { None };
    // read as a column's default is, so that a `NOT NULL` after it is not taken for `IS NOT NULL`
    let default = match parser.peek_keyword(Keyword::DEFAULT).then(|| parser.parse_optional_column_option()) {
        Some(Ok(Some(ColumnOption::Default(default)))) => Some(default),
        Some(Err(error)) => return Err(error),
        _ => None,
    };
    let mut constraints = Vec::new();
    while let Some(constraint) = parse_constraint(parser)? {
        constraints.push(constraint);
    }
    Ok(RawDomain { name, data_type, collation, default, constraints })
}

fn parse_constraint(parser: &mut Parser) -> Result<Option<RawConstraint>, ParserError> {
    let name = if parser.parse_keyword(Keyword::CONSTRAINT) { Some(parser.parse_identifier()?) } else { None };
    let kind = if parser.parse_keywords(&[Keyword::NOT, Keyword::NULL]) {
        ConstraintKind::NotNull
    } else if parser.parse_keyword(Keyword::NULL) {
        ConstraintKind::Null
    } else if parser.parse_keyword(Keyword::CHECK) {
        parser.expect_token(&sqlparser::tokenizer::Token::LParen)?;
        let expr = parser.parse_expr()?;
        parser.expect_token(&sqlparser::tokenizer::Token::RParen)?;
        ConstraintKind::Check(expr)
    } else if name.is_some() {
        return parser.expected("NOT NULL, NULL or CHECK", parser.peek_token());
    } else {
        return Ok(None);
    };
    Ok(Some(RawConstraint { name, kind }))
}

fn parse_alter_domain(parser: &mut Parser) -> Result<(ObjectName, Alteration), ParserError> {
    parser.expect_keywords(&[Keyword::ALTER, Keyword::DOMAIN])?;
    let name = parser.parse_object_name(false)?;
    let alteration = if parser.parse_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
        Alteration::SetDefault(parser.parse_expr()?)
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::DEFAULT]) {
        Alteration::DropDefault
    } else if parser.parse_keywords(&[Keyword::SET, Keyword::NOT, Keyword::NULL]) {
        Alteration::SetNotNull
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::NOT, Keyword::NULL]) {
        Alteration::DropNotNull
    } else if parser.parse_keyword(Keyword::ADD) {
        let Some(constraint) = parse_constraint(parser)? else {
            return parser.expected("a domain constraint", parser.peek_token());
        };
        let not_valid = parser.parse_keywords(&[Keyword::NOT, Keyword::VALID]);
        Alteration::Add { constraint, not_valid }
    } else if parser.parse_keywords(&[Keyword::DROP, Keyword::CONSTRAINT]) {
        let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let name = parser.parse_identifier()?;
        // RESTRICT is the default; CASCADE drops nothing more for a domain's check
        let _ = parser.parse_one_of_keywords(&[Keyword::RESTRICT, Keyword::CASCADE]);
        Alteration::DropConstraint { name, if_exists }
    } else if parser.parse_keywords(&[Keyword::RENAME, Keyword::CONSTRAINT]) {
        let from = parser.parse_identifier()?;
        parser.expect_keyword(Keyword::TO)?;
        Alteration::RenameConstraint { from, to: parser.parse_identifier()? }
    } else if parser.parse_keywords(&[Keyword::VALIDATE, Keyword::CONSTRAINT]) {
        Alteration::ValidateConstraint(parser.parse_identifier()?)
    } else if parser.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        Alteration::Rename(parser.parse_identifier()?)
    } else {
        return parser.expected(
            "SET/DROP DEFAULT, SET/DROP NOT NULL, ADD, DROP/RENAME/VALIDATE CONSTRAINT, RENAME TO or OWNER TO",
            parser.peek_token(),
        );
    };
    Ok((name, alteration))
}
