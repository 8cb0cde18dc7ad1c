//! What is particular to MySQL and MariaDB: table options, character sets and collations, `AUTO_INCREMENT`,
//! and which `ALTER TABLE`s copy the table.
//!
//! A MySQL schema is a database. Both sides of a diff carry every table's engine and collation in
//! [`TableOptions`], and a column's collation only when it differs from its table's; a character set is implied
//! by its collation (`latin1_swedish_ci` → `latin1`). [`resolve_inherited`] fills what the desired SQL leaves
//! to the database's defaults, which the parser cannot know.

use crate::{Change, ColumnChange, DataType, Database, Identity, SequenceOptions};
use serde::{Deserialize, Serialize};

/// The storage engine a table gets when none is named (`default_storage_engine`).
pub const DEFAULT_ENGINE: &str = "InnoDB";

/// A table's `ENGINE`, default collation (`DEFAULT CHARSET` follows from the collation) and row format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TableOptions {
    pub engine: String,
    /// Empty until resolved: the database's default collation applies.
    pub collation: String,
    /// `ROW_FORMAT` as declared, upper case (`DYNAMIC`); empty when not declared (the server's default).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub row_format: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioning: Option<Partitioning>,
}

impl TableOptions {
    /// `ENGINE=InnoDB COLLATE=utf8mb4_general_ci [ROW_FORMAT=DYNAMIC] [PARTITION BY ...]`.
    pub fn describe(&self) -> String {
        let row_format =
            if self.row_format.is_empty() { String::new() } else { format!(" ROW_FORMAT={}", self.row_format) };
        let partitioning = self.partitioning.as_ref().map(|p| format!(" {}", p.clause())).unwrap_or_default();
        format!("ENGINE={} COLLATE={}{row_format}{partitioning}", self.engine, self.collation)
    }
}

/// `PARTITION BY`, as `information_schema.PARTITIONS` shows it: the method (`RANGE COLUMNS`, `LINEAR HASH`,
/// ...) and expression (`` `from_date` ``, `` year(`d`) ``, empty for `KEY ()`) as the server prints them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partitioning {
    pub method: String,
    pub expression: String,
    pub partitions: Vec<Partition>,
    /// `SUBPARTITION BY`, as the server shows it: only read from a database (the parser refuses it), so that
    /// a difference is seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subpartitioning: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    pub name: String,
    /// `PARTITION_DESCRIPTION`: the bound of a RANGE partition (`1990`, `'1985-12-31'`, `MAXVALUE`,
    /// `1,'x'`) or the values of a LIST one (`NULL,3,1`, `(1,'a'),(2,'b')`); `None` for HASH and KEY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl Partitioning {
    /// `PARTITION BY RANGE COLUMNS(`d`) (PARTITION p1 VALUES LESS THAN ('2020-01-01'), ...)`.
    pub fn clause(&self) -> String {
        let partitions: Vec<String> = self
            .partitions
            .iter()
            .map(|partition| {
                let values = match &partition.values {
                    Some(values) if self.method.starts_with("RANGE") => format!(" VALUES LESS THAN ({values})"),
                    Some(values) => format!(" VALUES IN ({values})"),
                    None => String::new(),
                };
                let comment = if partition.comment.is_empty() {
                    String::new()
                } else {
                    format!(" COMMENT = {}", quote_literal(&partition.comment))
                };
                format!("PARTITION {}{values}{comment}", quote_ident(&partition.name))
            })
            .collect();
        let subpartitioning =
            self.subpartitioning.as_ref().map(|s| format!(" SUBPARTITION BY {s}")).unwrap_or_default();
        let head = format!("PARTITION BY {}({}){subpartitioning}", self.method, self.expression);
        // as the server names counted partitions, and as SHOW CREATE TABLE prints them
        let counted = self.partitions.iter().enumerate().all(|(n, partition)| {
            partition.name == format!("p{n}") && partition.values.is_none() && partition.comment.is_empty()
        });
        if counted {
            format!("{head} PARTITIONS {}", self.partitions.len())
        } else {
            format!("{head} ({})", partitions.join(", "))
        }
    }
}

