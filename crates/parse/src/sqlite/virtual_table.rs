//! `CREATE VIRTUAL TABLE [IF NOT EXISTS] name USING module[(arguments)]`. SQLite hands each argument to the
//! module as text (`content='notes'`, `tokenize = 'porter unicode61'`, a column name), which sqlparser does
//! not read beyond plain names: the head is parsed by sqlparser, the arguments are split from the tokens at
//! the commas outside parentheses, each kept as written and compared by its tokens.

use crate::build::tokens::offset_of;
use driftless_model::Expr;
use driftless_model::sqlite::VirtualTable;
use sqlparser::ast::ObjectName;
use sqlparser::dialect::SQLiteDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::ParserError;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// A parsed `CREATE VIRTUAL TABLE`.
pub(super) struct Declared {
    pub name: ObjectName,
    pub if_not_exists: bool,
    pub virtual_table: VirtualTable,
}

/// Reads the statement from its tokens; `sql` is its text, which the arguments are cut from.
pub(super) fn virtual_table(tokens: Vec<TokenWithSpan>, sql: &str) -> Result<Declared, ParserError> {
    let dialect = SQLiteDialect {};
    let mut parser = crate::depth::parser(&dialect).with_tokens_with_locations(tokens);
    parser.expect_keywords(&[Keyword::CREATE, Keyword::VIRTUAL, Keyword::TABLE])?;
    let if_not_exists = parser.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = parser.parse_object_name(false)?;
    parser.expect_keyword(Keyword::USING)?;
    // SQLite finds modules by name whatever the case
    let module = parser.parse_identifier()?.value.to_lowercase();
    let mut args = Vec::new();
    if parser.consume_token(&Token::LParen) {
        let mut depth = 0usize;
        let mut arg: Vec<TokenWithSpan> = Vec::new();
        loop {
            let token = parser.next_token();
            match &token.token {
                Token::EOF => return parser.expected("`)` closing the module arguments", token),
                Token::RParen if depth == 0 => break,
                Token::Comma if depth == 0 => args.push(argument(std::mem::take(&mut arg), sql)),
                other => {
                    match other {
                        Token::LParen => depth += 1,
                        Token::RParen => depth -= 1,
                        _ => {}
                    }
                    arg.push(token);
                }
            }
        }
        if !arg.is_empty() {
            args.push(argument(arg, sql));
        }
    }
    let _ = parser.consume_token(&Token::SemiColon);
    let rest = parser.next_token();
    if rest.token != Token::EOF {
        return parser.expected("the end of the statement", rest);
    }
    Ok(Declared { name, if_not_exists, virtual_table: VirtualTable { module, args } })
}

/// One argument: its text as written, and its tokens with single spaces as its canonical form.
fn argument(tokens: Vec<TokenWithSpan>, sql: &str) -> Expr {
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return Expr::new("", "");
    };
    let written = &sql[offset_of(sql, first.span.start)..offset_of(sql, last.span.end)];
    let canonical: Vec<String> = tokens.iter().map(|token| token.token.to_string()).collect();
    Expr::new(written, canonical.join(" "))
}
