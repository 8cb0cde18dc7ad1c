//! Column types: the canonical text the database prints, and its parts read from that text.
//!
//! A model holds one type per column of every table, so a [`DataType`] is only the printed text in a
//! [`CompactString`] (inline up to 24 bytes, as before it had structure); the parts are read from it on each
//! call by one parser, without allocating. The text stays the source of truth: it is what SQL is rendered
//! from, what JSON and `schema_hash` carry, and what models compare by.
//!
//! One grammar covers the three dialects, whose printed forms do not overlap:
//!
//! ```text
//! [schema "."] name ["(" modifiers ")"] [" " name-suffix] [" unsigned"] [" zerofill"] {"[]"}
//! ```
//!
//! PostgreSQL (`format_type`): `character varying(255)`, `numeric(10,2)`, `integer[]`, `"char"`,
//! `timestamp(3) with time zone`, `interval day to second(3)`, `geometry(Point,4326)`, user types unqualified
//! in the default schema and quoted only when needed (`app."Mood"`). MySQL (`COLUMN_TYPE`): `int(10) unsigned
//! zerofill`, `decimal(10,2)`, `enum('a','it''s')`. SQLite: the declared type, which may be any text; text
//! outside the grammar is read as one opaque name, so every string prints back byte for byte.

use crate::QualifiedName;
use crate::name::quote_ident;
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// A column's type as the database prints it; see the module documentation for the grammar.
#[derive(Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DataType(CompactString);

impl DataType {
    /// The type printed as `text`, which must already be the database's canonical spelling (the parser and
    /// the inspectors produce it); nothing is normalized here.
    pub fn new(text: impl Into<CompactString>) -> Self {
        DataType(text.into())
    }

