//! Type names as PostgreSQL's `format_type` prints them.

use crate::ident::{fold_parts, quote_if_needed};
use sqlparser::ast::{
    ArrayElemTypeDef, CharacterLength, DataType, ExactNumberInfo, ObjectName, TimezoneInfo, TypeModifier,
};

/// A column's declared type, normalized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnType {
    /// The `format_type` spelling; for `serial` types, the integer type behind them.
    pub name: String,
    /// `serial`, `bigserial` or `smallserial` (and their `serialN` spellings) was written.
    pub serial: bool,
}

/// The `format_type` spelling of a type; user types unqualified when they live in `default_schema`.
pub fn format_type(data_type: &DataType, default_schema: &str) -> ColumnType {
    match data_type {
        DataType::Array(
            ArrayElemTypeDef::SquareBracket(element, _)
            | ArrayElemTypeDef::Qualified(element, _)
            | ArrayElemTypeDef::AngleBracket(element)
            | ArrayElemTypeDef::Parenthesis(element),
        ) => {
            // PostgreSQL has one array type per element type, whatever the declared dimensions.
            let mut element = element.as_ref();
            while let DataType::Array(
                ArrayElemTypeDef::SquareBracket(inner, _) | ArrayElemTypeDef::Qualified(inner, _),
            ) = element
            {
                element = inner;
            }
            let element = format_type(element, default_schema);
            ColumnType { name: format!("{}[]", element.name), serial: false }
        }
        DataType::Custom(name, modifiers) => custom_type(name, modifiers, default_schema),
        other => ColumnType { name: builtin_type(other), serial: false },
    }
}

fn builtin_type(data_type: &DataType) -> String {
    match data_type {
        DataType::SmallInt(_) | DataType::Int2(_) => "smallint".into(),
        DataType::Int(_) | DataType::Int4(_) | DataType::Integer(_) => "integer".into(),
        DataType::BigInt(_) | DataType::Int8(_) => "bigint".into(),
        DataType::Real | DataType::Float4 => "real".into(),
        DataType::Float8 | DataType::DoublePrecision | DataType::Double(_) => "double precision".into(),
        DataType::Float(ExactNumberInfo::Precision(p)) if *p <= 24 => "real".into(),
        DataType::Float(_) => "double precision".into(),
        DataType::Numeric(info) | DataType::Decimal(info) | DataType::Dec(info) => numeric(info),
        DataType::Character(length) | DataType::Char(length) => {
            format!("character({})", character_length(length.as_ref()).unwrap_or(1))
        }
        DataType::CharacterVarying(length)
        | DataType::CharVarying(length)
        | DataType::Varchar(length)
        | DataType::Nvarchar(length) => with_length("character varying", character_length(length.as_ref())),
        DataType::Text => "text".into(),
        DataType::Bool | DataType::Boolean => "boolean".into(),
        DataType::Date => "date".into(),
        DataType::Time(precision, zone) => date_time("time", *precision, zone),
        DataType::Timestamp(precision, zone) => date_time("timestamp", *precision, zone),
        DataType::Interval { fields, precision } => {
            let mut name = "interval".to_string();
            if let Some(fields) = fields {
                name.push(' ');
                name.push_str(&fields.to_string().to_lowercase());
            }
            with_length(&name, *precision)
        }
        DataType::Bit(length) => format!("bit({})", length.unwrap_or(1)),
        DataType::BitVarying(length) | DataType::VarBit(length) => with_length("bit varying", *length),
        DataType::JSON => "json".into(),
        DataType::JSONB => "jsonb".into(),
        DataType::Uuid => "uuid".into(),
        DataType::Bytea => "bytea".into(),
        DataType::Regclass => "regclass".into(),
        DataType::TsVector => "tsvector".into(),
        DataType::TsQuery => "tsquery".into(),
        DataType::Trigger => "trigger".into(),
        // Types PostgreSQL does not have keep their spelling; the database rejects them when applied.
        other => other.to_string().to_lowercase(),
    }
}

