//! CREATE [OR REPLACE] TRIGGER, read by a small parser of PostgreSQL's grammar over sqlparser's tokens
//! (sqlparser does not take trigger function arguments such as `'x'`).

use super::{Builder, expression};
use crate::ident::{fold, fold_column, fold_parts};
use crate::{ParseError, depth};
use driftless_model::{
    ConstraintTrigger, Deferrable, QualifiedName, Trigger, TriggerAction, TriggerEvent, TriggerTiming,
};
use sqlparser::ast::{Expr as SqlExpr, Ident, ObjectName};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The trigger functions PostgreSQL ships in `pg_catalog`.
const BUILTIN_TRIGGER_FUNCTIONS: [&str; 3] =
    ["suppress_redundant_updates_trigger", "tsvector_update_trigger", "tsvector_update_trigger_column"];

struct RawTrigger {
    or_replace: bool,
    constraint: bool,
    name: String,
    timing: TriggerTiming,
    events: Vec<TriggerEvent>,
    table: ObjectName,
    transition_tables: bool,
    /// `FROM table` of a constraint trigger.
    from: Option<ObjectName>,
    /// `DEFERRABLE` / `NOT DEFERRABLE` and `INITIALLY ...`, as written.
    deferrable: Option<bool>,
    initially_deferred: bool,
    for_each_row: bool,
    when: Option<SqlExpr>,
    function: ObjectName,
    args: Vec<String>,
}

impl Builder<'_> {
    pub(super) fn create_trigger(&mut self, tokens: Vec<TokenWithSpan>) -> Result<(), ParseError> {
        let raw = self.parse_with(tokens, parse_trigger)?;
        let constraint = if raw.constraint {
            if raw.timing != TriggerTiming::After || !raw.for_each_row || raw.or_replace {
                return Err(self.invalid("a constraint trigger is AFTER ... FOR EACH ROW, and never OR REPLACE"));
            }
            let deferrable = match (raw.deferrable, raw.initially_deferred) {
                (Some(false), true) => {
                    return Err(self.invalid("a NOT DEFERRABLE constraint trigger cannot be INITIALLY DEFERRED"));
                }
                (_, true) => Deferrable::InitiallyDeferred,
                (Some(true), false) => Deferrable::InitiallyImmediate,
                (_, false) => Deferrable::NotDeferrable,
            };
            let from = raw.from.as_ref().map(|from| self.qualify(from)).transpose()?;
            Some(ConstraintTrigger { deferrable, from })
        } else if raw.from.is_some() || raw.deferrable.is_some() || raw.initially_deferred {
            return Err(self.invalid("FROM, DEFERRABLE and INITIALLY belong to constraint triggers"));
        } else {
            None
        };
        if raw.transition_tables {
            return Err(self.unsupported("triggers with REFERENCING transition tables are not supported"));
        }
        let table = self.qualify(&raw.table)?;
        let function = match fold_parts(&raw.function).as_slice() {
            // pg_catalog is searched first, so an unqualified name of one of its trigger functions means it
            [name] if BUILTIN_TRIGGER_FUNCTIONS.contains(&name.as_str()) => QualifiedName::new("pg_catalog", name),
            _ => self.qualify(&raw.function)?,
        };
        let mut events = raw.events;
        events.sort();
        events.dedup();
        let trigger = Trigger {
            constraint,
            comment: None,
            name: raw.name.clone(),
            timing: raw.timing,
            events,
            for_each_row: raw.for_each_row,
            when: raw.when.map(|w| expression(&w.to_string())),
            action: TriggerAction::Function { function, args: raw.args },
        };
        let missing = self.invalid(&format!("table or view {table} is not declared before this statement"));
        let materialized = self.invalid(&format!("materialized view {table} takes no triggers"));
        let declared_twice = self.invalid(&format!("trigger {} on {table} is declared twice", raw.name));
        let schema = self.db.schemas.get_mut(&table.schema).ok_or_else(|| missing.clone())?;
        // a view's: INSTEAD OF for its rows, BEFORE/AFTER for its statements
        let triggers = match (schema.tables.get_mut(&table.name), schema.views.get_mut(&table.name)) {
            (Some(existing), _) => &mut existing.triggers,
            (None, Some(view)) if view.materialized => return Err(materialized),
            (None, Some(view)) => &mut view.triggers,
            (None, None) => return Err(missing),
        };
        if triggers.contains_key(&raw.name) && !raw.or_replace {
            return Err(declared_twice);
        }
        triggers.insert(trigger);
        Ok(())
    }
}