    /// A user-defined PostgreSQL type as `format_type` prints it: unqualified in `default_schema`, each part
    /// quoted only when needed, `[]` for an array of it.
    pub fn user_defined(name: &QualifiedName, default_schema: &str, array: bool) -> Self {
        let parts = Parts {
            schema: (name.schema != default_schema).then(|| quote_ident(&name.schema).into()),
            name: quote_ident(&name.name).into(),
            array_dimensions: u8::from(array),
            ..Parts::default()
        };
        DataType(compact_str::format_compact!("{parts}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The type without modifiers, MySQL attributes and array brackets, schema-qualified as printed:
    /// `character varying(10)[]` → `character varying`, `timestamp(3) with time zone` →
    /// `timestamp with time zone`, `int(10) unsigned` → `int`, `app.mood[]` → `app.mood`.
    pub fn base_name(&self) -> Cow<'_, str> {
        self.parts().base_name()
    }

    /// The first number between the parentheses: a length (`varchar(20)`), a precision (`numeric(10,2)`),
    /// fractional seconds (`timestamp(3) with time zone`) or a display width (`int(11)`).
    pub fn length(&self) -> Option<u32> {
        self.parts().number(0)
    }

    /// The second number between the parentheses: the scale of `numeric(10,2)` and `decimal(10,2)`.
    pub fn scale(&self) -> Option<u32> {
        self.parts().number(1)
    }

    /// Whether anything is written between parentheses (`numeric(10,2)`, `geometry(Point,4326)`).
    pub fn has_modifiers(&self) -> bool {
        self.parts().modifiers.is_some()
    }

    /// The members of a MySQL `enum(...)` or `set(...)` as values, in order; `None` for other types.
    pub fn members(&self) -> Option<Vec<String>> {
        let parts = self.parts();
        if !matches!(parts.name.as_ref(), "enum" | "set") || parts.schema.is_some() {
            return None;
        }
        let literals = split_top_level(parts.modifiers?);
        literals
            .iter()
            .map(|literal| Some(crate::mysql::literal_value(literal.strip_prefix('\'')?.strip_suffix('\'')?, '\'')))
            .collect()
    }

    /// MySQL's `unsigned` (implied by `zerofill`).
    pub fn is_unsigned(&self) -> bool {
        self.parts().unsigned
    }

    /// MySQL's `zerofill`.
    pub fn is_zerofill(&self) -> bool {
        self.parts().zerofill
    }

    pub fn is_array(&self) -> bool {
        self.parts().array_dimensions > 0
    }

    /// PostgreSQL: the type is one of the common built-in types (not a user-defined or extension type).
    pub fn is_postgres_builtin(&self) -> bool {
        let parts = self.parts();
        parts.schema.is_none() && POSTGRES_BUILTIN_TYPES.contains(&parts.base_name().as_ref())
    }

    /// PostgreSQL: the type (or, for an array, its element) is a string type, which every type converts to
    /// through its output function: `text`, `character varying`, `character`, `bpchar` or `citext`.
    pub fn is_postgres_string(&self) -> bool {
        let parts = self.parts();
        parts.schema.is_none()
            && matches!(parts.base_name().as_ref(), "text" | "character varying" | "character" | "bpchar" | "citext")
    }

    /// PostgreSQL: the user-defined type this is (or is an array of), with its schema: `default_schema` when
    /// unqualified. `None` for a built-in type.
    pub fn user_type(&self, default_schema: &str) -> Option<QualifiedName> {
        if self.is_postgres_builtin() {
            return None;
        }
        let parts = self.parts();
        let schema = parts.schema.as_deref().map_or_else(|| default_schema.to_string(), unquote);
        Some(QualifiedName::new(schema, unquote(&parts.name)))
    }

    /// The same type with its user-defined type replaced by `name` (after a rename), keeping the modifiers
    /// and array brackets.
    pub fn with_user_type(&self, name: &QualifiedName, default_schema: &str) -> Self {
        let renamed = DataType::user_defined(name, default_schema, false);
        let renamed = renamed.parts();
        let parts = Parts { schema: renamed.schema, name: renamed.name, ..self.parts() };
        DataType(compact_str::format_compact!("{parts}"))
    }

    fn parts(&self) -> Parts<'_> {
        Parts::parse(&self.0)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Debug prints like the string the field was before it had a type of its own.
impl fmt::Debug for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for DataType {
    fn from(text: &str) -> Self {
        DataType::new(text)
    }
}

impl From<String> for DataType {
    fn from(text: String) -> Self {
        DataType::new(text)
    }
}

impl From<CompactString> for DataType {
    fn from(text: CompactString) -> Self {
        DataType(text)
    }
}

impl PartialEq<str> for DataType {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for DataType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for DataType {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

/// PostgreSQL's built-in types as `format_type` names them (without modifiers and array brackets).
const POSTGRES_BUILTIN_TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
    "money",
    "text",
    "character varying",
    "character",
    "bpchar",
    "\"char\"",
    "name",
    "bytea",
    "boolean",
    "date",
    "time without time zone",
    "time with time zone",
    "timestamp without time zone",
    "timestamp with time zone",
    "interval",
    "uuid",
    "json",
    "jsonb",
    "jsonpath",
    "xml",
    "inet",
    "cidr",
    "macaddr",
    "macaddr8",
    "bit",
    "bit varying",
    "point",
    "line",
    "lseg",
    "box",
    "path",
    "polygon",
    "circle",
    "tsvector",
    "tsquery",
    "oid",
    "regclass",
    "regtype",
    "regproc",
    "pg_lsn",
    "int4range",
    "int8range",
    "numrange",
    "tsrange",
    "tstzrange",
    "daterange",
];

/// A printed type split along the grammar; printing it gives the text back.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parts<'a> {
    /// The schema of a qualified name, as printed (quoted when needed).
    schema: Option<Cow<'a, str>>,
    /// The words before the parentheses, as printed: `character varying`, `timestamp`, `"Mood"`.
    name: Cow<'a, str>,
    /// The text between the parentheses: `10,2`, `'a','b'`, `Point,4326`.
    modifiers: Option<&'a str>,
    /// Words after the parentheses that belong to the name: `with time zone`.
    name_suffix: &'a str,
    unsigned: bool,
    zerofill: bool,
    array_dimensions: u8,
}

impl<'a> Parts<'a> {
    /// Splits `text` along the grammar; text the grammar does not print back byte for byte is one name.
    fn parse(text: &'a str) -> Self {
        Self::split(text)
            .filter(|parts| parts.to_string() == text)
            .unwrap_or(Parts { name: Cow::Borrowed(text), ..Parts::default() })
    }

    fn split(text: &'a str) -> Option<Self> {
        let mut rest = text;
        let mut array_dimensions = 0u8;
        while let Some(element) = rest.strip_suffix("[]") {
            rest = element;
            array_dimensions = array_dimensions.checked_add(1)?;
        }
        let zerofill = strip_word(&mut rest, " zerofill");
        let unsigned = strip_word(&mut rest, " unsigned");
        let (head, modifiers, name_suffix) = match find_outside_quotes(rest, '(') {
            Some(open) => {
                let close = open + 1 + find_outside_quotes(&rest[open + 1..], ')')?;
                let after = &rest[close + 1..];
                let name_suffix = if after.is_empty() { after } else { after.strip_prefix(' ')? };
                (&rest[..open], Some(&rest[open + 1..close]), name_suffix)
            }
            None => (rest, None, ""),
        };
        let (schema, name) = match find_outside_quotes(head, '.') {
            Some(dot) => (Some(Cow::Borrowed(&head[..dot])), &head[dot + 1..]),
            None => (None, head),
        };
        Some(Parts {
            schema,
            name: Cow::Borrowed(name),
            modifiers,
            name_suffix,
            unsigned: unsigned || zerofill,
            zerofill,
            array_dimensions,
        })
    }

    fn base_name(&self) -> Cow<'a, str> {
        let qualified = match &self.schema {
            Some(schema) => Cow::Owned(format!("{schema}.{}", self.name)),
            None => self.name.clone(),
        };
        if self.name_suffix.is_empty() { qualified } else { Cow::Owned(format!("{qualified} {}", self.name_suffix)) }
    }

    fn number(&self, index: usize) -> Option<u32> {
        split_top_level(self.modifiers?).get(index)?.trim().parse().ok()
    }
}

impl fmt::Display for Parts<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(schema) = &self.schema {
            write!(f, "{schema}.")?;
        }
        f.write_str(&self.name)?;
        if let Some(modifiers) = self.modifiers {
            write!(f, "({modifiers})")?;
        }
        if !self.name_suffix.is_empty() {
            write!(f, " {}", self.name_suffix)?;
        }
        if self.unsigned && !self.zerofill {
            f.write_str(" unsigned")?;
        }
        if self.zerofill {
            // MySQL prints `unsigned zerofill` and reads `zerofill` alone as both
            f.write_str(" unsigned zerofill")?;
        }
        (0..self.array_dimensions).try_for_each(|_| f.write_str("[]"))
    }
}

