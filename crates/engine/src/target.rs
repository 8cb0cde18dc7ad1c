use crate::EngineError;
use driftless_model::Dialect;
use url::Url;

/// A database URL. It is secret (it may carry a password): only [`DatabaseUrl::redacted`] is ever shown.
#[derive(Clone)]
pub struct DatabaseUrl {
    url: Url,
    /// The text as given: `Url` lower-cases a host, which for `sqlite://Name.db` is part of a file name.
    text: String,
    dialect: Dialect,
}

impl DatabaseUrl {
    pub fn parse(text: &str) -> Result<DatabaseUrl, EngineError> {
        let url = Url::parse(text).map_err(|e| EngineError::Url(format!("not a database URL ({e})")))?;
        let dialect = match url.scheme() {
            "postgres" | "postgresql" => Dialect::Postgres,
            "mysql" | "mariadb" => Dialect::Mysql,
            "sqlite" => Dialect::Sqlite,
            other => {
                return Err(EngineError::Url(format!(
                    "unsupported scheme `{other}`: use postgres://, postgresql://, mysql://, mariadb:// or sqlite://"
                )));
            }
        };
        Ok(DatabaseUrl { url, text: text.to_string(), dialect })
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The URL with its password and query parameters removed, safe for logs, status and errors.
    pub fn redacted(&self) -> String {
        let mut shown = self.url.clone();
        let _ = shown.set_password(None);
        shown.set_query(None);
        shown.to_string()
    }

    /// The full URL, for the driver only.
    pub(crate) fn expose(&self) -> &str {
        &self.text
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Whether a `--from`/`--to` argument names a database (rather than a file).
pub fn looks_like_url(text: &str) -> bool {
    ["postgres://", "postgresql://", "mysql://", "mariadb://", "sqlite://"].iter().any(|p| text.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_parameters_never_show() {
        let url =
            DatabaseUrl::parse("postgres://app:s3cr%40t@db.shop.svc:5432/app?password=x&sslmode=require").unwrap();
        assert_eq!(url.redacted(), "postgres://app@db.shop.svc:5432/app");
        assert_eq!(format!("{url:?}"), "postgres://app@db.shop.svc:5432/app");
        assert_eq!(url.dialect(), Dialect::Postgres);
    }

    #[test]
    fn sqlite_file_names_keep_their_case() {
        assert_eq!(DatabaseUrl::parse("sqlite://QuickStart.db").unwrap().expose(), "sqlite://QuickStart.db");
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_accepted_list() {
        let err = DatabaseUrl::parse("oracle://scott:tiger@db/orcl").unwrap_err().to_string();
        assert!(err.contains("unsupported scheme `oracle`"), "{err}");
        assert!(!err.contains("tiger"));
        assert!(DatabaseUrl::parse("not a url").is_err());
    }
}