/// Types sqlparser does not know by keyword: PostgreSQL's catalog names and aliases, and user types.
fn custom_type(name: &ObjectName, modifiers: &[TypeModifier], default_schema: &str) -> ColumnType {
    let parts = fold_parts(name);
    let (schema, type_name) = match parts.as_slice() {
        [type_name] => (None, type_name.as_str()),
        [.., schema, type_name] => (Some(schema.as_str()), type_name.as_str()),
        [] => (None, ""),
    };
    let builtin_schema = matches!(schema, None | Some("pg_catalog"));
    let numbers: Vec<u64> = modifiers
        .iter()
        .filter_map(|m| match m {
            TypeModifier::Number(n, _) => n.parse().ok(),
            _ => None,
        })
        .collect();
    let first = numbers.first().copied();
    let serial = |name: &str| ColumnType { name: name.into(), serial: true };
    let plain = |name: String| ColumnType { name, serial: false };
    if builtin_schema {
        match type_name {
            "serial" | "serial4" => return serial("integer"),
            "bigserial" | "serial8" => return serial("bigint"),
            "smallserial" | "serial2" => return serial("smallint"),
            "int2" => return plain("smallint".into()),
            "int4" | "int" | "integer" => return plain("integer".into()),
            "int8" => return plain("bigint".into()),
            "float4" => return plain("real".into()),
            "float8" => return plain("double precision".into()),
            "bool" => return plain("boolean".into()),
            "varchar" => return plain(with_length("character varying", first)),
            "bpchar" if first.is_some() => return plain(with_length("character", first)),
            "varbit" => return plain(with_length("bit varying", first)),
            "bit" => return plain(format!("bit({})", first.unwrap_or(1))),
            "numeric" | "decimal" => {
                return plain(numeric(&match numbers.as_slice() {
                    [p, s, ..] => ExactNumberInfo::PrecisionAndScale(*p, *s as i64),
                    [p] => ExactNumberInfo::Precision(*p),
                    [] => ExactNumberInfo::None,
                }));
            }
            "timestamp" => return plain(date_time("timestamp", first, &TimezoneInfo::None)),
            "timestamptz" => return plain(date_time("timestamp", first, &TimezoneInfo::Tz)),
            "time" => return plain(date_time("time", first, &TimezoneInfo::None)),
            "timetz" => return plain(date_time("time", first, &TimezoneInfo::Tz)),
            _ => {}
        }
    }
    let mut printed = match schema {
        Some(schema) if schema != default_schema && schema != "pg_catalog" => {
            format!("{}.{}", quote_if_needed(schema), quote_if_needed(type_name))
        }
        _ => quote_if_needed(type_name).into_owned(),
    };
    if !modifiers.is_empty() {
        let modifiers: Vec<String> = modifiers.iter().map(modifier_text).collect();
        printed.push_str(&format!("({})", modifiers.join(",")));
    }
    plain(printed)
}

/// A type modifier as written; a quoted identifier with its quotes doubled (sqlparser prints them single).
fn modifier_text(modifier: &TypeModifier) -> String {
    match modifier {
        TypeModifier::Identifier(ident) if ident.quote_style == Some('"') => {
            format!("\"{}\"", ident.value.replace('"', "\"\""))
        }
        other => other.to_string(),
    }
}

/// The catalog name of a type (`integer` → `int4`), which is what a cast contributes to a derived name.
pub fn catalog_type_name(data_type: &driftless_model::DataType) -> String {
    let base = data_type.base_name();
    let name = match base.as_ref() {
        "integer" => "int4",
        "bigint" => "int8",
        "smallint" => "int2",
        "boolean" => "bool",
        "double precision" => "float8",
        "real" => "float4",
        "character varying" => "varchar",
        "character" => "bpchar",
        "bit varying" => "varbit",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time with time zone" => "timetz",
        "time without time zone" => "time",
        interval if interval.starts_with("interval") => "interval",
        // the schema of a user type is not part of the name
        other => return data_type.user_type("").map_or_else(|| other.trim_matches('"').to_string(), |user| user.name),
    };
    name.to_string()
}

fn numeric(info: &ExactNumberInfo) -> String {
    match info {
        ExactNumberInfo::None => "numeric".into(),
        ExactNumberInfo::Precision(p) => format!("numeric({p},0)"),
        ExactNumberInfo::PrecisionAndScale(p, s) => format!("numeric({p},{s})"),
    }
}

fn character_length(length: Option<&CharacterLength>) -> Option<u64> {
    match length {
        Some(CharacterLength::IntegerLength { length, .. }) => Some(*length),
        _ => None,
    }
}