/// Quotes an identifier with backquotes when it would not read back as itself unquoted: anything but
/// letters, digits, `_` and `$` not starting with a digit or `$` (which parsers read as a dollar quote), or a
/// reserved word of MySQL 8 or MariaDB.
pub fn quote_ident(name: &str) -> String {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    // compared without lowering a copy: this runs for every name of every statement rendered
    let reserved =
        || RESERVED.binary_search_by(|word| word.bytes().cmp(name.bytes().map(|b| b.to_ascii_lowercase()))).is_ok();
    if plain && !reserved() { name.to_string() } else { format!("`{}`", name.replace('`', "``")) }
}

/// A string literal as MySQL reads it with its default `sql_mode` (backslash escapes on; Driftless's apply
/// session turns `NO_BACKSLASH_ESCAPES` off, so this is how every statement it sends is read): quotes doubled
/// and [`escape_backslashes`], so the text reads back as exactly `value`.
pub fn quote_literal(value: &str) -> String {
    format!("'{}'", escape_backslashes(value).replace('\'', "''"))
}

/// `value` with backslashes and the control characters MySQL has escapes for escaped (so that a literal
/// holds no raw newline or NUL); quotes are left as they are.
pub fn escape_backslashes(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '\0' => escaped.push_str("\\0"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{8}' => escaped.push_str("\\b"),
            '\u{1a}' => escaped.push_str("\\Z"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The value of a string literal's body (the text between its quotes, as written) the way MySQL reads it
/// with backslash escapes on: `\0 \b \n \r \t \Z` are control characters, `\%` and `\_` keep their
/// backslash (they are LIKE escapes), any other escaped character stands for itself, and a doubled quote
/// is one quote.
pub fn literal_value(body: &str, quote: char) -> String {
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('0') => value.push('\0'),
                Some('b') => value.push('\u{8}'),
                Some('n') => value.push('\n'),
                Some('r') => value.push('\r'),
                Some('t') => value.push('\t'),
                Some('Z') => value.push('\u{1a}'),
                Some(wildcard @ ('%' | '_')) => {
                    value.push('\\');
                    value.push(wildcard);
                }
                Some(other) => value.push(other),
                None => value.push('\\'),
            },
            c if c == quote && chars.peek() == Some(&quote) => {
                chars.next();
                value.push(quote);
            }
            other => value.push(other),
        }
    }
    value
}