fn strip_word(text: &mut &str, word: &str) -> bool {
    match text.strip_suffix(word) {
        Some(rest) if !rest.is_empty() => {
            *text = rest;
            true
        }
        _ => false,
    }
}

/// The byte offset of the first `wanted` outside quoted identifiers (`"..."`) and literals (`'...'`, with
/// MySQL's backslash escapes); doubled quotes are an escaped quote, which the scan reads as leaving and
/// re-entering the quotes.
fn find_outside_quotes(text: &str, wanted: char) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (offset, c) in text.char_indices() {
        match quote {
            Some('\'') if escaped => escaped = false,
            Some('\'') if c == '\\' => escaped = true,
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if c == wanted => return Some(offset),
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
    }
    None
}

/// The comma-separated items of a modifier list, commas inside quotes kept.
fn split_top_level(modifiers: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut rest = modifiers;
    while let Some(comma) = find_outside_quotes(rest, ',') {
        items.push(&rest[..comma]);
        rest = &rest[comma + 1..];
    }
    items.push(rest);
    items
}

/// An identifier as printed, unquoted: `"My ""Type"""` → `My "Type"`.
fn unquote(printed: &str) -> String {
    match printed.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => printed.to_string(),
    }
}

mod casts;
pub use casts::{Conversion, no_cast, postgres_conversion};

#[cfg(test)]
mod tests;