fn parse_trigger(parser: &mut Parser) -> Result<RawTrigger, ParserError> {
    parser.expect_keyword(Keyword::CREATE)?;
    let or_replace = parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    let constraint = parser.parse_keyword(Keyword::CONSTRAINT);
    parser.expect_keyword(Keyword::TRIGGER)?;
    let name = fold(&parser.parse_identifier()?);
    let timing = if parser.parse_keyword(Keyword::BEFORE) {
        TriggerTiming::Before
    } else if parser.parse_keyword(Keyword::AFTER) {
        TriggerTiming::After
    } else {
        parser.expect_keywords(&[Keyword::INSTEAD, Keyword::OF])?;
        TriggerTiming::InsteadOf
    };
    let mut events = vec![parse_event(parser)?];
    while parser.parse_keyword(Keyword::OR) {
        events.push(parse_event(parser)?);
    }
    parser.expect_keyword(Keyword::ON)?;
    let table = parser.parse_object_name(false)?;
    let mut trigger = RawTrigger {
        or_replace,
        constraint,
        name,
        timing,
        events,
        table,
        transition_tables: false,
        from: None,
        deferrable: None,
        initially_deferred: false,
        for_each_row: false,
        when: None,
        function: ObjectName(vec![]),
        args: vec![],
    };
    loop {
        if parser.parse_keyword(Keyword::FROM) {
            trigger.from = Some(parser.parse_object_name(false)?);
        } else if parser.parse_keywords(&[Keyword::NOT, Keyword::DEFERRABLE]) {
            trigger.deferrable = Some(false);
        } else if parser.parse_keyword(Keyword::DEFERRABLE) {
            trigger.deferrable = Some(true);
        } else if parser.parse_keyword(Keyword::INITIALLY) {
            trigger.initially_deferred =
                parser.expect_one_of_keywords(&[Keyword::IMMEDIATE, Keyword::DEFERRED])? == Keyword::DEFERRED;
        } else if parser.parse_keyword(Keyword::REFERENCING) {
            trigger.transition_tables = true;
            while parser.parse_one_of_keywords(&[Keyword::OLD, Keyword::NEW]).is_some() {
                parser.expect_keyword(Keyword::TABLE)?;
                let _ = parser.parse_keyword(Keyword::AS);
                parser.parse_identifier()?;
            }
        } else if parser.parse_keyword(Keyword::FOR) {
            let _ = parser.parse_keyword(Keyword::EACH);
            trigger.for_each_row = parser.expect_one_of_keywords(&[Keyword::ROW, Keyword::STATEMENT])? == Keyword::ROW;
        } else if parser.parse_keyword(Keyword::WHEN) {
            parser.expect_token(&Token::LParen)?;
            trigger.when = Some(depth::checked(parser.parse_expr()?)?);
            parser.expect_token(&Token::RParen)?;
        } else {
            break;
        }
    }
    parser.expect_keyword(Keyword::EXECUTE)?;
    parser.expect_one_of_keywords(&[Keyword::FUNCTION, Keyword::PROCEDURE])?;
    trigger.function = parser.parse_object_name(false)?;
    parser.expect_token(&Token::LParen)?;
    if !parser.consume_token(&Token::RParen) {
        trigger.args = parser.parse_comma_separated(parse_trigger_argument)?;
        parser.expect_token(&Token::RParen)?;
    }
    Ok(trigger)
}

fn parse_event(parser: &mut Parser) -> Result<TriggerEvent, ParserError> {
    match parser.expect_one_of_keywords(&[Keyword::INSERT, Keyword::UPDATE, Keyword::DELETE, Keyword::TRUNCATE])? {
        Keyword::INSERT => Ok(TriggerEvent::Insert),
        Keyword::DELETE => Ok(TriggerEvent::Delete),
        Keyword::TRUNCATE => Ok(TriggerEvent::Truncate),
        _ => {
            let columns = if parser.parse_keyword(Keyword::OF) {
                parser.parse_comma_separated(|p| Ok(fold_column(&p.parse_identifier()?)))?
            } else {
                vec![]
            };
            Ok(TriggerEvent::Update { columns })
        }
    }
}

/// Trigger arguments are stored as strings whatever their spelling, the way PostgreSQL's grammar reads them:
/// `'x'` → `x`, `007` → `7` (an integer that fits `int4`; other numbers as written), `Name` → `name`.
fn parse_trigger_argument(parser: &mut Parser) -> Result<String, ParserError> {
    let token = parser.next_token();
    match token.token {
        Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Ok(s),
        Token::DollarQuotedString(quoted) => Ok(quoted.value),
        Token::Number(n, _) => Ok(n.parse::<i32>().map_or(n, |integer| integer.to_string())),
        Token::Word(w) => Ok(fold(&Ident { value: w.value, quote_style: w.quote_style, span: token.span })),
        Token::Minus => match parser.next_token().token {
            Token::Number(n, _) => Ok(format!("-{n}")),
            _ => parser.expected("a number", token),
        },
        _ => parser.expected("a trigger argument (a string, number or name)", token),
    }
}
