//! Which PostgreSQL built-in types convert to which: a static copy of the explicit casts in `pg_cast` for the
//! common types, so a type change with no cast (`timestamp` to `double precision`, `integer` to `uuid`) is
//! converted through a type that has one rather than failing the apply. It errs towards castable: only
//! pairs of well-known built-in types, neither of them a string type (every type converts to and from text
//! through its I/O functions), are ever judged to have no cast.

use super::DataType;

const NUMBERS: &[&str] = &["smallint", "integer", "bigint", "numeric", "real", "double precision", "money"];
const INTEGERS: &[&str] = &["smallint", "integer", "bigint"];
const DATES: &[&str] = &["date", "timestamp without time zone", "timestamp with time zone"];
const TIMES: &[&str] = &["time without time zone", "time with time zone", "interval"];
const GEOMETRY: &[&str] = &["point", "line", "lseg", "box", "path", "polygon", "circle"];

/// Built-in types whose casts the rules below do not describe (internal string types, catalog types): never
/// judged impossible, like the user-defined ones.
const UNDESCRIBED: &[&str] = &["\"char\"", "name", "jsonpath", "oid", "regclass", "regtype", "regproc"];

/// How a PostgreSQL `USING` clause converts a column's values from one type to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `column::to`: a cast exists (or is assumed to, for types the table does not describe).
    Cast,
    /// `column::via::to`: no cast exists, but `via` casts from one and to the other. `text` reaches every
    /// type through its I/O functions, so that conversion fails on a value whose text the new type does
    /// not read (`true` as a date), and succeeds on a table without values.
    Through(&'static str),
}

/// How a column of type `from` converts to `to` on PostgreSQL (arrays: between their elements).
pub fn postgres_conversion(from: &DataType, to: &DataType) -> Conversion {
    // every type reads its text form
    if from.is_postgres_string() {
        return Conversion::Cast;
    }
    // a user-defined type (an enum, say) has no cast to or from another type, but every type has a text form
    if !from.is_postgres_builtin() || !to.is_postgres_builtin() {
        return Conversion::Through("text");
    }
    if !no_cast(from, to) {
        return Conversion::Cast;
    }
    // only `integer` casts to and from `boolean`; through text, `1` would read but `2` and `true` would not
    let integer_and_boolean =
        |a: &DataType, b: &DataType| INTEGERS.contains(&a.base_name().as_ref()) && b.base_name() == "boolean";
    if integer_and_boolean(from, to) || integer_and_boolean(to, from) {
        Conversion::Through("integer")
    } else {
        Conversion::Through("text")
    }
}

/// True when PostgreSQL has no cast, not even an explicit one, from `from` to `to` (arrays: between their
/// elements). Unknown and user-defined types are never judged to have none.
pub fn no_cast(from: &DataType, to: &DataType) -> bool {
    let described = |data_type: &DataType| {
        data_type.is_postgres_builtin()
            && !data_type.is_postgres_string()
            && !UNDESCRIBED.contains(&data_type.base_name().as_ref())
    };
    if from.is_array() != to.is_array() || !described(from) || !described(to) {
        return false;
    }
    let (from, to) = (from.base_name(), to.base_name());
    let (from, to) = (from.as_ref(), to.as_ref());
    if from == to {
        return false;
    }
    let both_in = |group: &[&str]| group.contains(&from) && group.contains(&to);
    let one_way = |sources: &[&str], targets: &[&str]| sources.contains(&from) && targets.contains(&to);
    let either_way = |a: &[&str], b: &[&str]| one_way(a, b) || one_way(b, a);
    let castable = both_in(NUMBERS)
        || both_in(DATES)
        || both_in(TIMES)
        || both_in(GEOMETRY)
        || both_in(&["json", "jsonb"])
        || both_in(&["inet", "cidr"])
        || both_in(&["macaddr", "macaddr8"])
        || both_in(&["bit", "bit varying"])
        // timestamp → time, timestamptz → timetz
        || one_way(DATES, TIMES)
        || either_way(&["integer"], &["boolean"])
        || either_way(INTEGERS, &["bit", "bit varying"])
        // jsonb → boolean and numbers (PostgreSQL 11)
        || one_way(&["json", "jsonb"], &["boolean", "smallint", "integer", "bigint", "numeric", "real", "double precision"]);
    !castable
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_without_a_cast_are_the_ones_postgres_refuses() {
        for (from, to) in [
            ("timestamp without time zone", "double precision"),
            ("integer", "uuid"),
            ("uuid", "integer"),
            ("boolean", "date"),
            ("bytea", "integer"),
            ("integer[]", "uuid[]"),
            ("inet", "macaddr"),
            ("date", "integer"),
            ("jsonb", "uuid"),
            ("bigint", "boolean"),
            ("boolean", "smallint"),
        ] {
            assert!(no_cast(&from.into(), &to.into()), "{from} -> {to}");
        }
        for (from, to) in [
            ("integer", "bigint"),
            ("bigint", "numeric(10,2)"),
            ("double precision", "integer"),
            ("integer", "boolean"),
            ("boolean", "integer"),
            ("text", "uuid"),
            ("uuid", "text"),
            ("integer", "character varying(10)"),
            ("character varying(10)", "integer"),
            ("timestamp without time zone", "date"),
            ("timestamp with time zone", "time without time zone"),
            ("json", "jsonb"),
            ("jsonb", "integer"),
            ("inet", "cidr"),
            ("integer", "integer[]"),
            ("integer", "mood"),
            ("mood", "integer"),
            ("character varying(10)", "character varying(20)"),
            ("numeric(10,2)", "numeric(12,2)"),
        ] {
            assert!(!no_cast(&from.into(), &to.into()), "{from} -> {to}");
        }
    }

    #[test]
    fn a_conversion_goes_through_a_type_with_casts_both_ways() {
        for (from, to, expected) in [
            ("integer", "bigint", Conversion::Cast),
            ("integer", "boolean", Conversion::Cast),
            ("bigint", "boolean", Conversion::Through("integer")),
            ("boolean", "smallint", Conversion::Through("integer")),
            ("integer", "date", Conversion::Through("text")),
            ("boolean[]", "date[]", Conversion::Through("text")),
            ("mood", "integer", Conversion::Through("text")),
            ("text", "mood", Conversion::Cast),
            ("integer", "mood", Conversion::Through("text")),
            ("character varying(10)[]", "integer[]", Conversion::Cast),
        ] {
            assert_eq!(postgres_conversion(&from.into(), &to.into()), expected, "{from} -> {to}");
        }
    }
}
