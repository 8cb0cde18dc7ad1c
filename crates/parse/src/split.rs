use crate::ParseError;
use driftless_model::Dialect;

/// One statement of a desired-schema file, with the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatement {
    pub sql: String,
    pub line: usize,
}

/// Splits SQL text into statements.
pub fn split(sql: &str, _dialect: Dialect) -> Result<Vec<SourceStatement>, ParseError> {
    Ok(sql
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|s| SourceStatement { sql: s.trim().to_string(), line: 1 })
        .collect())
}
