use super::*;
use proptest::prelude::*;

/// Every type the parser, the inspectors and the tests print today: `format_type` (PostgreSQL 15),
/// `COLUMN_TYPE` (MariaDB 10.11) and SQLite's declared types as the parser lowers them, and every column type
/// of the convergence corpus (testdata/convergence), which the inspectors read back equal.
const PRINTED: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "real",
    "double precision",
    "double precision[]",
    "numeric",
    "numeric(10,0)",
    "numeric(10,2)",
    "numeric(5,1)",
    "money",
    "text",
    "character varying",
    "character varying(4)",
    "character varying(255)",
    "character varying(10)[]",
    "character(1)",
    "character(5)",
    "character(3)[]",
    "bpchar",
    "\"char\"",
    "name",
    "citext",
    "bytea",
    "boolean",
    "date",
    "time with time zone",
    "time(2) without time zone",
    "timestamp without time zone",
    "timestamp with time zone",
    "timestamp(0) without time zone",
    "timestamp(3) with time zone",
    "interval",
    "interval(3)",
    "interval hour",
    "interval day to second",
    "interval day to second(3)",
    "interval year to month",
    "bit(1)",
    "bit(3)",
    "bit varying",
    "bit varying(5)",
    "uuid",
    "json",
    "jsonb",
    "xml",
    "inet",
    "oid",
    "regclass",
    "tsvector",
    "int4range",
    "integer[]",
    "geometry(Point,4326)",
    "mood",
    "mood[]",
    "app.mood",
    "app.status",
    "other.mood",
    "\"MyType\"",
    "\"Other\".mood",
    "app.\"Mood\"[]",
    "int(11)",
    "int(5)",
    "int(10) unsigned",
    "tinyint(1)",
    "tinyint(4)",
    "mediumint",
    "bigint(20)",
    "bigint(20) unsigned",
    "decimal(10,0)",
    "decimal(10,2)",
    "decimal(35,30)",
    "decimal(5,0) unsigned zerofill",
    "double",
    "float",
    "char(1)",
    "varchar(10)",
    "varchar(255)",
    "tinytext",
    "mediumtext",
    "longtext",
    "blob",
    "binary(16)",
    "varbinary(255)",
    "datetime",
    "datetime(3)",
    "timestamp",
    "time",
    "year(4)",
    "enum('a','b')",
    "enum('a','b''c')",
    "enum('back\\\\slash','it''s','tab\\there','Upper')",
    "set('x','y,z')",
    "",
    "app.state",
    "bit varying(16)",
    "bit(8)",
    "character varying(10)",
    "character varying(100)",
    "character varying(20)",
    "character varying(20)[]",
    "character varying(200)",
    "character varying(50)",
    "character(2)",
    "cidr",
    "enum('happy','sad')",
    "enum('happy','sad','ok')",
    "feeling",
    "feeling[]",
    "int(5) unsigned zerofill",
    "macaddr",
    "mediumint(9)",
    "numeric(12,2)",
    "numeric(12,4)",
    "numeric(5,0)",
    "numeric(8,3)",
    "order_state",
    "order_state[]",
    "order_status",
    "order_status[]",
    "point",
    "set('a','b','c')",
    "smallint(6)",
    "text[]",
    "time without time zone",
    "timestamp(3) without time zone",
    "timestamp(6) with time zone",
    "tinyint(3) unsigned",
    "varchar(100)",
    "varchar(20)",
    "varchar(200)",
    "varchar(40)",
    "varchar(5)",
    "varchar(50)",
];

#[test]
fn printed_types_split_along_the_grammar_and_print_back() {
    for &text in PRINTED {
        let parts = Parts::split(text).unwrap_or_else(|| panic!("{text:?} is outside the grammar"));
        assert_eq!(parts.to_string(), text);
        assert_eq!(DataType::from(text).to_string(), text);
    }
}

#[test]
fn accessors_read_the_parts() {
    let case = |text: &str| DataType::from(text);
    assert_eq!(case("character varying(10)[]").base_name(), "character varying");
    assert!(case("character varying(10)[]").is_array());
    assert_eq!(case("character varying(10)[]").length(), Some(10));
    assert_eq!(case("timestamp(3) with time zone").base_name(), "timestamp with time zone");
    assert_eq!(case("timestamp(3) with time zone").length(), Some(3));
    assert_eq!(case("interval day to second(3)").base_name(), "interval day to second");
    assert_eq!((case("numeric(10,2)").length(), case("numeric(10,2)").scale()), (Some(10), Some(2)));
    assert_eq!((case("numeric").length(), case("numeric").has_modifiers()), (None, false));
    assert_eq!(case("int(10) unsigned").base_name(), "int");
    assert!(case("int(10) unsigned").is_unsigned() && case("decimal(5,0) unsigned zerofill").is_unsigned());
    assert!(!case("int(11)").is_unsigned() && !case("int(10) unsigned").is_zerofill());
    assert!(case("decimal(5,0) unsigned zerofill").is_zerofill());
    assert!(case("character varying(20)[]").is_postgres_string() && case("citext").is_postgres_string());
    assert!(!case("app.text").is_postgres_string() && !case("integer").is_postgres_string());
    assert_eq!(case("app.mood[]").base_name(), "app.mood");
    assert_eq!(case("geometry(Point,4326)").length(), None);
    assert_eq!(
        case("enum('a,b','it''s','back\\\\slash')").members(),
        Some(vec!["a,b".to_string(), "it's".into(), "back\\slash".into()])
    );
    assert_eq!(case("varchar(5)").members(), None);
}

