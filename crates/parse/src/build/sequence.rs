//! CREATE SEQUENCE, ALTER SEQUENCE (which sqlparser does not read) and the option lists identity columns
//! share with sequences.

use super::{Builder, PendingOwner};
use crate::ParseError;
use crate::ident::fold_parts;
use crate::types::format_type;
use driftless_model::{QualifiedName, Sequence, SequenceOptions as Options};
use sqlparser::ast::{Expr, ObjectName, SequenceOptions, UnaryOperator, Value};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::TokenWithSpan;

impl Builder<'_> {
    pub(super) fn create_sequence(
        &mut self,
        name: &ObjectName,
        if_not_exists: bool,
        options: &[SequenceOptions],
    ) -> Result<(), ParseError> {
        let name = self.qualify(name)?;
        if self.relation_taken(&name.schema, &name.name) {
            return if if_not_exists {
                Ok(())
            } else {
                Err(self.invalid(&format!("relation {name} is declared twice")))
            };
        }
        self.claim_new_relation(&name)?;
        let data_type = match options.iter().find_map(|o| match o {
            SequenceOptions::DataType(data_type) => Some(data_type),
            _ => None,
        }) {
            Some(data_type) => format_type(data_type, &self.options.default_schema).name,
            None => "bigint".to_string(),
        };
        let sequence_options = self.sequence_options(&data_type, options)?;
        let owned_by = self.owner(&name, options)?;
        let sequence = Sequence { name: name.clone(), options: sequence_options, owned_by, comment: None };
        self.schema_mut(&name.schema).sequences.insert(name.name.clone(), sequence);
        Ok(())
    }

    /// `ALTER SEQUENCE [IF EXISTS] name option ...`: the options change the declared sequence.
    pub(super) fn alter_sequence(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let (if_exists, name, options) = self.parse_with(tokens, |parser| {
            parser.expect_keywords(&[Keyword::ALTER, Keyword::SEQUENCE])?;
            let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
            let name = parser.parse_object_name(false)?;
            Ok((if_exists, name, parse_alter_options(parser)?))
        })?;
        let name = self.qualify(&name)?;
        let Some(existing) = self.db.schemas.get(&name.schema).and_then(|s| s.sequences.get(&name.name)) else {
            return if if_exists {
                Ok(())
            } else {
                Err(self.invalid(&format!("sequence {name} is not declared before this statement")))
            };
        };
        let mut updated = existing.options.clone();
        if let Some(SequenceOptions::DataType(data_type)) =
            options.iter().find(|o| matches!(o, SequenceOptions::DataType(_)))
        {
            let data_type = format_type(data_type, &self.options.default_schema).name;
            // limits that were the old type's defaults follow the new type, as in PostgreSQL
            let old_defaults = Options::postgres_defaults(&updated.data_type, updated.increment);
            let new_defaults = Options::postgres_defaults(&data_type, updated.increment);
            if updated.max_value == old_defaults.max_value {
                updated.max_value = new_defaults.max_value;
            }
            if updated.min_value == old_defaults.min_value {
                updated.min_value = new_defaults.min_value;
            }
            updated.data_type = data_type.into();
        }
        for option in &options {
            self.apply_explicit_option(&mut updated, option)?;
        }
        let owned_by = self.owner(&name, &options)?;
        let sequence = self.schema_mut(&name.schema).sequences.get_mut(&name.name).expect("looked up above");
        sequence.options = updated;
        if options.iter().any(|o| matches!(o, SequenceOptions::OwnedBy(_))) {
            sequence.owned_by = owned_by;
        }
        Ok(())
    }

    /// Sequence options with PostgreSQL's defaults for the type and direction filled in, then the explicit
    /// ones applied; the start defaults to the (possibly explicit) minimum or maximum.
    pub(super) fn sequence_options(&self, data_type: &str, options: &[SequenceOptions]) -> Result<Options, ParseError> {
        let mut increment = 1;
        for option in options {
            if let SequenceOptions::IncrementBy(value, _) = option {
                increment = self.integer(value)?;
            }
        }
        if increment == 0 {
            return Err(self.invalid("a sequence's increment cannot be zero"));
        }
        let mut result = Options::postgres_defaults(data_type, increment);
        let mut explicit_start = false;
        for option in options {
            explicit_start |= matches!(option, SequenceOptions::StartWith(..));
            self.apply_explicit_option(&mut result, option)?;
        }
        if !explicit_start {
            result.start = if increment > 0 { result.min_value } else { result.max_value };
        }
        Ok(result)
    }

    fn apply_explicit_option(&self, options: &mut Options, option: &SequenceOptions) -> Result<(), ParseError> {
        let defaults = Options::postgres_defaults(&options.data_type, options.increment);
        match option {
            SequenceOptions::IncrementBy(value, _) => options.increment = self.integer(value)?,
            SequenceOptions::MinValue(Some(value)) => options.min_value = self.integer(value)?,
            SequenceOptions::MinValue(None) => options.min_value = defaults.min_value,
            SequenceOptions::MaxValue(Some(value)) => options.max_value = self.integer(value)?,
            SequenceOptions::MaxValue(None) => options.max_value = defaults.max_value,
            SequenceOptions::StartWith(value, _) => options.start = self.integer(value)?,
            SequenceOptions::Cache(value) => options.cache = self.integer(value)?,
            SequenceOptions::Cycle(no_cycle) => options.cycle = !no_cycle,
            SequenceOptions::DataType(_) | SequenceOptions::OwnedBy(_) => {}
        }
        Ok(())
    }

    /// `OWNED BY table.column` (checked once all statements are read) or `OWNED BY NONE`.
    fn owner(
        &mut self,
        sequence: &QualifiedName,
        options: &[SequenceOptions],
    ) -> Result<Option<(String, String)>, ParseError> {
        let Some(SequenceOptions::OwnedBy(target)) = options.iter().find(|o| matches!(o, SequenceOptions::OwnedBy(_)))
        else {
            return Ok(None);
        };
        let Some(target) = target else {
            return Ok(None);
        };
        let parts = fold_parts(target);
        let (table, column) = match parts.as_slice() {
            [table, column] => (table.clone(), column.clone()),
            [schema, table, column] if *schema == sequence.schema => (table.clone(), column.clone()),
            _ => {
                return Err(
                    self.invalid(&format!("OWNED BY {target} must name a column of a table in the sequence's schema"))
                );
            }
        };
        let statement = self.current.clone().expect("a statement is being folded");
        self.pending_owners.push(PendingOwner { sequence: sequence.clone(), statement });
        Ok(Some((table, column)))
    }

    pub(super) fn check_sequence_owner(&self, sequence: &QualifiedName) -> Result<(), ParseError> {
        let owned_by = self.db.schemas[&sequence.schema].sequences.get(&sequence.name).and_then(|s| s.owned_by.clone());
        let Some((table, column)) = owned_by else {
            return Ok(());
        };
        let table_name = QualifiedName::new(sequence.schema.clone(), table);
        match self.db.table(&table_name) {
            Some(t) if t.column(&column).is_some() => Ok(()),
            Some(_) => {
                Err(self
                    .invalid(&format!("sequence {sequence} is owned by {table_name}.{column}, which does not exist")))
            }
            None => Err(self
                .invalid(&format!("sequence {sequence} is owned by a column of {table_name}, which is not declared"))),
        }
    }

    fn integer(&self, expr: &Expr) -> Result<i64, ParseError> {
        let parsed = match expr {
            Expr::Value(value) => match &value.value {
                Value::Number(digits, _) => digits.parse().ok(),
                _ => None,
            },
            Expr::UnaryOp { op: UnaryOperator::Minus, expr } => self.integer(expr).ok().and_then(i64::checked_neg),
            Expr::UnaryOp { op: UnaryOperator::Plus, expr } => self.integer(expr).ok(),
            _ => None,
        };
        parsed.ok_or_else(|| self.invalid(&format!("`{expr}` is not an integer")))
    }
}

