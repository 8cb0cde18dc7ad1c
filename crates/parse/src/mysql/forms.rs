//! Canonical forms shared by both sides of a MySQL diff: column types as `information_schema.COLUMNS.COLUMN_TYPE`
//! prints them, defaults as `COLUMN_DEFAULT` does, and expressions and view queries compared through the
//! PostgreSQL canonical forms after MySQL's quoting is taken off (`canon`). `driftless-inspect` runs the
//! database's texts through the same functions.

use crate::canon;
#[cfg(test)]
use driftless_model::mysql::escape_backslashes;
use driftless_model::mysql::{literal_value, quote_literal};
use driftless_model::{DataType, Expr};
use sqlparser::dialect::MySqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer, Word};

/// A declared type as MariaDB's `COLUMN_TYPE` prints it: `int` → `int(11)`, `int unsigned` → `int(10) unsigned`,
/// `boolean` → `tinyint(1)`, `decimal` → `decimal(10,0)`, `float(30)` → `double`, `char` → `char(1)`,
/// `json` → `longtext`, `enum('a', 'b')` → `enum('a','b')`. The text is sqlparser's printing of the type or
/// the server's own.
pub fn column_type(printed: &str) -> Result<String, String> {
    // lowered but for the arguments, where `enum` and `set` members keep their case
    let (head, args, rest) = split_type(printed.trim());
    let (head, rest) = (head.to_lowercase(), rest.to_lowercase());
    let mut words: Vec<&str> = rest.split_whitespace().collect();
    let zerofill = take(&mut words, "zerofill");
    let unsigned = take(&mut words, "unsigned") || zerofill;
    take(&mut words, "signed");
    let mut head_words: Vec<&str> = head.split_whitespace().collect();
    let head_zerofill = take(&mut head_words, "zerofill");
    let head_unsigned = take(&mut head_words, "unsigned") || head_zerofill;
    let (zerofill, unsigned) = (zerofill || head_zerofill, unsigned || head_unsigned);
    let base = head_words.join(" ");
    if !words.is_empty() {
        return Err(format!("type `{printed}` is not supported"));
    }
    let integer = |signed_width: u32, unsigned_width: u32| {
        let width = args.clone().unwrap_or_else(|| (if unsigned { unsigned_width } else { signed_width }).to_string());
        format!("({width})")
    };
    let (name, modifier) = match base.as_str() {
        "tinyint" | "int1" => ("tinyint", integer(4, 3)),
        "smallint" | "int2" => ("smallint", integer(6, 5)),
        "mediumint" | "int3" | "middleint" => ("mediumint", integer(9, 8)),
        "int" | "integer" | "int4" => ("int", integer(11, 10)),
        "bigint" | "int8" => ("bigint", integer(20, 20)),
        "bool" | "boolean" => ("tinyint", "(1)".to_string()),
        "decimal" | "numeric" | "dec" | "fixed" => {
            let precision = match args.as_deref().map(|a| a.split(',').map(str::trim).collect::<Vec<_>>()) {
                None => "(10,0)".to_string(),
                Some(parts) if parts.len() == 1 => format!("({},0)", parts[0]),
                Some(parts) => format!("({})", parts.join(",")),
            };
            ("decimal", precision)
        }
        "float" => match args.as_deref() {
            Some(p) if !p.contains(',') => {
                let bits: u32 = p.trim().parse().map_err(|_| format!("type `{printed}`: bad precision"))?;
                (if bits <= 24 { "float" } else { "double" }, String::new())
            }
            Some(p) => ("float", format!("({})", p.replace(' ', ""))),
            None => ("float", String::new()),
        },
        "double" | "double precision" | "real" | "float8" => {
            ("double", args.map(|p| format!("({})", p.replace(' ', ""))).unwrap_or_default())
        }
        "char" | "character" | "nchar" | "national char" => {
            ("char", format!("({})", args.unwrap_or_else(|| "1".into())))
        }
        "binary" => ("binary", format!("({})", args.unwrap_or_else(|| "1".into()))),
        "bit" => ("bit", format!("({})", args.unwrap_or_else(|| "1".into()))),
        "year" => ("year", "(4)".to_string()),
        "varchar" | "character varying" | "nvarchar" | "national varchar" | "varbinary" => {
            let Some(length) = args else { return Err(format!("type `{printed}` needs a length")) };
            (if base == "varbinary" { "varbinary" } else { "varchar" }, format!("({length})"))
        }
        "json" => ("longtext", String::new()),
        "enum" | "set" => {
            let values = enum_values(args.as_deref().unwrap_or_default());
            (if base == "enum" { "enum" } else { "set" }, format!("({})", values.join(",")))
        }
        "datetime" | "timestamp" | "time" => {
            (base.as_str().trim(), args.filter(|p| p.trim() != "0").map(|p| format!("({p})")).unwrap_or_default())
        }
        "date" | "tinytext" | "text" | "mediumtext" | "longtext" | "tinyblob" | "blob" | "mediumblob" | "longblob"
        | "geometry" | "point" | "linestring" | "polygon" | "multipoint" | "multilinestring" | "multipolygon"
        | "geometrycollection" | "uuid" | "inet4" | "inet6" => {
            if args.is_some() && !matches!(base.as_str(), "text" | "blob") {
                return Err(format!("type `{printed}` is not supported"));
            }
            (base.as_str(), String::new())
        }
        _ => return Err(format!("type `{printed}` is not supported for MySQL")),
    };
    let mut result = format!("{name}{modifier}");
    let numeric =
        matches!(name, "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float" | "double");
    if unsigned && numeric {
        result.push_str(" unsigned");
    }
    if zerofill && numeric {
        result.push_str(" zerofill");
    }
    Ok(result)
}