/// Reserved words of MySQL 8 and MariaDB 10.11, sorted for binary search.
const RESERVED: &[&str] = &[
    "accessible",
    "add",
    "all",
    "alter",
    "analyze",
    "and",
    "as",
    "asc",
    "asensitive",
    "before",
    "between",
    "bigint",
    "binary",
    "blob",
    "both",
    "by",
    "call",
    "cascade",
    "case",
    "change",
    "char",
    "character",
    "check",
    "collate",
    "column",
    "condition",
    "constraint",
    "continue",
    "convert",
    "create",
    "cross",
    "cube",
    "cume_dist",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "cursor",
    "database",
    "databases",
    "day_hour",
    "day_microsecond",
    "day_minute",
    "day_second",
    "dec",
    "decimal",
    "declare",
    "default",
    "delayed",
    "delete",
    "delete_domain_id",
    "dense_rank",
    "desc",
    "describe",
    "deterministic",
    "distinct",
    "distinctrow",
    "div",
    "do_domain_ids",
    "double",
    "drop",
    "dual",
    "each",
    "else",
    "elseif",
    "empty",
    "enclosed",
    "escaped",
    "except",
    "exists",
    "exit",
    "explain",
    "false",
    "fetch",
    "first_value",
    "float",
    "float4",
    "float8",
    "for",
    "force",
    "foreign",
    "from",
    "fulltext",
    "function",
    "general",
    "generated",
    "get",
    "grant",
    "group",
    "grouping",
    "groups",
    "having",
    "high_priority",
    "hour_microsecond",
    "hour_minute",
    "hour_second",
    "if",
    "ignore",
    "ignore_domain_ids",
    "ignore_server_ids",
    "in",
    "index",
    "infile",
    "inner",
    "inout",
    "insensitive",
    "insert",
    "int",
    "int1",
    "int2",
    "int3",
    "int4",
    "int8",
    "integer",
    "intersect",
    "interval",
    "into",
    "io_after_gtids",
    "io_before_gtids",
    "is",
    "iterate",
    "join",
    "json_table",
    "key",
    "keys",
    "kill",
    "lag",
    "last_value",
    "lateral",
    "lead",
    "leading",
    "leave",
    "left",
    "like",
    "limit",
    "linear",
    "lines",
    "load",
    "localtime",
    "localtimestamp",
    "lock",
    "long",
    "longblob",
    "longtext",
    "loop",
    "low_priority",
    "master_bind",
    "master_heartbeat_period",
    "master_ssl_verify_server_cert",
    "match",
    "maxvalue",
    "mediumblob",
    "mediumint",
    "mediumtext",
    "middleint",
    "minute_microsecond",
    "minute_second",
    "mod",
    "modifies",
    "natural",
    "no_write_to_binlog",
    "not",
    "nth_value",
    "ntile",
    "null",
    "numeric",
    "of",
    "offset",
    "on",
    "optimize",
    "optimizer_costs",
    "option",
    "optionally",
    "or",
    "order",
    "out",
    "outer",
    "outfile",
    "over",
    "page_checksum",
    "parse_vcol_expr",
    "partition",
    "percent_rank",
    "position",
    "precision",
    "primary",
    "procedure",
    "purge",
    "range",
    "rank",
    "read",
    "read_write",
    "reads",
    "real",
    "recursive",
    "ref_system_id",
    "references",
    "regexp",
    "release",
    "rename",
    "repeat",
    "replace",
    "require",
    "resignal",
    "restrict",
    "return",
    "returning",
    "revoke",
    "right",
    "rlike",
    "row",
    "row_number",
    "rows",
    "schema",
    "schemas",
    "second_microsecond",
    "select",
    "sensitive",
    "separator",
    "set",
    "show",
    "signal",
    "slow",
    "smallint",
    "spatial",
    "specific",
    "sql",
    "sql_big_result",
    "sql_calc_found_rows",
    "sql_small_result",
    "sqlexception",
    "sqlstate",
    "sqlwarning",
    "ssl",
    "starting",
    "stats_auto_recalc",
    "stats_persistent",
    "stats_sample_pages",
    "stored",
    "straight_join",
    "system",
    "table",
    "terminated",
    "then",
    "tinyblob",
    "tinyint",
    "tinytext",
    "to",
    "trailing",
    "trigger",
    "true",
    "undo",
    "union",
    "unique",
    "unlock",
    "unsigned",
    "update",
    "usage",
    "use",
    "using",
    "utc_date",
    "utc_time",
    "utc_timestamp",
    "values",
    "varbinary",
    "varchar",
    "varcharacter",
    "varying",
    "virtual",
    "when",
    "where",
    "while",
    "window",
    "with",
    "write",
    "xor",
    "year_month",
    "zerofill",
];

/// `AUTO_INCREMENT` as the model's identity: generated by default, with fixed options (MySQL's counter is not
/// a sequence and is not managed).
pub fn auto_increment() -> Identity {
    Identity { always: false, sequence: SequenceOptions::postgres_defaults("bigint", 1) }
}

/// The character set a collation belongs to: its name up to the first `_` (`utf8mb4_general_ci` → `utf8mb4`),
/// `binary` for `binary`.
pub fn charset_of(collation: &str) -> &str {
    collation.split('_').next().unwrap_or(collation)
}

/// The default collation of a character set in MariaDB 10.11: `<charset>_general_ci`, except for the ones below.
pub fn default_collation(charset: &str) -> String {
    match charset {
        "latin1" => "latin1_swedish_ci".into(),
        "binary" => "binary".into(),
        "utf8" => "utf8mb3_general_ci".into(),
        other => format!("{other}_general_ci"),
    }
}