/// The options of ALTER SEQUENCE, as sqlparser's CREATE SEQUENCE options; `RESTART` and `OWNER TO` change
/// runtime state or ownership, which the model does not hold, and are read and dropped.
fn parse_alter_options(parser: &mut Parser) -> Result<Vec<SequenceOptions>, ParserError> {
    let mut options = Vec::new();
    loop {
        if parser.parse_keyword(Keyword::AS) {
            options.push(SequenceOptions::DataType(parser.parse_data_type()?));
        } else if parser.parse_keyword(Keyword::INCREMENT) {
            let by = parser.parse_keyword(Keyword::BY);
            options.push(SequenceOptions::IncrementBy(parser.parse_number()?, by));
        } else if parser.parse_keyword(Keyword::MINVALUE) {
            options.push(SequenceOptions::MinValue(Some(parser.parse_number()?)));
        } else if parser.parse_keywords(&[Keyword::NO, Keyword::MINVALUE]) {
            options.push(SequenceOptions::MinValue(None));
        } else if parser.parse_keyword(Keyword::MAXVALUE) {
            options.push(SequenceOptions::MaxValue(Some(parser.parse_number()?)));
        } else if parser.parse_keywords(&[Keyword::NO, Keyword::MAXVALUE]) {
            options.push(SequenceOptions::MaxValue(None));
        } else if parser.parse_keyword(Keyword::START) {
            let with = parser.parse_keyword(Keyword::WITH);
            options.push(SequenceOptions::StartWith(parser.parse_number()?, with));
        } else if parser.parse_keyword(Keyword::RESTART) {
            if parser.parse_keyword(Keyword::WITH) {
                parser.parse_number()?;
            } else {
                let _ = parser.maybe_parse(|p| p.parse_number())?;
            }
        } else if parser.parse_keyword(Keyword::CACHE) {
            options.push(SequenceOptions::Cache(parser.parse_number()?));
        } else if parser.parse_keywords(&[Keyword::NO, Keyword::CYCLE]) {
            options.push(SequenceOptions::Cycle(true));
        } else if parser.parse_keyword(Keyword::CYCLE) {
            options.push(SequenceOptions::Cycle(false));
        } else if parser.parse_keywords(&[Keyword::OWNED, Keyword::BY]) {
            let target =
                if parser.parse_keyword(Keyword::NONE) { None } else { Some(parser.parse_object_name(false)?) };
            options.push(SequenceOptions::OwnedBy(target));
        } else if parser.parse_keywords(&[Keyword::OWNER, Keyword::TO]) {
            parser.parse_identifier()?;
        } else {
            return Ok(options);
        }
    }
}
