//! A budget for how deeply parsed SQL may nest, so that any input gets an answer instead of a stack overflow.
//!
//! sqlparser reads a chain of infix operators (`1 + 1 + ... + 1`, `a OR b OR ...`, `x::int::int`, `select 1
//! union select 2 union ...`) in a loop, not by recursion, so its own recursion limit never sees it: the tree
//! it builds is as deep as the chain is long. Everything that walks such a tree by recursion (our
//! canonicalization, sqlparser's derived `Visit`, `Clone`, `PartialEq` and, above all, `Drop` of `Box<Expr>`)
//! then needs stack in proportion to the chain. So every parsed statement and expression is measured here,
//! without recursing into the chains, before anything else touches it; a tree deeper than [`MAX_DEPTH`] is
//! refused and taken apart iteratively ([`dismantle`]).
//!
//! The budget: [`MAX_DEPTH`] levels of expressions and queries on the desired side. PostgreSQL stores an
//! n-term chain of a binary operator with every step parenthesized (`((1 + 1) + 1)`), twice as deep as written,
//! so the canonical forms (which read what the database prints) allow twice as much. sqlparser's recursion
//! limit is raised out of the way (see [`parser`]); a token count bounds what reaches it (see [`too_long`]).

use crate::{ParseError, SourceStatement, excerpt};
use sqlparser::ast::{
    Expr, Ident, Query, SetExpr, Spanned, Statement, Value, ValueWithSpan, Values, Visit, VisitMut, Visitor, VisitorMut,
};
use sqlparser::dialect::Dialect;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Span, Token, TokenWithSpan, Tokenizer};
use std::ops::ControlFlow;

/// How many levels of expressions and queries a desired statement may nest. PostgreSQL itself runs out of
/// stack (`max_stack_depth` of 2 MB) somewhere between 1,000 and 9,000 terms of `1 + 1 + ...`; real schemas
/// nest a few dozen levels, and a check of a few hundred ORed conditions is as deep as they are many.
pub const MAX_DEPTH: usize = 1000;

/// What the canonical forms accept: the database's form of a desired expression nests up to twice as deep.
pub(crate) const MAX_CANONICAL_DEPTH: usize = 2 * MAX_DEPTH + 10;

/// A sqlparser parser whose recursion limit never stops a statement that [`too_long`] lets through (every
/// level of recursion takes a token): the depth is judged on the finished tree instead. sqlparser grows its
/// stack on the heap while it recurses, so the limit is a budget, not a stack size; its default of 50 refused
/// PostgreSQL's form of a 50-term `+` chain, and a limit met halfway down a deep CASE or ARRAY made sqlparser
/// backtrack at every level above it (seconds for 3,000 levels).
pub(crate) fn parser(dialect: &dyn Dialect) -> Parser<'_> {
    Parser::new(dialect).with_recursion_limit(MAX_TOKENS + 10)
}

/// The error message for a tree deeper than the budget.
pub(crate) fn too_deep_message() -> String {
    format!("expression nests deeper than {MAX_DEPTH} levels")
}

/// How many tokens one expression may hold, counted so that the count bounds the depth of any tree sqlparser
/// can build from them (see [`too_long`]). sqlparser drops what it has built when it meets a syntax error, by
/// recursion, before any of our checks sees the tree: this bound, checked before parsing, keeps those drops
/// within a 2 MiB stack (a 30,000-term chain still fits in one) and lets through anything a depth of
/// [`MAX_DEPTH`] does: PostgreSQL's form of a 1,000-term chain is about 6,000 tokens.
pub(crate) const MAX_TOKENS: usize = 16 * MAX_DEPTH;

/// The error message for a statement that [`too_long`] refuses.
pub(crate) fn too_long_message() -> String {
    format!("expression nests deeper than {MAX_DEPTH} levels (or runs longer than {MAX_TOKENS} tokens)")
}