/// `name(args) rest` → (`name`, `args`, `rest`), the arguments without their parentheses.
fn split_type(text: &str) -> (String, Option<String>, String) {
    let Some(open) = text.find('(') else {
        return (text.to_string(), None, String::new());
    };
    let mut depth = 0;
    let mut in_quote = false;
    for (index, c) in text.char_indices().skip(open) {
        match c {
            '\'' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth -= 1;
                if depth == 0 {
                    let args = text[open + 1..index].trim().to_string();
                    return (text[..open].trim().to_string(), Some(args), text[index + 1..].to_string());
                }
            }
            _ => {}
        }
    }
    (text.to_string(), None, String::new())
}

fn take(words: &mut Vec<&str>, word: &str) -> bool {
    let before = words.len();
    words.retain(|w| *w != word);
    words.len() != before
}

/// The quoted members of an `enum`/`set` list, each as `'member'` with `''` escaping, in order.
fn enum_values(args: &str) -> Vec<String> {
    tokens(args).into_iter().filter_map(|token| string_value(&token).map(|value| quote_literal(&value))).collect()
}

/// The tokens of a MySQL text with string literals as written (sqlparser's own unescaping reads `\a` and `\f`
/// as control characters, which MySQL does not): [`string_value`] reads them.
fn tokens(sql: &str) -> Vec<Token> {
    Tokenizer::new(&MySqlDialect {}, sql).with_unescape(false).tokenize().unwrap_or_default()
}

/// The value of a quoted string token from [`tokens`].
fn string_value(token: &Token) -> Option<String> {
    match token {
        Token::SingleQuotedString(body) => Some(literal_value(body, '\'')),
        Token::DoubleQuotedString(body) => Some(literal_value(body, '"')),
        _ => None,
    }
}

/// True for types whose defaults MariaDB prints as bare numbers.
fn is_numeric(data_type: &DataType) -> bool {
    matches!(
        data_type.base_name().as_ref(),
        "tinyint" | "smallint" | "mediumint" | "int" | "bigint" | "decimal" | "float" | "double"
    )
}

/// A column's default as `COLUMN_DEFAULT` prints it, for a column of `data_type` (already canonical), from
/// the declared default's text or the server's; `None` for no default or `NULL`. `on_update` is the
/// `ON UPDATE` expression, kept in the same [`Expr`] (`<default> ON UPDATE current_timestamp()`, `NULL` when
/// there is no default) since both come from one column clause.
pub fn column_default(default: Option<&str>, on_update: Option<&str>, data_type: &DataType) -> Option<Box<Expr>> {
    let default = default.map(str::trim).filter(|d| !d.eq_ignore_ascii_case("null"));
    let value = default.map(|text| default_value(text, data_type));
    let on_update = on_update.map(|text| timestamp_function(text).unwrap_or_else(|| canonical_expr(text)));
    match (value, on_update) {
        (None, None) => None,
        (Some(value), None) => Some(Box::new(value)),
        (value, Some(on_update)) => {
            let value = value.unwrap_or_else(|| Expr::new("NULL", "NULL"));
            Some(Box::new(Expr::new(
                format!("{} ON UPDATE {on_update}", value.sql),
                format!("{} ON UPDATE {on_update}", value.canonical),
            )))
        }
    }
}

