//! MySQL triggers: `CREATE TRIGGER [IF NOT EXISTS] name BEFORE|AFTER INSERT|UPDATE|DELETE ON table FOR EACH
//! ROW body`, read from the tokens: sqlparser reads no MySQL compound statement (`DECLARE ... HANDLER`,
//! `IF ... END IF`). The body, one statement or a `BEGIN ... END` block, is kept as written (what the plan runs
//! and what the server keeps in `ACTION_STATEMENT`) and compared without comments and layout.

use crate::build::tokens::offset_of;
use crate::canon::collapse_whitespace_in;
use driftless_model::{Expr, Trigger, TriggerAction, TriggerEvent, TriggerTiming};
use sqlparser::ast::ObjectName;
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// A `CREATE TRIGGER` as declared: the table it is on, and the trigger.
pub(super) struct Declared {
    pub table: ObjectName,
    pub trigger: Trigger,
    pub if_not_exists: bool,
}

/// Whether the statement is a `CREATE [OR REPLACE] [DEFINER = ...] TRIGGER`: the first word after `CREATE`
/// that names a kind of object is `TRIGGER`.
pub(super) fn is_create_trigger(tokens: &[TokenWithSpan]) -> bool {
    const KINDS: [Keyword; 14] = [
        Keyword::TRIGGER,
        Keyword::VIEW,
        Keyword::TABLE,
        Keyword::INDEX,
        Keyword::UNIQUE,
        Keyword::FULLTEXT,
        Keyword::SPATIAL,
        Keyword::FUNCTION,
        Keyword::PROCEDURE,
        Keyword::EVENT,
        Keyword::DATABASE,
        Keyword::SCHEMA,
        Keyword::SEQUENCE,
        Keyword::TEMPORARY,
    ];
    let mut words = tokens.iter().filter_map(|token| match &token.token {
        Token::Word(word) if word.quote_style.is_none() => Some(word.keyword),
        _ => None,
    });
    words.next() == Some(Keyword::CREATE) && words.find(|word| KINDS.contains(word)) == Some(Keyword::TRIGGER)
}

/// The trigger of a `CREATE TRIGGER` statement whose text is `sql`.
pub(super) fn create_trigger(tokens: Vec<TokenWithSpan>, sql: &str) -> Result<Declared, String> {
    let dialect = MySqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(tokens);
    let syntax = |error: sqlparser::parser::ParserError| format!("in CREATE TRIGGER: {error}");
    parser.expect_keyword(Keyword::CREATE).map_err(syntax)?;
    if parser.parse_keywords(&[Keyword::OR, Keyword::REPLACE]) {
        return Err("CREATE OR REPLACE TRIGGER is not supported; declare the trigger once".into());
    }
    if parser.parse_keyword(Keyword::DEFINER) {
        return Err("a trigger's DEFINER is not managed: leave it out, and the trigger runs as the user who \
                    applies the plan"
            .into());
    }
    parser.expect_keyword(Keyword::TRIGGER).map_err(syntax)?;
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = parser.parse_object_name(false).map_err(syntax)?;
    let timing = match parser.expect_one_of_keywords(&[Keyword::BEFORE, Keyword::AFTER]).map_err(syntax)? {
        Keyword::BEFORE => TriggerTiming::Before,
        _ => TriggerTiming::After,
    };
    let event =
        match parser.expect_one_of_keywords(&[Keyword::INSERT, Keyword::UPDATE, Keyword::DELETE]).map_err(syntax)? {
            Keyword::INSERT => TriggerEvent::Insert,
            Keyword::UPDATE => TriggerEvent::Update { columns: Vec::new() },
            _ => TriggerEvent::Delete,
        };
    parser.expect_keyword(Keyword::ON).map_err(syntax)?;
    let table = parser.parse_object_name(false).map_err(syntax)?;
    parser.expect_keywords(&[Keyword::FOR, Keyword::EACH, Keyword::ROW]).map_err(syntax)?;
    let orders = matches!(&parser.peek_token().token, Token::Word(word)
        if word.quote_style.is_none() && ["follows", "precedes"].contains(&word.value.to_lowercase().as_str()));
    if orders {
        return Err("FOLLOWS and PRECEDES are not supported: triggers of one table and event run in the order \
                    they are created"
            .into());
    }
    let body_start = parser.peek_token();
    if body_start.token == Token::EOF {
        return Err("CREATE TRIGGER needs a body after FOR EACH ROW".into());
    }
    let body = sql[offset_of(sql, body_start.span.start)..].trim_end().trim_end_matches(';').trim();
    let [.., name] = name.0.as_slice() else { unreachable!("an object name has a part") };
    let name = name.as_ident().map(super::name).ok_or("a trigger's name is an identifier")?;
    Ok(Declared { table, trigger: trigger(name, timing, event, body), if_not_exists })
}

/// A MySQL trigger: always `FOR EACH ROW`, on one event, its body run as written and compared without
/// comments and layout.
pub fn trigger(name: String, timing: TriggerTiming, event: TriggerEvent, body: &str) -> Trigger {
    Trigger {
        constraint: None,
        comment: None,
        name,
        timing,
        events: vec![event],
        for_each_row: true,
        when: None,
        action: TriggerAction::Body { body: Expr::new(body, collapse_whitespace_in(body, &MySqlDialect {})) },
    }
}
