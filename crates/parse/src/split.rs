//! Splitting a desired-schema file into statements the way `psql` does: semicolons end statements except
//! inside strings, quoted identifiers, comments, dollar quotes, parentheses and `BEGIN ... END` bodies of
//! `CREATE FUNCTION`/`CREATE PROCEDURE`.

use crate::ParseError;
use driftless_model::Dialect;

/// One statement of a desired-schema file, with the line it starts on (1-based).
///
/// `sql` runs from the statement's first token to its terminating semicolon (included when present);
/// comments inside it are kept, comments around it are [`SourceComment`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatement {
    pub sql: String,
    pub line: usize,
}

/// A comment outside any statement, and the statement it belongs to: comments belong to the statement
/// that follows them (blank lines in between or not), except a comment on the same line as the end of a
/// statement, which trails that statement. Directives (`-- driftless:nolint`, `-- driftless:renamed`) are
/// read from these and from the comments inside a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceComment {
    /// The whole comment, markers included (`-- note`, `/* note */`).
    pub text: String,
    pub line: usize,
    /// Index of the statement it belongs to; `None` after the last statement.
    pub statement: Option<usize>,
}

/// Splits SQL text into statements.
///
/// Fails only on text that never ends: an unterminated string, quoted identifier, block comment or dollar
/// quote, reported at the line where it starts.
pub fn split(sql: &str, dialect: Dialect) -> Result<Vec<SourceStatement>, ParseError> {
    Ok(split_with_comments(sql, dialect)?.0)
}

/// Whether `statement` with a `;` after it splits back as that one statement, as a plan renders it: its end
/// must not run into what follows (a `$$` left open, a `BEGIN ATOMIC` without its `END`).
pub(crate) fn splits_as_one(statement: &str, dialect: Dialect) -> bool {
    let trimmed = |text: &str| text.trim().trim_end_matches(';').trim_end().to_string();
    // a statement after it shows where it ends: at the end of the text any statement would end
    match split(&format!("{statement};\nSELECT 1;"), dialect) {
        Ok(statements) => matches!(statements.as_slice(), [one, _] if trimmed(&one.sql) == trimmed(statement)),
        Err(_) => false,
    }
}

/// Splits SQL text into statements and the comments around them.
pub fn split_with_comments(
    sql: &str,
    dialect: Dialect,
) -> Result<(Vec<SourceStatement>, Vec<SourceComment>), ParseError> {
    Splitter { text: sql, bytes: sql.as_bytes(), pos: 0, line: 1, dialect }.run()
}

struct Splitter<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    dialect: Dialect,
}

/// What the scanner knows about the statement it is inside.
#[derive(Default)]
struct StatementState {
    start: Option<(usize, usize)>,
    paren_depth: usize,
    /// First letters of the leading `CREATE [OR REPLACE] FUNCTION|PROCEDURE` words, as psql tracks them.
    leading_words: Vec<u8>,
    word_count: usize,
    /// Open `BEGIN` (and `CASE` inside one) blocks of a routine body.
    begin_depth: usize,
    /// The last word was `END`, which may close a MySQL `IF`, `LOOP`, `WHILE`, `REPEAT` or `CASE` statement
    /// (`END IF`) rather than a block.
    after_end: bool,
}

impl StatementState {
    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, or `CREATE [TEMP|TEMPORARY] TRIGGER`, whose SQLite and MySQL
    /// body is a `BEGIN ... END` block.
    fn is_routine(&self) -> bool {
        matches!(
            self.leading_words.as_slice(),
            [b'c', b'f', ..] | [b'c', b'p', ..] | [b'c', b'o', b'r', b'f' | b'p', ..] | [b'c', b't', ..]
        )
    }

    /// psql's heuristic: inside `CREATE FUNCTION/PROCEDURE`, `BEGIN` opens a block that `END` closes, and a
    /// `CASE` inside a block also ends with `END`.
    fn track_word(&mut self, word: &str) {
        let lower = word.to_ascii_lowercase();
        if self.word_count == self.leading_words.len()
            && matches!(
                lower.as_str(),
                "create" | "function" | "procedure" | "or" | "replace" | "trigger" | "temp" | "temporary"
            )
        {
            self.leading_words.push(lower.as_bytes()[0]);
        }
        self.word_count += 1;
        if !self.is_routine() {
            return;
        }
        let after_end = std::mem::replace(&mut self.after_end, lower == "end");
        match lower.as_str() {
            // `END IF`: the `IF` opened nothing, so its `END` closed nothing
            "if" | "loop" | "while" | "repeat" if after_end => self.begin_depth += 1,
            // `END CASE` closes the CASE its END closed
            "case" if after_end => {}
            "begin" => self.begin_depth += 1,
            "case" if self.begin_depth > 0 => self.begin_depth += 1,
            "end" => self.begin_depth = self.begin_depth.saturating_sub(1),
            _ => {}
        }
    }
}

