//! The names PostgreSQL chooses for unnamed constraints, indexes and sequences (`makeObjectName`,
//! `ChooseRelationName`, `ChooseConstraintName`, `ChooseIndexColumnNames` in PostgreSQL's source).

use crate::ident::{MAX_IDENTIFIER_BYTES, truncate};
pub use driftless_model::identifier::make_object_name;

/// The first of `name1_name2_label`, `..._label1`, `..._label2`, ... that is not taken.
pub fn choose_name(name1: &str, name2: Option<&str>, label: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = make_object_name(name1, name2, label);
    let mut pass = 0;
    while taken(&candidate) {
        pass += 1;
        candidate = make_object_name(name1, name2, &format!("{label}{pass}"));
    }
    candidate
}

/// Column names joined with `_`, stopping once the result reaches 63 bytes (`ChooseIndexNameAddition`,
/// `ChooseForeignKeyConstraintNameAddition`); `None` when there are none.
pub fn name_addition(names: &[impl AsRef<str>]) -> Option<String> {
    let mut addition = String::new();
    for name in names {
        if !addition.is_empty() {
            addition.push('_');
        }
        addition.push_str(truncate(name.as_ref(), MAX_IDENTIFIER_BYTES));
        if addition.len() >= MAX_IDENTIFIER_BYTES {
            break;
        }
    }
    (!addition.is_empty()).then_some(addition)
}

/// The per-key names an index name is built from: a column's name, the name PostgreSQL derives for an
/// expression (`lower(email)` → `lower`) or `expr`; repeated names get a number (`ChooseIndexColumnNames`).
pub fn index_column_names(key_names: &[Option<String>]) -> Vec<String> {
    let mut result: Vec<String> = Vec::with_capacity(key_names.len());
    for key_name in key_names {
        let original = key_name.as_deref().unwrap_or("expr");
        let mut current = original.to_string();
        let mut pass = 0;
        while result.contains(&current) {
            pass += 1;
            let suffix = pass.to_string();
            current = format!("{}{suffix}", truncate(original, MAX_IDENTIFIER_BYTES - suffix.len()));
        }
        result.push(current);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_joined() {
        assert_eq!(make_object_name("users", None, "pkey"), "users_pkey");
        assert_eq!(make_object_name("users", Some("email"), "key"), "users_email_key");
    }

    /// Names PostgreSQL 15 chose for a 63-byte table and column name.
    #[test]
    fn long_names_are_shortened_like_postgres() {
        let table = "a_very_long_table_name_that_goes_on_and_on_and_on_and_on_foreve";
        let column = "a_very_long_column_name_that_also_goes_on_and_on_forever";
        assert_eq!(
            make_object_name(table, None, "pkey"),
            "a_very_long_table_name_that_goes_on_and_on_and_on_and_on_f_pkey"
        );
        assert_eq!(
            make_object_name(table, Some(column), "key"),
            "a_very_long_table_name_that_g_a_very_long_column_name_that__key"
        );
        assert_eq!(
            make_object_name(table, Some(column), "check"),
            "a_very_long_table_name_that__a_very_long_column_name_that_check"
        );
        assert_eq!(
            make_object_name(table, Some("id"), "seq"),
            "a_very_long_table_name_that_goes_on_and_on_and_on_and_on_id_seq"
        );
    }

    #[test]
    fn taken_names_get_a_number_on_the_label() {
        let taken = ["nm_b_c_key".to_string()];
        assert_eq!(choose_name("nm", Some("b_c"), "key", |n| taken.contains(&n.to_string())), "nm_b_c_key1");
    }

    #[test]
    fn repeated_index_column_names_are_numbered() {
        let names = index_column_names(&[None, Some("lower".into()), None, Some("lower".into())]);
        assert_eq!(names, vec!["expr", "lower", "expr1", "lower1"]);
        assert_eq!(name_addition(&names).unwrap(), "expr_lower_expr1_lower1");
    }
}
