//! Convergence cases written as SQL files:
//!
//! ```sql
//! -- case: add a nullable column
//! -- current
//! create table t (id int primary key);
//! -- desired
//! create table t (id int primary key, note text);
//! ```
//!
//! A file holds any number of cases. `-- oneway` after the case line skips the way back (desired → current);
//! `-- online` plans with every PostgreSQL online form (concurrent indexes, `NOT VALID` then `VALIDATE`).
//! `-- requires: postgres 15` names the oldest PostgreSQL major that can run the case's SQL (e.g. `NULLS NOT
//! DISTINCT`); on an older server the case is skipped. `-- until: postgres N` names the newest major a case
//! holds on, for a known gap of newer ones (said in the case's comment). `-- refused: TEXT` says that planning `desired` must
//! fail with an error containing TEXT, leaving the database as it was.

use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// `file:line name`, to find the case from a failure report.
    pub name: String,
    pub current: String,
    pub desired: String,
    pub reversible: bool,
    /// Plan with every online form (`OnlineOptions` all on).
    pub online: bool,
    /// The oldest PostgreSQL major whose server accepts the case's SQL (`-- requires: postgres N`).
    pub min_postgres_major: Option<u32>,
    /// The newest PostgreSQL major the case holds on (`-- until: postgres N`): a known gap of newer ones.
    pub max_postgres_major: Option<u32>,
    /// What the error planning `desired` must say (`-- refused: TEXT`); such a case converges nowhere.
    pub refused: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CaseFileError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

enum Section {
    None,
    Current,
    Desired,
}

/// Reads every case of a case file.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, CaseFileError> {
    let file = path.file_name().map_or_else(|| path.display().to_string(), |f| f.to_string_lossy().into_owned());
    let text = std::fs::read_to_string(path).map_err(|e| CaseFileError {
        file: file.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    parse_cases(&file, &text)
}

fn parse_cases(file: &str, text: &str) -> Result<Vec<Case>, CaseFileError> {
    let mut cases: Vec<Case> = Vec::new();
    let mut section = Section::None;
    for (index, line) in text.lines().enumerate() {
        let error = |message: &str| CaseFileError { file: file.to_string(), line: index + 1, message: message.into() };
        let marker = line.trim();
        if let Some(name) = marker.strip_prefix("-- case:") {
            cases.push(Case {
                name: format!("{file}:{} {}", index + 1, name.trim()),
                current: String::new(),
                desired: String::new(),
                reversible: true,
                online: false,
                min_postgres_major: None,
                max_postgres_major: None,
                refused: None,
            });
            section = Section::None;
            continue;
        }
        let Some(case) = cases.last_mut() else {
            if marker.is_empty() || marker.starts_with("--") {
                continue;
            }
            return Err(error("SQL before the first `-- case:` line"));
        };
        match marker {
            "-- oneway" => case.reversible = false,
            "-- online" => case.online = true,
            "-- current" => section = Section::Current,
            "-- desired" => section = Section::Desired,
            _ if marker.starts_with("-- refused:") => {
                case.refused = marker.strip_prefix("-- refused:").map(|text| text.trim().to_string());
            }
            _ if marker.starts_with("-- requires:") => {
                case.min_postgres_major = Some(parse_postgres_major(marker, "-- requires:").ok_or_else(|| {
                    error("a requirement reads `-- requires: postgres N` (N the oldest PostgreSQL major)")
                })?);
            }
            _ if marker.starts_with("-- until:") => {
                case.max_postgres_major =
                    Some(parse_postgres_major(marker, "-- until:").ok_or_else(|| {
                        error("a limit reads `-- until: postgres N` (N the newest PostgreSQL major)")
                    })?);
            }
            _ => match section {
                Section::Current => push_line(&mut case.current, line),
                Section::Desired => push_line(&mut case.desired, line),
                Section::None if marker.is_empty() || marker.starts_with("--") => {}
                Section::None => return Err(error("SQL outside a `-- current` or `-- desired` section")),
            },
        }
    }
    Ok(cases)
}

/// The major of `-- requires: postgres N` or `-- until: postgres N`.
fn parse_postgres_major(marker: &str, prefix: &str) -> Option<u32> {
    let requirement = marker.strip_prefix(prefix)?.trim();
    requirement.strip_prefix("postgres ")?.trim().parse().ok()
}

fn push_line(section: &mut String, line: &str) {
    section.push_str(line);
    section.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cases_with_sections_and_markers() {
        let text = "-- about this file\n-- case: first\n-- current\ncreate table t (id int);\n-- desired\n\
            create table t (id int, n text);\n-- case: second\n-- oneway\n-- online\n-- desired\ncreate table u (id int);\n";
        let cases = parse_cases("f.sql", text).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].name, "f.sql:2 first");
        assert_eq!(cases[0].current, "create table t (id int);\n");
        assert!(cases[0].reversible);
        assert_eq!(cases[1].current, "");
        assert_eq!(cases[1].desired, "create table u (id int);\n");
        assert!(!cases[1].reversible);
        assert!(!cases[0].online && cases[1].online);
        assert_eq!(cases[0].min_postgres_major, None);
    }

    #[test]
    fn reads_the_oldest_postgres_major_a_case_requires() {
        let text = "-- case: nulls not distinct\n-- requires: postgres 15\n-- desired\ncreate table t (id int);\n";
        let cases = parse_cases("f.sql", text).unwrap();
        assert_eq!(cases[0].min_postgres_major, Some(15));
        assert_eq!(cases[0].desired, "create table t (id int);\n");
    }

    #[test]
    fn reads_what_a_refused_case_must_say() {
        let text = "-- case: key\n-- refused: cannot change its partition key\n-- desired\ncreate table t (id int);\n";
        let cases = parse_cases("f.sql", text).unwrap();
        assert_eq!(cases[0].refused.as_deref(), Some("cannot change its partition key"));
        assert_eq!(cases[0].desired, "create table t (id int);\n");
    }

    #[test]
    fn a_requirement_other_than_a_postgres_major_is_an_error() {
        let err = parse_cases("f.sql", "-- case: c\n-- requires: mysql 8\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("-- requires: postgres N"), "{err}");
    }

    #[test]
    fn stray_sql_is_an_error_with_its_line() {
        let err = parse_cases("f.sql", "create table t ();\n").unwrap_err();
        assert_eq!(err.to_string(), "f.sql:1: SQL before the first `-- case:` line");
    }
}