impl Splitter<'_> {
    fn run(mut self) -> Result<(Vec<SourceStatement>, Vec<SourceComment>), ParseError> {
        let mut statements: Vec<SourceStatement> = Vec::new();
        let mut comments = Vec::new();
        // Comments outside statements since the last one ended, waiting for the statement they precede.
        let mut pending: Vec<SourceComment> = Vec::new();
        // The line the last statement ended on, for comments that trail it.
        let mut last_end_line = None;
        let mut state = StatementState::default();
        while self.pos < self.bytes.len() {
            let c = self.bytes[self.pos];
            let at_statement_start = state.start.is_none();
            let (comment_start, comment_line) = (self.pos, self.line);
            let is_comment = match c {
                b'\n' => {
                    self.advance(1);
                    false
                }
                c if c.is_ascii_whitespace() => {
                    self.advance(1);
                    false
                }
                b'-' if self.peek(1) == Some(b'-') => {
                    self.skip_line_comment();
                    true
                }
                // MySQL comments. Files in the wild also put them before PostgreSQL statements; no PostgreSQL
                // statement starts with `#`, so skipping them there never eats real SQL.
                b'#' if at_statement_start || self.dialect == Dialect::Mysql => {
                    self.skip_line_comment();
                    true
                }
                b'/' if self.peek(1) == Some(b'*') => {
                    let runs = self.dialect == Dialect::Mysql && self.version_comment_runs()?;
                    if runs && at_statement_start {
                        state.start = Some((self.pos, self.line));
                        let index = statements.len();
                        comments.extend(pending.drain(..).map(|c| SourceComment { statement: Some(index), ..c }));
                    }
                    self.skip_block_comment()?;
                    !runs
                }
                b';' if state.paren_depth == 0 && state.begin_depth == 0 => {
                    self.advance(1);
                    if let Some((start, line)) = state.start.take() {
                        statements.push(self.statement(start, self.pos, line));
                        last_end_line = Some(self.line);
                    }
                    state = StatementState::default();
                    false
                }
                _ => {
                    if at_statement_start {
                        state.start = Some((self.pos, self.line));
                        let index = statements.len();
                        comments.extend(pending.drain(..).map(|c| SourceComment { statement: Some(index), ..c }));
                    }
                    self.scan_token(&mut state)?;
                    false
                }
            };
            // Comments inside a statement stay in its text.
            if is_comment && at_statement_start {
                let text = self.text[comment_start..self.pos].to_string();
                let trails_last = pending.is_empty() && last_end_line == Some(comment_line);
                let statement = trails_last.then(|| statements.len() - 1);
                let comment = SourceComment { text, line: comment_line, statement };
                if trails_last { comments.push(comment) } else { pending.push(comment) }
            }
        }
        if let Some((start, line)) = state.start {
            statements.push(self.statement(start, self.bytes.len(), line));
        }
        comments.extend(pending);
        Ok((statements, comments))
    }

    fn statement(&self, start: usize, end: usize, line: usize) -> SourceStatement {
        SourceStatement { sql: self.text[start..end].trim_end().to_string(), line }
    }

    /// Consumes one token (or one character of an operator) of a statement.
    fn scan_token(&mut self, state: &mut StatementState) -> Result<(), ParseError> {
        let c = self.bytes[self.pos];
        if !is_identifier_start(c) {
            state.after_end = false;
        }
        match c {
            b'\'' => self.skip_quoted(b'\'', self.dialect == Dialect::Mysql),
            b'"' => self.skip_quoted(b'"', self.dialect == Dialect::Mysql),
            b'`' if self.dialect != Dialect::Postgres => self.skip_quoted(b'`', false),
            b'(' => {
                state.paren_depth += 1;
                self.advance(1);
                Ok(())
            }
            b')' => {
                state.paren_depth = state.paren_depth.saturating_sub(1);
                self.advance(1);
                Ok(())
            }
            b'$' => match self.dollar_tag() {
                Some(tag_len) => self.skip_dollar_quoted(tag_len),
                None => {
                    // a positional parameter such as `$1`
                    self.advance(1);
                    self.skip_while(|b| b.is_ascii_digit());
                    Ok(())
                }
            },
            c if is_identifier_start(c) => {
                let start = self.pos;
                self.skip_while(is_identifier_part);
                let word = &self.text[start..self.pos];
                // `E'...'` is an escape string: backslashes escape quotes in it.
                if word.eq_ignore_ascii_case("e") && self.peek(0) == Some(b'\'') {
                    return self.skip_quoted(b'\'', true);
                }
                state.track_word(word);
                Ok(())
            }
            c if c.is_ascii_digit() => {
                self.skip_while(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
                Ok(())
            }
            _ => {
                self.advance(1);
                Ok(())
            }
        }
    }

    /// Skips a string or quoted identifier; a doubled quote is an escaped quote, and so is a backslash-escaped
    /// one when `backslash_escapes` holds.
    fn skip_quoted(&mut self, quote: u8, backslash_escapes: bool) -> Result<(), ParseError> {
        let (start, line) = (self.pos, self.line);
        self.advance(1);
        loop {
            match self.bytes.get(self.pos) {
                None => return Err(self.unterminated(start, line, "quoted text")),
                Some(b'\\') if backslash_escapes => self.advance(2.min(self.bytes.len() - self.pos)),
                Some(&b) if b == quote => {
                    self.advance(1);
                    if self.peek(0) != Some(quote) {
                        return Ok(());
                    }
                    self.advance(1);
                }
                Some(_) => self.advance(1),
            }
        }
    }

    /// The length of a dollar-quote opener (`$$` or `$tag$`) at the current position, if there is one.
    fn dollar_tag(&self) -> Option<usize> {
        let preceded_by_identifier = self.pos > 0 && is_identifier_part(self.bytes[self.pos - 1]);
        if preceded_by_identifier {
            return None;
        }
        let rest = &self.bytes[self.pos + 1..];
        if rest.first() == Some(&b'$') {
            return Some(2);
        }
        if !rest.first().is_some_and(|&b| is_identifier_start(b)) {
            return None;
        }
        let tag_len = rest.iter().take_while(|&&b| is_identifier_start(b) || b.is_ascii_digit()).count();
        (rest.get(tag_len) == Some(&b'$')).then_some(tag_len + 2)
    }

    fn skip_dollar_quoted(&mut self, tag_len: usize) -> Result<(), ParseError> {
        let (start, line) = (self.pos, self.line);
        let tag = &self.text[self.pos..self.pos + tag_len];
        self.advance(tag_len);
        match self.text[self.pos..].find(tag) {
            Some(offset) => {
                self.advance(offset + tag_len);
                Ok(())
            }
            None => Err(self.unterminated(start, line, "dollar-quoted text")),
        }
    }

    fn skip_line_comment(&mut self) {
        self.skip_while(|b| b != b'\n');
    }

    /// Skips a block comment; PostgreSQL nests them, MySQL and SQLite do not.
    /// At a MySQL `/*`: whether the comment is a version comment that both MySQL and MariaDB run as SQL
    /// (`/*! ... */`, `/*!NNNNN ... */` for versions below 5.7, which MariaDB stops at), read as statement
    /// text (sqlparser's tokenizer opens it). One only some servers run is refused: MySQL 5.7+'s
    /// `/*!50700` and above, MariaDB's `/*M!NNNNNN` (but its client's sandbox marker, `/*M!999999`).
    fn version_comment_runs(&self) -> Result<bool, ParseError> {
        let rest = &self.bytes[self.pos + 2..];
        let (mariadb, digits) = match rest {
            [b'!', digits @ ..] => (false, digits),
            [b'M', b'!', digits @ ..] => (true, digits),
            _ => return Ok(false),
        };
        let version: String = digits.iter().take_while(|b| b.is_ascii_digit()).map(|&b| b as char).collect();
        let refuse = |message: String| {
            let text = &self.text[self.pos..];
            let excerpt = text.lines().next().unwrap_or_default().chars().take(80).collect();
            Err(ParseError::Unsupported { line: self.line, excerpt, message })
        };
        match (mariadb, version.parse::<u32>()) {
            (true, Ok(999_999)) => Ok(false),
            (true, _) => refuse(format!(
                "a `/*M!{version}` comment runs on MariaDB only, so the schema would depend on the server: write \
                 its SQL plainly, or leave it out"
            )),
            (false, Err(_)) => Ok(true),
            (false, Ok(version)) if version < 50700 => Ok(true),
            (false, Ok(version)) => refuse(format!(
                "a `/*!{version}` comment runs on MySQL {} and later but not on MariaDB, so the schema would depend \
                 on the server: write its SQL plainly, or leave it out",
                format_args!("{}.{}.{}", version / 10000, version / 100 % 100, version % 100)
            )),
        }
    }

    fn skip_block_comment(&mut self) -> Result<(), ParseError> {
        let (start, line) = (self.pos, self.line);
        let nests = self.dialect == Dialect::Postgres;
        let mut depth = 0usize;
        loop {
            match (self.peek(0), self.peek(1)) {
                (Some(b'/'), Some(b'*')) if depth == 0 || nests => {
                    depth += 1;
                    self.advance(2);
                }
                (Some(b'*'), Some(b'/')) => {
                    self.advance(2);
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                (Some(_), _) => self.advance(1),
                (None, _) => return Err(self.unterminated(start, line, "block comment")),
            }
        }
    }

    fn unterminated(&self, start: usize, line: usize, what: &str) -> ParseError {
        ParseError::Syntax {
            line,
            excerpt: crate::excerpt(&self.text[start..]),
            message: format!("unterminated {what}"),
        }
    }

    fn peek(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    fn advance(&mut self, count: usize) {
        let end = self.pos + count;
        self.line += self.bytes[self.pos..end].iter().filter(|&&b| b == b'\n').count();
        self.pos = end;
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        let count = self.bytes[self.pos..].iter().take_while(|&&b| keep(b)).count();
        self.advance(count);
    }
}

/// Identifiers start with a letter, an underscore or any non-ASCII character (PostgreSQL's lexer).
fn is_identifier_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_identifier_part(b: u8) -> bool {
    is_identifier_start(b) || b.is_ascii_digit() || b == b'$'
}

#[cfg(test)]
mod tests;