#[test]
fn user_types_are_the_ones_postgres_does_not_build_in() {
    let name = |schema: &str, name: &str| Some(QualifiedName::new(schema, name));
    for (text, expected) in [
        ("mood", name("public", "mood")),
        ("mood[]", name("public", "mood")),
        ("app.mood", name("app", "mood")),
        ("\"Other\".\"My \"\"Type\"\"\"[]", name("Other", "My \"Type\"")),
        ("geometry(Point,4326)", name("public", "geometry")),
        ("integer", None),
        ("character varying(3)[]", None),
        ("\"char\"", None),
        ("timestamp(3) with time zone", None),
    ] {
        assert_eq!(DataType::from(text).user_type("public"), expected, "{text}");
    }
}

#[test]
fn user_types_print_as_format_type_does() {
    let mood = QualifiedName::new("app", "Mood");
    assert_eq!(DataType::user_defined(&mood, "app", false), "\"Mood\"");
    assert_eq!(DataType::user_defined(&mood, "public", true), "app.\"Mood\"[]");
    let renamed = QualifiedName::new("public", "feeling");
    assert_eq!(DataType::from("app.\"Mood\"[]").with_user_type(&renamed, "public"), "feeling[]");
    assert_eq!(DataType::from("mood").with_user_type(&renamed, "app"), "public.feeling");
}

#[test]
fn text_outside_the_grammar_is_one_name() {
    for text in ["numeric(10)(2)", "int(10)unsigned", "varchar(10", "\"unclosed"] {
        let data_type = DataType::from(text);
        assert_eq!(data_type.to_string(), text);
        assert_eq!((data_type.base_name().as_ref(), data_type.length()), (text, None));
    }
}

#[test]
fn a_type_is_no_larger_than_the_string_it_was() {
    assert_eq!(size_of::<DataType>(), size_of::<CompactString>());
}

#[test]
fn serializes_as_the_printed_text() {
    let data_type = DataType::from("timestamp(3) with time zone");
    let json = serde_json::to_string(&data_type).unwrap();
    assert_eq!(json, "\"timestamp(3) with time zone\"");
    assert_eq!(serde_json::from_str::<DataType>(&json).unwrap(), data_type);
    assert_eq!(format!("{data_type:?}"), "\"timestamp(3) with time zone\"");
}

/// Identifiers as `format_type` prints them: plain, or quoted with doubled quotes.
fn identifier() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z_][a-z0-9_]{0,8}", "[A-Za-z .(),'\"\\[\\]]{1,8}".prop_map(|name| quote_ident(&name))]
}

fn modifiers() -> impl Strategy<Value = String> {
    let number = "[0-9]{1,4}";
    let literal = "[a-z ,()\\]\\[\"]{0,5}".prop_map(|value| crate::mysql::quote_literal(&value));
    prop_oneof![
        proptest::collection::vec(number, 1..3).prop_map(|numbers| numbers.join(",")),
        proptest::collection::vec(literal, 1..4).prop_map(|members| members.join(",")),
        "[A-Za-z]{1,6},[0-9]{1,4}",
    ]
}

prop_compose! {
    fn printed_type()(
        schema in proptest::option::of(identifier()),
        name in prop_oneof![identifier(), Just("character varying".to_string()), Just("timestamp".to_string())],
        modifiers in proptest::option::of(modifiers()),
        name_suffix in prop_oneof![Just(""), Just("with time zone"), Just("without time zone"), Just("to second")],
        attributes in prop_oneof![Just(""), Just(" unsigned"), Just(" unsigned zerofill")],
        array_dimensions in 0..3usize,
    ) -> (String, Option<String>, String, Option<String>, &'static str, &'static str, usize) {
        // words after the name are its own unless parentheses come between
        let name_suffix = if modifiers.is_some() { name_suffix } else { "" };
        let mut text = schema.as_ref().map(|schema| format!("{schema}.")).unwrap_or_default();
        text.push_str(&name);
        if let Some(modifiers) = &modifiers {
            text.push_str(&format!("({modifiers})"));
        }
        if !name_suffix.is_empty() {
            text.push_str(&format!(" {name_suffix}"));
        }
        text.push_str(attributes);
        text.push_str(&"[]".repeat(array_dimensions));
        (text, schema, name, modifiers, name_suffix, attributes, array_dimensions)
    }
}

proptest! {
    /// What the grammar prints splits into the parts it was printed from, and prints back byte for byte.
    #[test]
    fn the_grammar_round_trips(
        (text, schema, name, modifiers, name_suffix, attributes, array_dimensions) in printed_type()
    ) {
        let parts = Parts::split(&text).expect("in the grammar");
        prop_assert_eq!(parts.to_string(), text.as_str());
        prop_assert_eq!(parts.schema.as_deref(), schema.as_deref());
        prop_assert_eq!(parts.name.as_ref(), name.as_str());
        prop_assert_eq!(parts.modifiers, modifiers.as_deref());
        prop_assert_eq!(parts.name_suffix, name_suffix);
        prop_assert_eq!(parts.unsigned, !attributes.is_empty());
        prop_assert_eq!(usize::from(parts.array_dimensions), array_dimensions);
        prop_assert_eq!(DataType::from(text.as_str()).to_string(), text);
    }

    /// Any text at all prints back as it was.
    #[test]
    fn any_text_prints_back(text in ".{0,40}") {
        prop_assert_eq!(Parts::parse(&text).to_string(), text.as_str());
        prop_assert_eq!(DataType::from(text.as_str()).to_string(), text);
    }
}