/// One default value: a literal in the column type's form, `current_timestamp(n)`, or an expression.
fn default_value(text: &str, data_type: &DataType) -> Expr {
    if let Some(function) = timestamp_function(text) {
        return Expr::new(function.clone(), function);
    }
    let unwrapped = strip_parens(text);
    let literal = match tokens(unwrapped).as_slice() {
        [Token::Number(n, _)] => Some(n.clone()),
        [Token::Minus, Token::Number(n, _)] => Some(format!("-{n}")),
        [string @ (Token::SingleQuotedString(_) | Token::DoubleQuotedString(_))] => string_value(string),
        [Token::Word(Word { value, quote_style: None, .. })] if value.eq_ignore_ascii_case("true") => Some("1".into()),
        [Token::Word(Word { value, quote_style: None, .. })] if value.eq_ignore_ascii_case("false") => Some("0".into()),
        _ => None,
    };
    let sql = match literal {
        // a string's text goes into the statement as a number only when it is one; anything else stays a
        // string (which the server refuses as the default of a number), never SQL
        Some(number) if is_numeric(data_type) && number.trim().parse::<f64>().is_ok() => {
            number_in_type(number.trim(), data_type)
        }
        Some(_) if unwrapped.starts_with(['b', 'B', 'x', 'X']) => unwrapped.to_string(),
        Some(value) => quote_literal(&padded_to_binary_length(value, data_type)),
        None if unwrapped.starts_with(['b', 'B']) && unwrapped[1..].starts_with('\'') => unwrapped.to_lowercase(),
        None => {
            let canonical = canonical_expr(unwrapped);
            return Expr::new(unwrapped.to_string(), canonical);
        }
    };
    Expr::new(sql.clone(), sql)
}

/// A `binary(n)` value is stored right-padded with zero bytes to `n` bytes (`DEFAULT ''` on `binary(4)` is
/// `'\0\0\0\0'`).
fn padded_to_binary_length(mut value: String, data_type: &DataType) -> String {
    if data_type.base_name() == "binary" {
        let length = data_type.length().unwrap_or(1) as usize;
        let padding = length.saturating_sub(value.len());
        value.extend(std::iter::repeat_n('\0', padding));
    }
    value
}

/// `CURRENT_TIMESTAMP`, `now()`, `localtimestamp` and the like, as MariaDB prints them:
/// `current_timestamp()` or `current_timestamp(3)`.
fn timestamp_function(text: &str) -> Option<String> {
    let lower = strip_parens(text).to_lowercase().replace(' ', "");
    let (name, args) = match lower.split_once('(') {
        Some((name, rest)) => (name.to_string(), rest.strip_suffix(')')?.to_string()),
        None => (lower.clone(), String::new()),
    };
    matches!(name.as_str(), "current_timestamp" | "now" | "localtime" | "localtimestamp")
        .then(|| format!("current_timestamp({args})"))
}

fn strip_parens(text: &str) -> &str {
    let mut text = text.trim();
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        text = inner.trim();
    }
    text
}

