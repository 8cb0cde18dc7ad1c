use crate::{DatabaseUrl, EngineError, looks_like_url};
use std::io::Read;
use std::path::Path;

/// The largest schema or manifest file read: 64 MiB. A larger input (or an endless one, like `/dev/zero`) is
/// refused rather than read without bound.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The desired schema's SQL and where it came from.
#[derive(Debug, Clone)]
pub struct Desired {
    pub sql: String,
    /// A file name or `DatabaseSchema/<name>`, for error messages.
    pub origin: String,
}

impl Desired {
    pub fn from_sql(sql: impl Into<String>, origin: impl Into<String>) -> Desired {
        Desired { sql: sql.into(), origin: origin.into() }
    }

    /// Reads a `.sql` file.
    pub fn from_sql_file(path: &Path) -> Result<Desired, EngineError> {
        Ok(Desired::from_sql(read_input(path)?, shown(path)))
    }
}

/// A file name as shown in messages, through the one redaction of user-supplied locations.
fn shown(path: &Path) -> String {
    DatabaseUrl::redact_location(&path.to_string_lossy())
}

/// Reads a schema or manifest file of at most [`MAX_INPUT_BYTES`] as UTF-8, without a leading byte order
/// mark. A location that looks like a URL is refused: it is a database, and its text may hold a password.
pub fn read_input(path: &Path) -> Result<String, EngineError> {
    let name = shown(path);
    if looks_like_url(&path.to_string_lossy()) {
        return Err(EngineError::Io(format!("{name} is a database URL, not a file: pass it with --url")));
    }
    let file = std::fs::File::open(path).map_err(|e| EngineError::Io(format!("reading {name}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| EngineError::Io(format!("reading {name}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(EngineError::Io(format!(
            "reading {name}: the file is larger than the limit of {} MiB",
            MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        EngineError::Io(format!("reading {name}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to()))
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_byte_order_mark_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("schema.sql");
        std::fs::write(&path, "\u{feff}create table t (id int);").unwrap();
        assert_eq!(Desired::from_sql_file(&path).unwrap().sql, "create table t (id int);");
    }

    #[test]
    fn endless_input_is_refused_at_the_limit() {
        let err = Desired::from_sql_file(Path::new("/dev/zero")).unwrap_err().to_string();
        assert!(err.contains("larger than the limit of 64 MiB"), "{err}");
    }

    #[test]
    fn a_url_given_as_a_file_is_refused_without_its_password() {
        let err = Desired::from_sql_file(Path::new("Postgres://u:pw@h/db")).unwrap_err().to_string();
        assert!(err.contains("is a database URL") && !err.contains("pw"), "{err}");
    }
}
