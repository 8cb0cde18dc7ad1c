use crate::EngineError;
use driftless_model::Dialect;
use url::Url;

/// A database URL. It is secret (it may carry a password): only [`DatabaseUrl::redacted`] is ever shown.
#[derive(Clone)]
pub struct DatabaseUrl {
    url: Url,
    /// The text handed to the driver: as given (`Url` lower-cases a host, which for `sqlite://Name.db` is part of
    /// a file name), less the query parameters the driver does not know.
    text: String,
    dialect: Dialect,
}

impl DatabaseUrl {
    pub fn parse(text: &str) -> Result<DatabaseUrl, EngineError> {
        let text = text.trim();
        let url = Url::parse(text).map_err(|e| EngineError::Url(format!("not a database URL ({e})")))?;
        let dialect = match url.scheme() {
            "postgres" | "postgresql" => Dialect::Postgres,
            "mysql" | "mariadb" => Dialect::Mysql,
            "sqlite" => Dialect::Sqlite,
            other => {
                return Err(EngineError::Url(format!(
                    "unsupported scheme `{}`: use postgres://, postgresql://, mysql://, mariadb:// or sqlite://",
                    escape_visible(other)
                )));
            }
        };
        // `Url` lower-cases the scheme; the drivers compare it as written
        let separator = if text.contains("://") { "://" } else { ":" };
        let rest = text.split_once(separator).map_or("", |(_, rest)| rest);
        // parameters the driver does not read are dropped before it sees them: sqlx would log an unknown
        // parameter with its value, which may be a password, or ignore it silently
        let rules = crate::dialect::rules(dialect);
        let mut kept = url::form_urlencoded::Serializer::new(String::new());
        let mut dropped = Vec::new();
        let mut mysql_password = None;
        let mut changed = false;
        for (key, value) in url.query_pairs() {
            if let Some(values) = rules.url_parameter_values(&key)
                && !values.iter().any(|allowed| allowed.eq_ignore_ascii_case(&value))
            {
                return Err(EngineError::Url(format!(
                    "invalid value for the URL parameter `{}`: use one of {}",
                    escape_visible(&key),
                    values.join(", ")
                )));
            }
            if rules.password_in_query_is_ignored() && key == "password" {
                // sqlx's MySQL driver ignores `?password=`; it is honoured as the URL's password
                if url.password().is_some() {
                    return Err(EngineError::Url(
                        "the URL gives a password twice, before the host and as `?password=`: keep one".into(),
                    ));
                }
                mysql_password = Some(value.into_owned());
                changed = true;
                continue;
            }
            if rules.reads_url_parameter(&key) {
                kept.append_pair(&key, &value);
            } else {
                dropped.push(escape_visible(&key));
                changed = true;
            }
        }
        if !dropped.is_empty() {
            tracing::warn!(
                parameters = dropped.join(", "),
                "ignoring URL parameters the database driver does not read"
            );
        }
        let kept = kept.finish();
        let scheme = url.scheme();
        let text = if let Some(password) = mysql_password {
            let mut rebuilt = url.clone();
            // `set_password` encodes what a password may not hold, `%` aside
            rebuilt
                .set_password(Some(&password.replace('%', "%25")))
                .map_err(|()| EngineError::Url("the URL has no host to give a password for".into()))?;
            rebuilt.set_query((!kept.is_empty()).then_some(kept.as_str()));
            rebuilt.to_string()
        } else if changed {
            let base = rest.split(['?', '#']).next().unwrap_or_default();
            if kept.is_empty() {
                format!("{scheme}{separator}{base}")
            } else {
                format!("{scheme}{separator}{base}?{kept}")
            }
        } else {
            format!("{scheme}{separator}{rest}")
        };
        Ok(DatabaseUrl { url, text, dialect })
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

impl DatabaseUrl {
    /// A location the user gave (a database URL or a file name) as it may be shown: a URL without its password
    /// and parameters, even when it does not parse, and control characters made visible. Every location shown
    /// in output or errors goes through here.
    pub fn redact_location(text: &str) -> String {
        if !looks_like_url(text) {
            return escape_visible(text);
        }
        if let Ok(url) = DatabaseUrl::parse(text) {
            return escape_visible(&url.redacted());
        }
        // not a URL we accept: keep the scheme and the host, never what may be credentials or parameters
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").unwrap_or(("", text));
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (authority, path) = rest.split_once('/').map_or((rest, ""), |(a, p)| (a, p));
        let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
        let slash = if path.is_empty() && !rest.contains('/') { "" } else { "/" };
        escape_visible(&format!("{scheme}://{host}{slash}{path}"))
    }
}

/// Whether a location (`--from`, `--to`, `--file`, ...) names a database rather than a file: anything of the
/// form `scheme://`, in any case and with surrounding blanks, is a URL; an unknown scheme is then an error
/// rather than a file name.
pub fn looks_like_url(text: &str) -> bool {
    let text = text.trim();
    let Some((scheme, _)) = text.split_once("://") else { return false };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Control characters (escape sequences, carriage returns) as visible `\u{..}` escapes.
fn escape_visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
        assert_eq!(DatabaseUrl::parse("sqlite:App.db?x=1").unwrap().expose(), "sqlite:App.db");
    }

    #[test]
    fn unknown_schemes_are_refused_with_the_accepted_list() {
        let err = DatabaseUrl::parse("oracle://scott:tiger@db/orcl").unwrap_err().to_string();
        assert!(err.contains("unsupported scheme `oracle`"), "{err}");
        assert!(!err.contains("tiger"));
        assert!(DatabaseUrl::parse("not a url").is_err());
    }

    #[test]
    fn any_scheme_looks_like_a_url_in_any_case() {
        for text in [
            "Postgres://u:pw@h/db",
            "postgre://u:pw@h/db",
            "pg://u:pw@h/db",
            "PostgreSQL://u:pw@h/db",
            " postgres://u:pw@h/db",
            "MYSQL://u:pw@h/db",
            "sqlite://app.db",
        ] {
            assert!(looks_like_url(text), "{text}");
            let shown = DatabaseUrl::redact_location(text);
            assert!(!shown.contains("pw"), "{text}: {shown}");
        }
        assert!(!looks_like_url("schema.sql"));
        assert!(!looks_like_url("./dir/schema.sql"));
        assert_eq!(DatabaseUrl::parse("Postgres://u:pw@h/db").unwrap().dialect(), Dialect::Postgres);
        assert_eq!(DatabaseUrl::parse(" MYSQL://u:pw@h/db").unwrap().expose(), "mysql://u:pw@h/db");
        let err = DatabaseUrl::parse("pg://u:pw@h/db").unwrap_err().to_string();
        assert!(err.contains("unsupported scheme `pg`") && !err.contains("pw"), "{err}");
        assert_eq!(DatabaseUrl::redact_location("pg://u:pw@h/db?password=x"), "pg://h/db");
    }

    #[test]
    fn unknown_parameters_never_reach_the_driver() {
        let url = DatabaseUrl::parse("postgres://u@h/db?passwd=918273645&sslmode=disable&search_path=x").unwrap();
        assert_eq!(url.expose(), "postgres://u@h/db?sslmode=disable");
        let url = DatabaseUrl::parse("sqlite://App.db?junk=918273645").unwrap();
        assert_eq!(url.expose(), "sqlite://App.db");
    }

    #[test]
    fn invalid_fixed_values_are_refused_without_echoing_them() {
        for text in [
            "postgres://u@h/db?sslmode=918273645",
            "postgres://u@h/db?ssl-mode=918273645",
            "mysql://u@h/db?ssl-mode=918273645",
            "sqlite://a.db?mode=918273645",
        ] {
            let err = DatabaseUrl::parse(text).unwrap_err().to_string();
            assert!(err.contains("invalid value for the URL parameter") && !err.contains("918273645"), "{err}");
        }
        assert!(DatabaseUrl::parse("postgres://u@h/db?sslmode=Require").is_ok());
    }

    #[test]
    fn mysql_password_parameters_are_honoured() {
        let url = DatabaseUrl::parse("mysql://u@h:3306/db?password=p%40ss&charset=utf8mb4").unwrap();
        assert_eq!(url.expose(), "mysql://u:p%40ss@h:3306/db?charset=utf8mb4");
        assert_eq!(url.redacted(), "mysql://u@h:3306/db");
        let err = DatabaseUrl::parse("mysql://u:a@h/db?password=b").unwrap_err().to_string();
        assert!(err.contains("password twice") && !err.contains("=b"), "{err}");
    }
}