fn balanced(text: &str) -> bool {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// A number as MariaDB prints it for the type: `decimal(5,2)` with exactly two decimals (`3.1` → `3.10`),
/// floating point types in their shortest form (`1.0` → `1`), integers as integers.
fn number_in_type(number: &str, data_type: &DataType) -> String {
    let base_name = data_type.base_name();
    if base_name == "decimal" && data_type.has_modifiers() {
        return decimal_in_scale(number, data_type.scale().unwrap_or(0) as usize);
    }
    if matches!(base_name.as_ref(), "float" | "double")
        && let Ok(value) = number.parse::<f64>()
    {
        return format!("{value}");
    }
    match number.parse::<f64>() {
        Ok(value) if value.fract() == 0.0 && value.abs() < 1e18 => format!("{}", value as i64),
        _ => number.to_string(),
    }
}

/// A decimal literal with exactly `scale` decimals, digit by digit (no floating point: `decimal(35,30)` holds
/// more digits than a double), extra decimals cut off.
fn decimal_in_scale(number: &str, scale: usize) -> String {
    let (sign, digits) = match number.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", number.strip_prefix('+').unwrap_or(number)),
    };
    if digits.contains(['e', 'E']) || digits.parse::<f64>().is_err() {
        return number.to_string();
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut fraction: String = fraction.chars().take(scale).collect();
    while fraction.len() < scale {
        fraction.push('0');
    }
    if scale == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{fraction}") }
}

/// The canonical form of a MySQL expression (a check, a generated column, a default, an index key).
pub fn canonical_expr(sql: &str) -> String {
    canon::expr(&unquoted(sql, None))
}

/// The canonical form of a view's query; `schema` (the view's database) is taken off qualified names, as
/// MariaDB prints every column as `` `db`.`table`.`column` ``.
pub fn canonical_query(sql: &str, schema: &str) -> String {
    canon::query(&unquoted(sql, Some(schema)))
}

/// [`canonical_query`] read against the columns of the relations it names (`*` expanded, columns over several
/// relations qualified), as MariaDB stores a view; `columns` takes lower-case names.
pub(super) fn canonical_query_over(
    sql: &str,
    schema: &str,
    columns: &dyn Fn(&[String]) -> Option<Vec<String>>,
) -> String {
    canon::view_query(&unquoted(sql, Some(schema)), columns)
}

/// The text with MySQL's spellings turned into ones the canonical forms read: backquoted names unquoted
/// (double-quoted when they need it), double-quoted strings single-quoted, character set introducers
/// (`_utf8mb4'x'`) dropped, and `schema.` prefixes removed.
fn unquoted(sql: &str, schema: Option<&str>) -> String {
    let tokens = tokens(sql);
    let mut out = String::with_capacity(sql.len());
    let mut index = 0;
    while index < tokens.len() {
        let token = &tokens[index];
        let next = tokens.get(index + 1);
        match token {
            Token::Word(word) if schema.is_some_and(|s| word.value == s) && next == Some(&Token::Period) => {
                index += 2;
                continue;
            }
            Token::Word(word)
                if word.quote_style.is_none()
                    && word.value.starts_with('_')
                    && matches!(next, Some(Token::SingleQuotedString(_))) => {}
            Token::Word(word) if let Some(quote) = word.quote_style => {
                // the tokens keep a doubled quote inside the name doubled
                let value = word.value.replace(&format!("{quote}{quote}"), &quote.to_string());
                let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !value.starts_with(|c: char| c.is_ascii_digit());
                if plain {
                    out.push_str(&value.to_lowercase());
                } else {
                    out.push_str(&format!("\"{}\"", value.replace('"', "\"\"")));
                }
            }
            // the canonical forms read PostgreSQL's standard strings: the value with its quotes doubled
            Token::SingleQuotedString(_) | Token::DoubleQuotedString(_) => {
                let value = string_value(token).unwrap_or_default();
                out.push_str(&driftless_model::quote_literal(&value));
            }
            other => out.push_str(&other.to_string()),
        }
        index += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_print_as_column_type_does() {
        for (declared, stored) in [
            ("INT", "int(11)"),
            ("integer UNSIGNED", "int(10) unsigned"),
            ("INT(5)", "int(5)"),
            ("TINYINT", "tinyint(4)"),
            ("BOOLEAN", "tinyint(1)"),
            ("BIGINT UNSIGNED", "bigint(20) unsigned"),
            ("DECIMAL", "decimal(10,0)"),
            ("NUMERIC(5)", "decimal(5,0)"),
            ("DECIMAL(10, 2)", "decimal(10,2)"),
            ("DECIMAL(5) ZEROFILL", "decimal(5,0) unsigned zerofill"),
            ("FLOAT(30)", "double"),
            ("REAL", "double"),
            ("CHAR", "char(1)"),
            ("VARCHAR(255)", "varchar(255)"),
            ("DATETIME(3)", "datetime(3)"),
            ("YEAR", "year(4)"),
            ("JSON", "longtext"),
            ("ENUM('a', 'b''c')", "enum('a','b''c')"),
        ] {
            assert_eq!(column_type(declared).unwrap(), stored, "{declared}");
        }
        assert!(column_type("VARCHAR").is_err());
    }

    #[test]
    fn defaults_print_as_column_default_does() {
        let default =
            |text: &str, data_type: &str| column_default(Some(text), None, &data_type.into()).map(|e| e.canonical);
        assert_eq!(default("0", "int(11)").as_deref(), Some("0"));
        assert_eq!(default("'5'", "int(11)").as_deref(), Some("5"));
        // a string that is no number stays a string: its text never becomes SQL
        assert_eq!(default("'1); drop table t; --'", "int(11)").as_deref(), Some("'1); drop table t; --'"));
        assert_eq!(default("5", "varchar(5)").as_deref(), Some("'5'"));
        assert_eq!(default("1", "decimal(10,2)").as_deref(), Some("1.00"));
        assert_eq!(default("1.0", "double").as_deref(), Some("1"));
        assert_eq!(
            default("1.00000000001234567891234", "decimal(35,30)").as_deref(),
            Some("1.000000000012345678912340000000")
        );
        assert_eq!(default("TRUE", "tinyint(1)").as_deref(), Some("1"));
        assert_eq!(default("CURRENT_TIMESTAMP", "datetime").as_deref(), Some("current_timestamp()"));
        assert_eq!(default("now(3)", "datetime(3)").as_deref(), Some("current_timestamp(3)"));
        assert_eq!(default("NULL", "int(11)"), None);
        assert_eq!(default("(1+2)", "int(11)"), default("(1 + 2)", "int(11)"));
        let on_update = column_default(None, Some("CURRENT_TIMESTAMP"), &"timestamp".into()).unwrap();
        assert_eq!(on_update.sql, "NULL ON UPDATE current_timestamp()");
    }

    /// Strings a hostile or unlucky schema holds: quotes, backslashes, statement ends, comment starts,
    /// control characters, dollar quotes and non-ASCII letters.
    fn hostile_string() -> impl proptest::strategy::Strategy<Value = String> {
        proptest::prop_oneof![
            proptest::string::string_regex("[\\\\'\";\\-/*$%_a-zA-Z0-9 \t\n\r\u{0}\u{1a}\u{8}é☃]{0,24}").unwrap(),
            proptest::arbitrary::any::<String>(),
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_string_default_is_one_literal_that_reads_back_as_itself(value in hostile_string()) {
            let literal = quote_literal(&value);
            let sql = format!("create table t (a varchar(200) default {literal}, b int)");
            let statements = tokens(&sql).into_iter().filter(|t| *t == Token::SemiColon).count();
            proptest::prop_assert_eq!(statements, 0, "{}", sql);
            let options = crate::ParseOptions { dialect: driftless_model::Dialect::Mysql, default_schema: "app".into() };
            let db = crate::parse_schema(&sql, &options).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let table = db.table(&driftless_model::QualifiedName::new("app", "t")).unwrap();
            let default = table.columns[0].default.as_deref().unwrap();
            proptest::prop_assert_eq!(&default.sql, &literal);
            proptest::prop_assert_eq!(&default.canonical, &literal);
            // the server's spelling (`\'` for a quote, as in view definitions) reads as the same value
            let server = format!("'{}'", escape_backslashes(&value).replace('\'', "\\'"));
            let inspected = column_default(Some(&server), None, &"varchar(200)".into()).unwrap();
            proptest::prop_assert_eq!(&inspected.canonical, &literal);

            // in an expression: printed so that it holds the same value, compared equal to the server's text
            let sql = format!("create table c (a varchar(200), constraint k check (a <> {literal}))");
            let db = crate::parse_schema(&sql, &options).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let check = &db.table(&driftless_model::QualifiedName::new("app", "c")).unwrap().checks["k"].expr;
            let values: Vec<String> = tokens(&check.sql).iter().filter_map(string_value).collect();
            proptest::prop_assert_eq!(values, vec![value.clone()], "{}", check.sql);
            proptest::prop_assert_eq!(&check.canonical, &canonical_expr(&format!("`a` <> {server}")));
        }

        #[test]
        fn any_string_in_a_view_keeps_its_text_and_compares_equal_to_the_servers(value in hostile_string()) {
            let literal = quote_literal(&value);
            let sql = format!("create view v as select {literal} as x");
            let options = crate::ParseOptions { dialect: driftless_model::Dialect::Mysql, default_schema: "app".into() };
            let db = crate::parse_schema(&sql, &options).map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            let view = &db.schemas["app"].views["v"];
            proptest::prop_assert_eq!(&view.query.sql, &format!("select {literal} as x"));
            let server = format!("select '{}' AS `x`", escape_backslashes(&value).replace('\'', "\\'"));
            proptest::prop_assert_eq!(&view.query.canonical, &canonical_query(&server, "app"));
        }
    }

    #[test]
    fn expressions_and_queries_compare_without_mysql_quoting() {
        assert_eq!(canonical_expr("`a` > 0 and `y` < 10"), canonical_expr("(a > 0) AND (y < 10)"));
        assert_eq!(
            canonical_query("select `app`.`users`.`id` AS `id` from `app`.`users` where `app`.`users`.`id` > 1", "app"),
            canonical_query("select id from users where id > 1", "app")
        );
    }
}
