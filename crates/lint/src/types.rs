//! What a PostgreSQL column type change does to the rows: whether values may not fit the new type
//! (narrowing) and whether the table is rewritten (the conversion is not binary-coercible).

/// A type as the model prints it, split into base name, modifiers and array-ness:
/// `character varying(10)[]` → (`character varying`, [10], true).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Shape {
    pub base: String,
    pub modifiers: Vec<u32>,
    pub array: bool,
}

pub(crate) fn shape(data_type: &str) -> Shape {
    let (element, array) = match data_type.strip_suffix("[]") {
        Some(element) => (element, true),
        None => (data_type, false),
    };
    let mut base = String::new();
    let mut inside = String::new();
    let mut depth = 0usize;
    for c in element.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => base.push(c),
            _ => inside.push(c),
        }
    }
    let modifiers = inside.split(',').filter_map(|m| m.trim().parse().ok()).collect();
    Shape { base: base.split_whitespace().collect::<Vec<_>>().join(" "), modifiers, array }
}

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

const STRINGS: &[&str] = &["text", "character varying", "character", "bpchar", "citext"];
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
fn integer_digits(shape: &Shape) -> Option<u32> {
    match (shape.base.as_str(), shape.modifiers.as_slice()) {
        ("smallint", _) => Some(5),
        ("integer", _) => Some(10),
        ("bigint", _) => Some(19),
        ("numeric", [precision]) => Some(*precision),
        ("numeric", [precision, scale]) => Some(precision.saturating_sub(*scale)),
        _ => None,
    }
}

/// How a change from `from` to `to` may fail to fit existing values, `None` when every value fits.
/// `explicit_cast` is the diff's verdict that no assignment cast exists (a conversion between unrelated
/// types, which fails on values that do not parse).
pub(crate) fn narrowing(from: &str, to: &str, explicit_cast: bool) -> Option<Narrowing> {
    let (from, to) = (shape(from), shape(to));
    if from.array != to.array {
        return Some(Narrowing::Lossy);
    }
    if BOUNDED_STRINGS.contains(&to.base.as_str()) && STRINGS.contains(&from.base.as_str()) {
        let &[length] = to.modifiers.as_slice() else { return None };
        let fits =
            BOUNDED_STRINGS.contains(&from.base.as_str()) && from.modifiers.first().is_some_and(|&n| n <= length);
        return (!fits).then_some(Narrowing::Length(length));
    }
    if STRINGS.contains(&to.base.as_str()) {
        return None;
    }
    if let Some((min, max)) = integer_range(&to.base) {
        let fits = integer_range(&from.base).is_some_and(|(from_min, from_max)| from_min >= min && from_max <= max);
        return match (fits, from.base.as_str()) {
            (true, _) => None,
            (false, "numeric" | "real" | "double precision") | (false, "smallint" | "integer" | "bigint") => {
                Some(Narrowing::Range(min, max))
            }
            (false, _) if explicit_cast => Some(Narrowing::Lossy),
            (false, _) => None,
        };
    }
    if to.base == "numeric" && !to.modifiers.is_empty() {
        let scale_shrinks = to.modifiers.get(1).copied().unwrap_or(0)
            < if from.base == "numeric" { from.modifiers.get(1).copied().unwrap_or(0) } else { 0 };
        let digits = integer_digits(&to)?;
        let digits_shrink = integer_digits(&from).is_none_or(|from_digits| from_digits > digits);
        return if digits_shrink {
            Some(Narrowing::Digits(digits))
        } else if scale_shrinks || from.base == "real" || from.base == "double precision" {
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
pub(crate) fn rewrites_table(from: &str, to: &str) -> bool {
    let (from, to) = (shape(from), shape(to));
    if from.array != to.array {
        return true;
    }
    let widens = |from: &[u32], to: &[u32]| match (from.first(), to.first()) {
        (_, None) => true,
        (Some(old), Some(new)) => new >= old,
        (None, Some(_)) => false,
    };
    match (from.base.as_str(), to.base.as_str()) {
        ("character varying", "character varying") | ("bit varying", "bit varying") => {
            !widens(&from.modifiers, &to.modifiers)
        }
        ("character varying", "text") => false,
        ("text", "character varying") => !to.modifiers.is_empty(),
        ("numeric", "numeric") => {
            let same_scale = from.modifiers.get(1).copied().unwrap_or(0) == to.modifiers.get(1).copied().unwrap_or(0);
            !(to.modifiers.is_empty() || (same_scale && widens(&from.modifiers, &to.modifiers)))
        }
        (old, new) if old == new && is_time(old) => !widens(&from.modifiers, &to.modifiers),
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
    fn shapes() {
        assert_eq!(
            shape("character varying(10)[]"),
            Shape { base: "character varying".into(), modifiers: vec![10], array: true }
        );
        assert_eq!(shape("numeric(10,2)").modifiers, [10, 2]);
        assert_eq!(shape("timestamp(3) with time zone").base, "timestamp with time zone");
    }

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
            assert_eq!(narrowing(from, to, explicit_cast), expected, "{from} -> {to}");
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
            assert_eq!(rewrites_table(from, to), expected, "{from} -> {to}");
        }
    }
}
