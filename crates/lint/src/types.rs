//! What a PostgreSQL column type change does to the rows: whether values may not fit the new type
//! (narrowing) and whether the table is rewritten (the conversion is not binary-coercible).

use driftless_model::DataType;

/// How values may fail to fit a narrower type.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Narrowing {
    /// Strings longer than this many characters do not fit.
    Length(u32),
    /// Integers outside this range do not fit.
    Range(i64, i64),
    /// Numbers with more digits before the decimal point than this do not fit.
    Digits(u32),
    /// Values are rounded or converted in a way no simple count describes (scale or precision decrease,
    /// a cast between unrelated types).
    Lossy,
}

const BOUNDED_STRINGS: &[&str] = &["character varying", "character"];

fn integer_range(base: &str) -> Option<(i64, i64)> {
    match base {
        "smallint" => Some((i16::MIN as i64, i16::MAX as i64)),
        "integer" => Some((i32::MIN as i64, i32::MAX as i64)),
        "bigint" => Some((i64::MIN, i64::MAX)),
        _ => None,
    }
}

/// Digits before the decimal point a numeric type holds; `None` for unbounded.
fn integer_digits(data_type: &DataType) -> Option<u32> {
    match (data_type.base_name().as_ref(), data_type.length(), data_type.scale()) {
        ("smallint", ..) => Some(5),
        ("integer", ..) => Some(10),
        ("bigint", ..) => Some(19),
        ("numeric", Some(precision), scale) => Some(precision.saturating_sub(scale.unwrap_or(0))),
        _ => None,
    }
}

/// How a change from `from` to `to` may fail to fit existing values, `None` when every value fits.
/// `explicit_cast` is the diff's verdict that no assignment cast exists (a conversion between unrelated
/// types, which fails on values that do not parse).
pub(crate) fn narrowing(from: &DataType, to: &DataType, explicit_cast: bool) -> Option<Narrowing> {
    if from.is_array() != to.is_array() {
        return Some(Narrowing::Lossy);
    }
    let (from_base, to_base) = (from.base_name(), to.base_name());
    if BOUNDED_STRINGS.contains(&to_base.as_ref()) && from.is_postgres_string() {
        let length = to.length()?;
        let fits = BOUNDED_STRINGS.contains(&from_base.as_ref()) && from.length().is_some_and(|n| n <= length);
        return (!fits).then_some(Narrowing::Length(length));
    }
    if to.is_postgres_string() {
        return None;
    }
    if let Some((min, max)) = integer_range(&to_base) {
        let fits = integer_range(&from_base).is_some_and(|(from_min, from_max)| from_min >= min && from_max <= max);
        return match (fits, from_base.as_ref()) {
            (true, _) => None,
            (false, "numeric" | "real" | "double precision") | (false, "smallint" | "integer" | "bigint") => {
                Some(Narrowing::Range(min, max))
            }
            (false, _) if explicit_cast => Some(Narrowing::Lossy),
            (false, _) => None,
        };
    }
    if to_base == "numeric" && to.length().is_some() {
        let scale_shrinks =
            to.scale().unwrap_or(0) < if from_base == "numeric" { from.scale().unwrap_or(0) } else { 0 };
        let digits = integer_digits(to)?;
        let digits_shrink = integer_digits(from).is_none_or(|from_digits| from_digits > digits);
        return if digits_shrink {
            Some(Narrowing::Digits(digits))
        } else if scale_shrinks || from_base == "real" || from_base == "double precision" {
            Some(Narrowing::Lossy)
        } else {
            None
        };
    }
    explicit_cast.then_some(Narrowing::Lossy)
}

/// True when PostgreSQL rewrites the table (and rebuilds its indexes) to change the column's type: every
/// conversion except the binary-coercible ones (a longer or unbounded `varchar`, `varchar` to `text`, a
/// larger `numeric` precision with the same scale, a larger time precision, a longer `bit varying`).
pub(crate) fn rewrites_table(from: &DataType, to: &DataType) -> bool {
    if from.is_array() != to.is_array() {
        return true;
    }
    let widens = match (from.length(), to.length()) {
        (_, None) => true,
        (Some(old), Some(new)) => new >= old,
        (None, Some(_)) => false,
    };
    match (from.base_name().as_ref(), to.base_name().as_ref()) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => !widens,
        ("character varying", "text") => false,
        ("text", "character varying") => to.length().is_some(),
        ("numeric", "numeric") => {
            let same_scale = from.scale().unwrap_or(0) == to.scale().unwrap_or(0);
            !(to.length().is_none() || (same_scale && widens))
        }
        (old, new) if old == new && is_time(old) => !widens,
        _ => true,
    }
}

fn is_time(base: &str) -> bool {
    base.starts_with("timestamp") || base.starts_with("time ") || base == "interval"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowing_conversions() {
        for (from, to, explicit_cast, expected) in [
            ("character varying(255)", "character varying(100)", false, Some(Narrowing::Length(100))),
            ("character varying(100)", "character varying(255)", false, None),
            ("text", "character varying(20)", false, Some(Narrowing::Length(20))),
            ("character varying(20)", "text", false, None),
            ("bigint", "integer", false, Some(Narrowing::Range(i32::MIN as i64, i32::MAX as i64))),
            ("integer", "bigint", false, None),
            ("numeric", "integer", false, Some(Narrowing::Range(i32::MIN as i64, i32::MAX as i64))),
            ("numeric(12,2)", "numeric(8,2)", false, Some(Narrowing::Digits(6))),
            ("numeric(8,2)", "numeric(12,2)", false, None),
            ("numeric(8,3)", "numeric(12,2)", false, Some(Narrowing::Lossy)),
            ("integer", "numeric(5,0)", false, Some(Narrowing::Digits(5))),
            ("text", "integer", true, Some(Narrowing::Lossy)),
            ("integer", "text", false, None),
            ("json", "jsonb", false, None),
            ("text", "mood", true, Some(Narrowing::Lossy)),
        ] {
            assert_eq!(narrowing(&from.into(), &to.into(), explicit_cast), expected, "{from} -> {to}");
        }
    }

    #[test]
    fn rewrites() {
        for (from, to, expected) in [
            ("character varying(10)", "character varying(20)", false),
            ("character varying(20)", "character varying(10)", true),
            ("character varying(20)", "character varying", false),
            ("character varying(20)", "text", false),
            ("text", "character varying", false),
            ("numeric(10,2)", "numeric(12,2)", false),
            ("numeric(10,2)", "numeric(12,3)", true),
            ("numeric(10,2)", "numeric", false),
            ("timestamp(3) without time zone", "timestamp without time zone", false),
            ("timestamp without time zone", "timestamp with time zone", true),
            ("integer", "bigint", true),
            ("text", "integer", true),
        ] {
            assert_eq!(rewrites_table(&from.into(), &to.into()), expected, "{from} -> {to}");
        }
    }
}
