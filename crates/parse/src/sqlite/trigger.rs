//! SQLite triggers: `CREATE TRIGGER [IF NOT EXISTS] name [BEFORE|AFTER|INSTEAD OF] INSERT|UPDATE [OF
//! columns]|DELETE ON owner [FOR EACH ROW] [WHEN expr] BEGIN statements END`. The timing, event, owner and
//! `WHEN` are structured fields; the body is kept as written (what a plan runs) and compared as sqlparser
//! prints its statements, so layout and comments never make a plan. SQLite keeps the text of a trigger as it
//! was run, so the live side reads the same way.

use super::{expression, fold_column};
use crate::build::tokens::offset_of;
use driftless_model::{Expr, Trigger, TriggerAction, TriggerEvent, TriggerTiming};
use sqlparser::ast::{
    ConditionalStatements, CreateTrigger, Ident, TriggerEvent as SqlEvent, TriggerObject, TriggerObjectKind,
    TriggerPeriod, VisitMut, VisitorMut,
};
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};
use std::ops::ControlFlow;

/// `CREATE TRIGGER IF NOT EXISTS` with the three words cut out, which sqlparser does not read; and whether
/// they were there.
pub(super) fn without_if_not_exists(mut tokens: Vec<TokenWithSpan>) -> (Vec<TokenWithSpan>, bool) {
    let words: Vec<usize> =
        tokens.iter().enumerate().filter(|(_, t)| !matches!(t.token, Token::Whitespace(_))).map(|(i, _)| i).collect();
    let keyword = |i: usize| match &tokens[i].token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    };
    let found = words.windows(3).position(|w| {
        [keyword(w[0]), keyword(w[1]), keyword(w[2])] == [Some(Keyword::IF), Some(Keyword::NOT), Some(Keyword::EXISTS)]
    });
    // only right after `TRIGGER`: elsewhere the words belong to the body (`WHERE NOT EXISTS`, say)
    match found.filter(|&at| at > 0 && keyword(words[at - 1]) == Some(Keyword::TRIGGER)) {
        Some(at) => {
            for index in [words[at + 2], words[at + 1], words[at]] {
                tokens.remove(index);
            }
            (tokens, true)
        }
        None => (tokens, false),
    }
}

/// The model of a parsed `CREATE TRIGGER`; `sql` is the statement's text, which the body is cut from.
pub(super) fn trigger(create: &CreateTrigger, sql: &str) -> Result<Trigger, String> {
    if create.temporary {
        return Err("temporary triggers are not part of a schema".into());
    }
    if create.or_replace || create.or_alter || create.is_constraint {
        return Err("SQLite triggers take no OR REPLACE, OR ALTER nor CONSTRAINT".into());
    }
    if create.referenced_table_name.is_some() || !create.referencing.is_empty() || create.characteristics.is_some() {
        return Err("SQLite triggers take no FROM, REFERENCING nor DEFERRABLE clause".into());
    }
    let timing = match create.period {
        // SQLite's default
        None | Some(TriggerPeriod::Before) => TriggerTiming::Before,
        Some(TriggerPeriod::After) => TriggerTiming::After,
        Some(TriggerPeriod::InsteadOf) => TriggerTiming::InsteadOf,
        Some(TriggerPeriod::For) => return Err("SQLite triggers are BEFORE, AFTER or INSTEAD OF".into()),
    };
    let event = match create.events.as_slice() {
        [SqlEvent::Insert] => TriggerEvent::Insert,
        [SqlEvent::Update(columns)] => TriggerEvent::Update { columns: columns.iter().map(fold_column).collect() },
        [SqlEvent::Delete] => TriggerEvent::Delete,
        _ => return Err("a SQLite trigger fires on one event: INSERT, UPDATE [OF columns] or DELETE".into()),
    };
    match create.trigger_object {
        // SQLite has only row triggers, with or without the words
        None | Some(TriggerObjectKind::ForEach(TriggerObject::Row)) => {}
        Some(_) => return Err("SQLite triggers are FOR EACH ROW".into()),
    }
    let (Some(ConditionalStatements::BeginEnd(block)), None) = (&create.statements, &create.exec_body) else {
        return Err("a SQLite trigger runs the statements of a BEGIN ... END block".into());
    };
    let written =
        sql[offset_of(sql, block.begin_token.0.span.end)..offset_of(sql, block.end_token.0.span.start)].trim();
    let mut statements = block.statements.clone();
    let _ = statements.visit(&mut UnquotedInLowerCase);
    let printed: Vec<String> = statements.iter().map(|statement| format!("{statement};")).collect();
    Ok(Trigger {
        constraint: None,
        comment: None,
        name: super::fold_parts(&create.name).pop().unwrap_or_default(),
        timing,
        events: vec![event],
        for_each_row: true,
        when: create.condition.as_ref().map(expression),
        action: TriggerAction::Body { body: Expr::new(written, printed.join(" ")) },
    })
}

/// SQLite matches names whatever their case: `NEW.id` is `new.id`. Quoted names keep theirs, as the model's
/// names do.
struct UnquotedInLowerCase;

impl VisitorMut for UnquotedInLowerCase {
    type Break = ();

    fn pre_visit_ident(&mut self, ident: &mut Ident) -> ControlFlow<()> {
        if ident.quote_style.is_none() {
            ident.value.make_ascii_lowercase();
        }
        ControlFlow::Continue(())
    }
}
