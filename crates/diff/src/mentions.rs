//! The textual dependency heuristic. Without the catalog's dependency records (the desired side has none),
//! an object is taken to depend on a name when its canonical SQL mentions that name as a whole identifier.
//! This over-approximates (a string literal or an unrelated column of the same name also counts), which only
//! costs an unnecessary drop and re-create; it never misses a dependency spelled out in the SQL.

/// True when `name` occurs in `sql` delimited by characters that cannot continue an identifier.
pub(crate) fn mentions(sql: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let continues_identifier = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    sql.match_indices(name).any(|(start, _)| {
        let before = sql[..start].chars().next_back();
        let after = sql[start + name.len()..].chars().next();
        !before.is_some_and(continues_identifier) && !after.is_some_and(continues_identifier)
    })
}

#[cfg(test)]
mod tests {
    use super::mentions;

    #[test]
    fn matches_whole_identifiers_only() {
        assert!(mentions("SELECT id, name FROM users", "users"));
        assert!(mentions("SELECT u.id FROM users u", "id"));
        assert!(mentions(r#"SELECT "Weird Name" FROM t"#, "Weird Name"));
        assert!(!mentions("SELECT user_id FROM orders", "id"));
        assert!(!mentions("SELECT id FROM users2", "users"));
        assert!(!mentions("SELECT $1id", "id"));
        assert!(!mentions("anything", ""));
    }
}
