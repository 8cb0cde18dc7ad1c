//! Looking at a statement's tokens before (or instead of) handing them to sqlparser's parser.

use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan};

fn significant(tokens: &[TokenWithSpan]) -> impl Iterator<Item = &TokenWithSpan> {
    tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_)))
}

/// The first `count` tokens, lower-cased when they are unquoted words (others print as themselves).
pub fn leading_words(tokens: &[TokenWithSpan], count: usize) -> Vec<String> {
    significant(tokens)
        .take(count)
        .map(|t| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            other => other.to_string(),
        })
        .collect()
}

/// `ALTER <kind> <name> OWNER TO <role>`: ownership is not part of the model, so the statement is a no-op.
pub fn is_owner_change(tokens: &[TokenWithSpan]) -> bool {
    let significant: Vec<&Token> = significant(tokens).map(|t| &t.token).filter(|t| **t != Token::SemiColon).collect();
    let ends_with_owner = matches!(
        significant.as_slice(),
        [.., Token::Word(owner), Token::Word(to), Token::Word(_)]
            if owner.keyword == Keyword::OWNER && to.keyword == Keyword::TO
    );
    // a comma outside parentheses lists several actions; inside, a routine's argument types
    let mut depth = 0i32;
    let listed = significant.iter().any(|token| {
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ => {}
        }
        **token == Token::Comma && depth == 0
    });
    ends_with_owner && !listed
}

/// A materialized view's trailing `WITH [NO] DATA` says when it is filled, not what it is; sqlparser does not
/// read it, so it is cut off before parsing.
pub fn without_data_clause(mut tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let positions: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon | Token::EOF))
        .map(|(i, _)| i)
        .collect();
    let word = |i: usize| match &tokens[i].token {
        Token::Word(w) => Some(w.keyword),
        _ => None,
    };
    let cut = match positions.as_slice() {
        [.., with, no, data]
            if word(*with) == Some(Keyword::WITH)
                && word(*no) == Some(Keyword::NO)
                && word(*data) == Some(Keyword::DATA) =>
        {
            Some(*with)
        }
        [.., with, data] if word(*with) == Some(Keyword::WITH) && word(*data) == Some(Keyword::DATA) => Some(*with),
        _ => None,
    };
    if let Some(cut) = cut {
        tokens.truncate(cut);
    }
    tokens
}

/// The byte offset in `sql` of a tokenizer location (1-based line and character column).
pub fn offset_of(sql: &str, location: Location) -> usize {
    let line_start: usize =
        sql.split_inclusive('\n').take(location.line.saturating_sub(1) as usize).map(str::len).sum();
    let column = location.column.saturating_sub(1) as usize;
    line_start + sql[line_start..].char_indices().nth(column).map_or(sql.len() - line_start, |(i, _)| i)
}

/// A string constant in any of PostgreSQL's spellings (`'..'`, `E'..'`, `$$..$$`, `U&'..'`, `N'..'`), unescaped.
pub fn parse_string(parser: &mut Parser) -> Result<String, ParserError> {
    let token = parser.next_token();
    match token.token {
        Token::SingleQuotedString(s)
        | Token::EscapedStringLiteral(s)
        | Token::UnicodeStringLiteral(s)
        | Token::NationalStringLiteral(s) => Ok(s),
        Token::DollarQuotedString(quoted) => Ok(quoted.value),
        _ => parser.expected("a string constant", token),
    }
}

/// `CREATE INDEX ... ON ONLY parent`, as pg_dump writes a partitioned table's index: `ONLY` keeps the server
/// from building the partitions' copies, which pg_dump creates and attaches itself. It does not change what
/// the index is, and sqlparser does not read it, so it is cut out.
pub fn without_only_after_on(mut tokens: Vec<TokenWithSpan>) -> Vec<TokenWithSpan> {
    let positions: Vec<usize> =
        tokens.iter().enumerate().filter(|(_, t)| !matches!(t.token, Token::Whitespace(_))).map(|(i, _)| i).collect();
    let keyword = |i: usize| match &tokens[i].token {
        Token::Word(w) if w.quote_style.is_none() => Some(w.keyword),
        _ => None,
    };
    let only = positions
        .windows(2)
        .find(|pair| keyword(pair[0]) == Some(Keyword::ON))
        .filter(|pair| keyword(pair[1]) == Some(Keyword::ONLY))
        .map(|pair| pair[1]);
    if let Some(only) = only {
        tokens.remove(only);
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::Tokenizer;

    #[test]
    fn locations_map_to_byte_offsets_across_multibyte_characters() {
        let sql = "créate\n  é = 'ü' RETURN x";
        let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize_with_location().unwrap();
        let ret = tokens.iter().find(|t| matches!(&t.token, Token::Word(w) if w.value == "RETURN")).unwrap();
        assert_eq!(&sql[offset_of(sql, ret.span.start)..], "RETURN x");
    }

    #[test]
    fn owner_changes_and_data_clauses_are_recognized() {
        let tokenize = |sql: &str| Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize_with_location().unwrap();
        assert!(is_owner_change(&tokenize("ALTER FUNCTION f(int) OWNER TO app;")));
        assert!(is_owner_change(&tokenize("ALTER FUNCTION public._group_concat(text, text) OWNER TO postgres;")));
        assert!(!is_owner_change(&tokenize("ALTER TABLE t ADD COLUMN a int, OWNER TO app")));
        let cut = without_data_clause(tokenize("create materialized view v as select 1 with no data;"));
        assert!(!cut.iter().any(|t| matches!(&t.token, Token::Word(w) if w.keyword == Keyword::DATA)));
    }
}
