//! Directives in comments: `-- driftless:nolint [CODE...]`, `-- driftless:renamed from=old` and sqldef's
//! `-- @renamed from=old`. Which object a directive is about is decided where the comment sits (see
//! `build::hints`); this module only reads one comment's text.

use sqlparser::ast::Ident;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Directive {
    /// Suppress findings with these codes; `None` for every code.
    NoLint(Option<BTreeSet<String>>),
    /// The object was called this, as written: quoted or not, since whether it folds to lower case is the
    /// dialect's rule (an enum label never does).
    Renamed { from: Ident },
}

const PREFIX: &str = "driftless:";

/// The directive in a comment (markers included: `-- ...`, `/* ... */`, `# ...`); `None` for an ordinary
/// comment. A comment that starts with `driftless:` but does not read as a directive is an error rather
/// than ignored, so a typo never silently loses a suppression or a rename.
pub(crate) fn read(comment: &str) -> Result<Option<Directive>, String> {
    let body = strip_markers(comment).trim();
    if let Some(rest) = body.strip_prefix(PREFIX) {
        let (name, arguments) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        return match name {
            "nolint" => nolint(arguments).map(Some),
            "renamed" => renamed(arguments).map(Some),
            _ => Err(format!(
                "unknown directive `{PREFIX}{name}`; the directives are {PREFIX}nolint and {PREFIX}renamed"
            )),
        };
    }
    match body.strip_prefix("@renamed") {
        Some(arguments) if arguments.is_empty() || arguments.starts_with(char::is_whitespace) => {
            renamed(arguments).map(Some)
        }
        _ => Ok(None),
    }
}

fn strip_markers(comment: &str) -> &str {
    if let Some(block) = comment.strip_prefix("/*") {
        return block.strip_suffix("*/").unwrap_or(block);
    }
    comment.strip_prefix("--").or_else(|| comment.strip_prefix('#')).unwrap_or(comment)
}

/// `DS103 MF101` (commas allowed), optionally followed by `-- reason`; nothing for every code.
fn nolint(arguments: &str) -> Result<Directive, String> {
    let codes_text = arguments.split_once("--").map_or(arguments, |(codes, _reason)| codes);
    let mut codes = BTreeSet::new();
    for word in codes_text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()) {
        if !is_code(word) {
            return Err(format!(
                "`{word}` is not a lint code (two letters and three digits, like DS103); a reason goes after `--`"
            ));
        }
        codes.insert(word.to_ascii_uppercase());
    }
    Ok(Directive::NoLint((!codes.is_empty()).then_some(codes)))
}

fn is_code(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 5 && bytes[..2].iter().all(u8::is_ascii_alphabetic) && bytes[2..].iter().all(u8::is_ascii_digit)
}

/// `from=old_name` or `from="Old Name"`.
fn renamed(arguments: &str) -> Result<Directive, String> {
    let usage = "a rename hint reads `driftless:renamed from=old_name`";
    let Some(value) = arguments.trim().strip_prefix("from=") else {
        return Err(usage.to_string());
    };
    let (from, rest) = match value.strip_prefix('"') {
        Some(quoted) => {
            let (name, rest) =
                quoted_identifier(quoted).ok_or_else(|| format!("unterminated quoted name in `{value}`"))?;
            (Ident::with_quote('"', name), rest)
        }
        None => {
            let end = value.find(char::is_whitespace).unwrap_or(value.len());
            (Ident::new(&value[..end]), &value[end..])
        }
    };
    if from.value.is_empty() || !rest.trim().is_empty() {
        return Err(usage.to_string());
    }
    if from.quote_style.is_none() && from.value.contains('.') {
        return Err(format!("`{}`: a rename hint names the old object alone, without its schema", from.value));
    }
    Ok(Directive::Renamed { from })
}

/// The name inside double quotes (`""` is a quote), and the text after the closing quote.
fn quoted_identifier(text: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if chars.peek().is_some_and(|(_, next)| *next == '"') {
            name.push('"');
            chars.next();
        } else {
            return Some((name, &text[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(from: &str) -> Directive {
        Directive::Renamed { from: Ident::new(from) }
    }

    fn quoted(from: &str) -> Directive {
        Directive::Renamed { from: Ident::with_quote('"', from) }
    }

    fn codes(list: &[&str]) -> Directive {
        Directive::NoLint(Some(list.iter().map(|c| c.to_string()).collect()))
    }

    #[test]
    fn directives_are_read_from_comments() {
        let cases: &[(&str, Option<Directive>)] = &[
            ("-- driftless:nolint", Some(Directive::NoLint(None))),
            ("-- driftless:nolint DS103", Some(codes(&["DS103"]))),
            ("--driftless:nolint ds103, MF101", Some(codes(&["DS103", "MF101"]))),
            ("-- driftless:nolint DS102 -- archived in 2024", Some(codes(&["DS102"]))),
            ("/* driftless:nolint PG101 */", Some(codes(&["PG101"]))),
            ("-- driftless:renamed from=username", Some(renamed("username"))),
            ("-- @renamed from=UserName", Some(renamed("UserName"))),
            (r#"-- @renamed from="foo bar""#, Some(quoted("foo bar"))),
            (r#"/* @renamed from="a""b" */"#, Some(quoted(r#"a"b"#))),
            ("-- an ordinary comment about driftless:nolint", None),
            ("-- @renamedfrom=x", None),
            ("-- @other tool annotation", None),
        ];
        for (comment, expected) in cases {
            assert_eq!(read(comment).as_ref(), Ok(expected), "{comment}");
        }
    }

    #[test]
    fn malformed_directives_are_errors() {
        for (comment, message) in [
            ("-- driftless:nolnt DS103", "unknown directive `driftless:nolnt`"),
            ("-- driftless:nolint DS13", "`DS13` is not a lint code"),
            ("-- driftless:nolint DS103 because", "`because` is not a lint code"),
            ("-- driftless:renamed old", "a rename hint reads"),
            ("-- driftless:renamed from=", "a rename hint reads"),
            ("-- @renamed from=a b", "a rename hint reads"),
            (r#"-- @renamed from="open"#, "unterminated quoted name"),
            ("-- driftless:renamed from=app.users", "without its schema"),
        ] {
            let error = read(comment).unwrap_err();
            assert!(error.contains(message), "{comment}: {error}");
        }
    }
}
