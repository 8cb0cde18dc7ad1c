//! MySQL's `BINARY` column attribute (`varchar(128) BINARY`): the binary collation of the column's character
//! set. sqlparser does not read it, so the tokens are rewritten to `COLLATE <charset>_bin` before parsing.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan, Whitespace};

const CHARACTER_TYPES: [&str; 6] = ["char", "varchar", "tinytext", "text", "mediumtext", "longtext"];

/// Rewrites every `BINARY` attribute of a `CREATE TABLE`'s columns. The character set is the column's own
/// (`CHARACTER SET x` in its definition) or else the table's; a table that declares none is an error, since
/// the database's default is not known while parsing.
pub(super) fn rewrite(tokens: &mut Vec<TokenWithSpan>) -> Result<(), String> {
    let significant: Vec<usize> =
        tokens.iter().enumerate().filter(|(_, t)| !matches!(t.token, Token::Whitespace(_))).map(|(i, _)| i).collect();
    let word = |position: usize| match significant.get(position).map(|&i| &tokens[i].token) {
        Some(Token::Word(word)) => Some(word.value.to_ascii_lowercase()),
        _ => None,
    };
    if word(0).as_deref() != Some("create") || !(1..4).any(|p| word(p).as_deref() == Some("table")) {
        return Ok(());
    }
    let attributes: Vec<usize> = (1..significant.len())
        .filter(|&p| {
            matches!(&tokens[significant[p]].token, Token::Word(w) if w.keyword == Keyword::BINARY)
                && significant.get(p + 1).map(|&next| &tokens[next].token) != Some(&Token::LParen)
                && follows_character_type(&significant, tokens, p)
        })
        .collect();
    // every character set is read before the first rewrite moves the tokens after it
    let charsets = attributes
        .iter()
        .map(|&position| {
            column_charset(&significant, tokens, position)
                .or_else(|| table_charset(&significant, tokens))
                .ok_or("a BINARY column attribute needs the table's CHARACTER SET (or write COLLATE <charset>_bin)")
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(odd) = charsets.iter().find(|charset| !charset.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
        return Err(format!("`{odd}` is not a character set name"));
    }
    for (&position, charset) in attributes.iter().zip(charsets).rev() {
        let index = significant[position];
        let span = tokens[index].span;
        let rewritten = [
            Token::make_keyword("COLLATE"),
            Token::Whitespace(Whitespace::Space),
            Token::make_word(&format!("{charset}_bin"), None),
        ];
        tokens.splice(index..=index, rewritten.map(|token| TokenWithSpan { token, span }));
    }
    Ok(())
}

/// The token before `BINARY` ends a character type: its name, or the `)` of its length.
fn follows_character_type(significant: &[usize], tokens: &[TokenWithSpan], position: usize) -> bool {
    let token = |p: usize| &tokens[significant[p]].token;
    let is_character_type = |p: usize| matches!(token(p), Token::Word(w) if CHARACTER_TYPES.contains(&w.value.to_ascii_lowercase().as_str()));
    match token(position - 1) {
        Token::RParen => (1..position)
            .rev()
            .find(|&p| *token(p) == Token::LParen)
            .is_some_and(|open| open > 0 && is_character_type(open - 1)),
        _ => is_character_type(position - 1),
    }
}

/// `CHARACTER SET x` or `CHARSET x` later in the same column definition (up to the `,` or `)` that ends it).
fn column_charset(significant: &[usize], tokens: &[TokenWithSpan], position: usize) -> Option<String> {
    let mut depth = 0usize;
    let end = (position + 1..significant.len())
        .find(|&p| match tokens[significant[p]].token {
            Token::LParen => {
                depth += 1;
                false
            }
            Token::RParen if depth > 0 => {
                depth -= 1;
                false
            }
            Token::RParen | Token::Comma => depth == 0,
            _ => false,
        })
        .unwrap_or(significant.len());
    charset_in(&significant[position + 1..end], tokens)
}

/// The table's `CHARACTER SET`, `CHARSET` or `COLLATE` option, after the column list.
fn table_charset(significant: &[usize], tokens: &[TokenWithSpan]) -> Option<String> {
    let mut depth = 0usize;
    let mut after_columns = None;
    for (p, &index) in significant.iter().enumerate() {
        match tokens[index].token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    after_columns = Some(p + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let rest = &significant[after_columns?..];
    charset_in(rest, tokens).or_else(|| {
        let collation = value_after(rest, tokens, &["collate"])?;
        Some(collation.split('_').next()?.to_string())
    })
}

fn charset_in(significant: &[usize], tokens: &[TokenWithSpan]) -> Option<String> {
    value_after(significant, tokens, &["character", "set"]).or_else(|| value_after(significant, tokens, &["charset"]))
}

/// The word after the words `keys` (and an optional `=`), lower-cased.
fn value_after(significant: &[usize], tokens: &[TokenWithSpan], keys: &[&str]) -> Option<String> {
    let text = |index: usize| match &tokens[index].token {
        Token::Word(word) => Some(word.value.to_ascii_lowercase()),
        Token::SingleQuotedString(value) => Some(value.to_ascii_lowercase()),
        _ => None,
    };
    let start = significant
        .windows(keys.len())
        .position(|window| window.iter().zip(keys).all(|(&index, key)| text(index).as_deref() == Some(*key)))?;
    let mut rest = significant[start + keys.len()..].iter();
    let mut next = rest.next()?;
    if tokens[*next].token == Token::Eq {
        next = rest.next()?;
    }
    text(*next)
}