/// Fills what a desired model leaves to the database: a table without a collation takes the database's
/// (`database_collation`), then a column whose collation equals its table's has none. Applied to the desired
/// model before it is diffed; inspected models are already in this form.
pub fn resolve_inherited(db: &mut Database, database_collation: &str) {
    for table in db.schemas.values_mut().flat_map(|schema| schema.tables.values_mut()) {
        let options =
            table.mysql.get_or_insert_with(|| TableOptions { engine: DEFAULT_ENGINE.into(), ..Default::default() });
        if options.collation.is_empty() {
            options.collation = database_collation.to_string();
        }
        let collation = options.collation.clone();
        for column in &mut table.columns {
            if column.collation.as_deref() == Some(collation.as_str()) {
                column.collation = None;
            }
        }
    }
}

/// Tables on both sides whose engine, default collation, row format or partitioning differ, described for an error: the diff does not
/// plan `ALTER TABLE ... ENGINE=`/`CONVERT TO CHARACTER SET` yet, and a difference it cannot plan must not
/// read as "in sync".
pub fn unplanned_option_changes(current: &Database, desired: &Database) -> Vec<String> {
    let mut changes = Vec::new();
    for (schema_name, schema) in &desired.schemas {
        for (name, table) in &schema.tables {
            let Some(existing) = current.schemas.get(schema_name).and_then(|s| s.tables.get(name)) else { continue };
            if let (Some(from), Some(to)) = (&existing.mysql, &table.mysql)
                && from != to
            {
                changes.push(format!("{}: {} → {}", table.name, from.describe(), to.describe()));
            }
        }
    }
    changes
}

/// True when MySQL (InnoDB) makes the change without copying the table: `INSTANT` or `INPLACE` algorithms.
/// Changes that rebuild it row by row under a lock that blocks writes (`ALGORITHM=COPY`): a column's type
/// changed to another type or a shorter length, a column's collation or character set, NULL to NOT NULL
/// and back on some versions, a primary key dropped without a new one in the same statement, and
/// `AUTO_INCREMENT` added. Indexes, foreign keys (with `foreign_key_checks` on, InnoDB adds them in place),
/// defaults, comments, renames and adding or dropping columns are in place.
pub fn copies_table(change: &Change) -> bool {
    match change {
        Change::AlterColumn { changes, .. } => changes.iter().any(|change| match change {
            ColumnChange::Type { from, to, .. } => !widens_in_place(from, to),
            ColumnChange::Collation { .. } | ColumnChange::AddIdentity { .. } => true,
            _ => false,
        }),
        Change::DropPrimaryKey { .. } => true,
        _ => false,
    }
}