/// Whether the tokens may build a tree deeper than [`MAX_TOKENS`] levels. The bound of a comma-separated
/// segment is its own tokens plus the bounds of the bracketed groups in it; a group's is one more than its
/// largest segment's. No tree is deeper than its bound: every level of an expression takes a token of its
/// own or a bracket around it.
pub(crate) fn too_long<'a>(tokens: impl IntoIterator<Item = &'a Token>) -> bool {
    // per open group: (the current segment's bound, the largest finished segment's)
    let mut groups: Vec<(usize, usize)> = vec![(0, 0)];
    for token in tokens {
        match token {
            Token::Whitespace(_) => {}
            Token::LParen | Token::LBracket | Token::LBrace => groups.push((0, 0)),
            Token::RParen | Token::RBracket | Token::RBrace if groups.len() > 1 => {
                let (current, largest) = groups.pop().unwrap_or_default();
                let bound = 1 + current.max(largest);
                if let Some((parent, _)) = groups.last_mut() {
                    *parent += bound;
                }
            }
            Token::Comma | Token::SemiColon => {
                if let Some((current, largest)) = groups.last_mut() {
                    *largest = (*largest).max(*current);
                    *current = 0;
                }
            }
            _ => {
                if let Some((current, _)) = groups.last_mut() {
                    *current += 1;
                }
            }
        }
        // a group's bound is at least its current segment's, and adds to every enclosing segment's
        let path: usize = groups.iter().map(|(current, _)| current).sum::<usize>() + groups.len();
        if path > MAX_TOKENS {
            return true;
        }
    }
    false
}

/// One statement's tokens in `dialect`, comments included.
pub(crate) fn tokenize(dialect: &dyn Dialect, statement: &SourceStatement) -> Result<Vec<TokenWithSpan>, ParseError> {
    Tokenizer::new(dialect, &statement.sql).tokenize_with_location().map_err(|e| syntax_error(statement, e.into()))
}

fn syntax_error(statement: &SourceStatement, error: ParserError) -> ParseError {
    ParseError::Syntax { line: statement.line, excerpt: excerpt(&statement.sql), message: error.to_string() }
}

/// Parses one statement of `dialect` from its [`tokenize`]d tokens, refusing one deeper than [`MAX_DEPTH`] at
/// its line.
pub(crate) fn parse_statement(
    dialect: &dyn Dialect,
    statement: &SourceStatement,
    tokens: Vec<TokenWithSpan>,
) -> Result<Statement, ParseError> {
    let too_deep = |message| ParseError::Invalid { line: statement.line, excerpt: excerpt(&statement.sql), message };
    if too_long(tokens.iter().map(|t| &t.token)) {
        return Err(too_deep(too_long_message()));
    }
    let mut parser = parser(dialect).with_tokens_with_locations(tokens);
    let parsed = parser.parse_statement().map_err(|e| syntax_error(statement, e))?;
    if exceeds(&parsed, MAX_DEPTH) {
        dismantle(parsed);
        return Err(too_deep(too_deep_message()));
    }
    if let Some(message) = crate::ident::unprintable_string_name(&parsed) {
        return Err(ParseError::Unsupported { line: statement.line, excerpt: excerpt(&statement.sql), message });
    }
    // what follows the statement sqlparser read would otherwise be dropped unread (`... PARTITION BY` where
    // the dialect's grammar ends)
    let _ = parser.consume_token(&Token::SemiColon);
    let rest = parser.peek_token();
    if rest.token != Token::EOF {
        dismantle(parsed);
        let line = statement.line + (rest.span.start.line as usize).saturating_sub(1);
        let message = format!("`{}` and what follows is not understood: the statement ends before it", rest.token);
        return Err(ParseError::Syntax { line, excerpt: excerpt(&statement.sql), message });
    }
    Ok(parsed)
}

/// `node` when it nests no deeper than [`MAX_DEPTH`]; otherwise it is taken apart and refused.
pub(crate) fn checked<T: Visit + VisitMut>(node: T) -> Result<T, ParserError> {
    if exceeds(&node, MAX_DEPTH) {
        dismantle(node);
        return Err(ParserError::ParserError(too_deep_message()));
    }
    Ok(node)
}

/// Whether `node` nests more than `limit` levels of expressions and queries (a set operation counts as a
/// level). Recurses no deeper than `limit` levels.
pub(crate) fn exceeds<T: Visit>(node: &T, limit: usize) -> bool {
    let mut measure = Measure { depth: 0, limit };
    Visit::visit(node, &mut measure).is_break()
}

