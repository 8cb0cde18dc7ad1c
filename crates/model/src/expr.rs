use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};

/// A SQL expression (a default, a check, an index predicate, a view query).
///
/// `sql` is the text to render into DDL: as the user wrote it for the desired side, as the database printed
/// it for the live side. `canonical` is a normal form computed by `driftless-parse` from either text
/// (redundant casts and parentheses removed, `IN` lists written as `= ANY (ARRAY[...])`, identifiers folded,
/// ...). Two expressions are equal when their canonical forms are: the database rewrites what it stores, so
/// comparing the texts would report changes that are not there. `driftless_plan::schema_hash` hashes the
/// canonical form alone likewise (it knows the struct by its name, `Expr`, and its text by `sql`), while
/// serializing keeps both.
///
/// Both are compact strings: most defaults (`0`, `now()`, `'x'::text`) fit in one inline.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Expr {
    pub sql: CompactString,
    pub canonical: CompactString,
}

impl Expr {
    pub fn new(sql: impl Into<CompactString>, canonical: impl Into<CompactString>) -> Self {
        Expr { sql: sql.into(), canonical: canonical.into() }
    }
}

impl PartialEq for Expr {
    fn eq(&self, other: &Self) -> bool {
        self.canonical == other.canonical
    }
}

impl Eq for Expr {}

impl Hash for Expr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.canonical.hash(state)
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equality_follows_the_canonical_form_not_the_text() {
        let stored = Expr::new("(price > (0)::numeric)", "price > 0");
        let written = Expr::new("price > 0", "price > 0");
        assert_eq!(stored, written);
        assert_ne!(stored, Expr::new("price >= 0", "price >= 0"));
    }
}