/// A `varchar` that grows within the same length-byte class (≤ 255 bytes or > 255 bytes at 4 bytes per
/// character) is widened in place; `enum`/`set` members appended at the end are too.
fn widens_in_place(from: &DataType, to: &DataType) -> bool {
    let varchar_length = |data_type: &DataType| data_type.length().filter(|_| data_type.base_name() == "varchar");
    if let (Some(old), Some(new)) = (varchar_length(from), varchar_length(to)) {
        return new >= old && (old * 4 > 255) == (new * 4 > 255);
    }
    match (from.members(), to.members()) {
        (Some(old), Some(new)) if from.base_name() == to.base_name() => new.len() > old.len() && new.starts_with(&old),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builders::{column, not_null};
    use crate::{Column, QualifiedName, Table};

    fn alter(from: &str, to: &str) -> Change {
        Change::AlterColumn {
            table: QualifiedName::new("app", "t"),
            from: not_null(column("c", from)),
            to: not_null(column("c", to)),
            changes: vec![ColumnChange::Type { from: from.into(), to: to.into(), explicit_cast: false }],
        }
    }

    #[test]
    fn type_changes_copy_unless_they_widen_in_place() {
        for (from, to, copies) in [
            ("int(11)", "bigint(20)", true),
            ("varchar(10)", "varchar(20)", false),
            ("varchar(10)", "varchar(100)", true),
            ("varchar(100)", "varchar(200)", false),
            ("varchar(20)", "varchar(10)", true),
            ("enum('a','b')", "enum('a','b','c')", false),
            ("enum('a','b')", "enum('b','a')", true),
            ("enum('a','b')", "enum('a','bc')", true),
        ] {
            assert_eq!(copies_table(&alter(from, to)), copies, "{from} -> {to}");
        }
        assert!(!copies_table(&Change::DropIndex { table: QualifiedName::new("app", "t"), name: "i".into() }));
    }

    #[test]
    fn option_changes_of_kept_tables_are_reported() {
        let table = |engine: &str| {
            let mut db = Database::new(crate::Dialect::Mysql);
            let mut table = Table::new(QualifiedName::new("app", "t"));
            table.mysql = Some(TableOptions {
                engine: engine.into(),
                collation: "utf8mb4_general_ci".into(),
                ..Default::default()
            });
            db.schema_mut("app").tables.insert("t".into(), table);
            db
        };
        assert!(unplanned_option_changes(&table("InnoDB"), &table("InnoDB")).is_empty());
        assert_eq!(
            unplanned_option_changes(&table("InnoDB"), &table("MyISAM")),
            ["app.t: ENGINE=InnoDB COLLATE=utf8mb4_general_ci → ENGINE=MyISAM COLLATE=utf8mb4_general_ci"]
        );
        assert!(unplanned_option_changes(&Database::new(crate::Dialect::Mysql), &table("MyISAM")).is_empty());
    }

    #[test]
    fn inherited_collations_are_filled_then_columns_equal_to_them_cleared() {
        let mut db = Database::new(crate::Dialect::Mysql);
        let mut table = Table::new(QualifiedName::new("app", "t"));
        table.columns.push(Column {
            name: "a".into(),
            collation: Some("utf8mb4_general_ci".into()),
            ..Default::default()
        });
        table.columns.push(Column { name: "b".into(), collation: Some("utf8mb4_bin".into()), ..Default::default() });
        db.schema_mut("app").tables.insert("t".into(), table);
        resolve_inherited(&mut db, "utf8mb4_general_ci");
        let table = db.table(&QualifiedName::new("app", "t")).unwrap();
        assert_eq!(table.mysql.as_ref().unwrap().collation, "utf8mb4_general_ci");
        assert_eq!(table.mysql.as_ref().unwrap().engine, "InnoDB");
        assert_eq!(table.columns[0].collation, None);
        assert_eq!(table.columns[1].collation.as_deref(), Some("utf8mb4_bin"));
        assert_eq!(charset_of("latin1_swedish_ci"), "latin1");
        assert_eq!(quote_ident("users"), "users");
        assert_eq!(quote_ident("key"), "`key`");
        assert_eq!(quote_ident("Order"), "`Order`");
        assert_eq!(quote_ident("a b"), "`a b`");
        assert_eq!(quote_ident("$$"), "`$$`");
        assert_eq!(quote_literal("it's a \\ path"), "'it''s a \\\\ path'");
        assert_eq!(quote_literal("a\tb\nc\0"), "'a\\tb\\nc\\0'");
        assert_eq!(default_collation("latin1"), "latin1_swedish_ci");
    }

    #[test]
    fn literals_read_back_as_their_value() {
        assert_eq!(literal_value(r"C:\\temp\\new", '\''), r"C:\temp\new");
        assert_eq!(literal_value(r"C:\temp", '\''), "C:\temp");
        assert_eq!(literal_value(r"it''s it\'s", '\''), "it's it's");
        assert_eq!(literal_value(r"50\% \_ \a \f", '\''), r"50\% \_ a f");
        for value in
            ["x\\", "') ; drop table canary; -- ", "a\tb\r\n\u{0}\u{1a}\u{8}", "back\\slash", "50\\%", "é ☃ $$"]
        {
            let quoted = quote_literal(value);
            let body = &quoted[1..quoted.len() - 1];
            assert_eq!(literal_value(body, '\''), value, "{quoted}");
            assert!(!quoted.contains(['\n', '\r', '\0']), "{quoted}");
        }
    }
}