struct Measure {
    depth: usize,
    limit: usize,
}

impl Measure {
    fn enter(&mut self, levels: usize) -> ControlFlow<()> {
        self.depth += levels;
        if self.depth > self.limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}

impl Visitor for Measure {
    type Break = ();

    fn pre_visit_expr(&mut self, _: &Expr) -> ControlFlow<()> {
        self.enter(1)
    }

    fn post_visit_expr(&mut self, _: &Expr) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        // set operations nest as chains too, and `SetExpr` has no hook of its own: measure them here, iteratively
        self.enter(1 + set_operation_depth(&query.body))
    }

    fn post_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
        self.depth -= 1 + set_operation_depth(&query.body);
        ControlFlow::Continue(())
    }
}

/// How many set operations deep a query body is, walked with a stack of its own.
fn set_operation_depth(body: &SetExpr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(body, 0)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if let SetExpr::SetOperation { left, right, .. } = node {
            stack.push((left, depth + 1));
            stack.push((right, depth + 1));
        }
    }
    deepest
}

/// The span of a node. sqlparser's `Spanned` recurses with large frames (a default nested 990 levels deep
/// overflowed a 2 MiB stack), so a deep node's span is the union of its names' and literals' spans, gathered
/// by a walk that needs far less stack.
pub(crate) fn span<T: Spanned + Visit>(node: &T) -> Span {
    const SHALLOW: usize = 100;
    if !exceeds(node, SHALLOW) {
        return node.span();
    }
    struct Spans(Span);
    impl Visitor for Spans {
        type Break = ();
        fn pre_visit_ident(&mut self, ident: &Ident) -> ControlFlow<()> {
            self.0 = self.0.union(&ident.span);
            ControlFlow::Continue(())
        }
        fn pre_visit_value(&mut self, value: &ValueWithSpan) -> ControlFlow<()> {
            self.0 = self.0.union(&value.span);
            ControlFlow::Continue(())
        }
    }
    let mut spans = Spans(Span::empty());
    let _ = Visit::visit(node, &mut spans);
    spans.0
}

/// Drops a tree of any depth without recursing into it: every expression and query body is detached from
/// its parent onto a list before the parent is dropped, so each drop sees shallow children only.
pub(crate) fn dismantle<T: VisitMut>(mut node: T) {
    let mut pending = Vec::new();
    let _ = VisitMut::visit(&mut node, &mut Detach { pending: &mut pending, skip_root: false });
    drop(node);
    while let Some(item) = pending.pop() {
        match item {
            Detached::Expr(mut expr) => {
                let _ = VisitMut::visit(expr.as_mut(), &mut Detach { pending: &mut pending, skip_root: true });
            }
            Detached::Body(mut body) => {
                if let SetExpr::SetOperation { left, right, .. } = body.as_mut() {
                    pending.push(Detached::Body(std::mem::replace(left, Box::new(empty_body()))));
                    pending.push(Detached::Body(std::mem::replace(right, Box::new(empty_body()))));
                } else {
                    let _ = VisitMut::visit(body.as_mut(), &mut Detach { pending: &mut pending, skip_root: false });
                }
            }
        }
    }
}

enum Detached {
    Expr(Box<Expr>),
    Body(Box<SetExpr>),
}

struct Detach<'a> {
    pending: &'a mut Vec<Detached>,
    /// The expression being taken apart is visited itself first; it stays, its children go.
    skip_root: bool,
}

impl VisitorMut for Detach<'_> {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if std::mem::take(&mut self.skip_root) {
            return ControlFlow::Continue(());
        }
        self.pending.push(Detached::Expr(Box::new(std::mem::replace(expr, Expr::Value(Value::Null.into())))));
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        self.pending.push(Detached::Body(std::mem::replace(&mut query.body, Box::new(empty_body()))));
        ControlFlow::Continue(())
    }
}

fn empty_body() -> SetExpr {
    SetExpr::Values(Values { explicit_row: false, value_keyword: false, rows: Vec::new() })
}

#[cfg(test)]
mod tests;