fn with_length(name: &str, length: Option<u64>) -> String {
    match length {
        Some(length) => format!("{name}({length})"),
        None => name.to_string(),
    }
}

fn date_time(name: &str, precision: Option<u64>, zone: &TimezoneInfo) -> String {
    let zone = match zone {
        TimezoneInfo::WithTimeZone | TimezoneInfo::Tz => "with time zone",
        TimezoneInfo::None | TimezoneInfo::WithoutTimeZone => "without time zone",
    };
    format!("{} {zone}", with_length(name, precision))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn normalized(sql: &str) -> ColumnType {
        let data_type = Parser::new(&PostgreSqlDialect {}).try_with_sql(sql).unwrap().parse_data_type().unwrap();
        format_type(&data_type, "public")
    }

    /// Pairs of a declared type and what PostgreSQL 15's `format_type` printed for it.
    const FORMAT_TYPE: &[(&str, &str)] = &[
        ("int", "integer"),
        ("int4", "integer"),
        ("integer", "integer"),
        ("int8", "bigint"),
        ("int2", "smallint"),
        ("smallint", "smallint"),
        ("timestamptz", "timestamp with time zone"),
        ("float(10)", "real"),
        ("float(30)", "double precision"),
        ("float", "double precision"),
        ("float4", "real"),
        ("float8", "double precision"),
        ("real", "real"),
        ("double precision", "double precision"),
        ("\"MyType\"", "\"MyType\""),
        ("public.mood", "mood"),
        ("pg_catalog.int4", "integer"),
        ("other.mood", "other.mood"),
        ("\"Other\".mood", "\"Other\".mood"),
        ("varchar(10)[]", "character varying(10)[]"),
        ("int[][]", "integer[]"),
        ("int array", "integer[]"),
        ("character varying", "character varying"),
        ("varchar", "character varying"),
        ("timestamp(3) with time zone", "timestamp(3) with time zone"),
        ("time with time zone", "time with time zone"),
        ("timetz", "time with time zone"),
        ("time(2)", "time(2) without time zone"),
        ("timestamp(0)", "timestamp(0) without time zone"),
        ("timestamp without time zone", "timestamp without time zone"),
        ("\"timestamp\"", "timestamp without time zone"),
        ("varbit(5)", "bit varying(5)"),
        ("bit varying", "bit varying"),
        ("bit", "bit(1)"),
        ("bit(3)", "bit(3)"),
        ("numeric(10)", "numeric(10,0)"),
        ("numeric(10,2)", "numeric(10,2)"),
        ("decimal", "numeric"),
        ("decimal(5,1)", "numeric(5,1)"),
        ("bool", "boolean"),
        ("jsonb", "jsonb"),
        ("inet", "inet"),
        ("tsvector", "tsvector"),
        ("interval", "interval"),
        ("interval(3)", "interval(3)"),
        ("interval hour", "interval hour"),
        ("interval day to second", "interval day to second"),
        ("interval year to month", "interval year to month"),
        ("char", "character(1)"),
        ("character(5)", "character(5)"),
        ("char(3)[]", "character(3)[]"),
        ("bpchar", "bpchar"),
        ("name", "name"),
        ("\"char\"", "\"char\""),
        ("\"varchar\"(4)", "character varying(4)"),
        ("money", "money"),
        ("xml", "xml"),
        ("citext", "citext"),
        ("public.citext", "citext"),
        ("bytea", "bytea"),
        ("uuid", "uuid"),
        ("date", "date"),
        ("oid", "oid"),
        ("regclass", "regclass"),
        ("int4range", "int4range"),
        ("double precision[]", "double precision[]"),
        ("geometry(Point,4326)", "geometry(Point,4326)"),
    ];

    #[test]
    fn types_print_like_format_type() {
        for (declared, printed) in FORMAT_TYPE {
            assert_eq!(normalized(declared).name, *printed, "{declared}");
        }
    }

    #[test]
    fn serial_types_are_their_integer_types() {
        for (declared, printed) in [
            ("serial", "integer"),
            ("serial4", "integer"),
            ("bigserial", "bigint"),
            ("serial8", "bigint"),
            ("smallserial", "smallint"),
        ] {
            assert_eq!(normalized(declared), ColumnType { name: printed.into(), serial: true });
        }
    }
}
