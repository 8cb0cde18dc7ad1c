//! Turns a resource's spec into what the engine needs: the database URL and the desired SQL, read from the
//! Secrets and ConfigMaps it references in its own namespace.

use driftless_api::{Credentials, DatabaseSchemaSpec, KeyRef, ValueFrom};
use driftless_engine::{DatabaseUrl, Desired};
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::{Api, Client};

/// What a resource resolves to.
#[derive(Debug)]
pub struct Resolved {
    pub url: DatabaseUrl,
    pub desired: Desired,
}

/// Why a spec could not be resolved. None of these carries a secret value.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error("{kind} {name} not found in namespace {namespace}")]
    NotFound { kind: &'static str, name: String, namespace: String },
    #[error("{kind} {name} has no key {key}")]
    MissingKey { kind: &'static str, name: String, key: String },
    #[error("{0}")]
    Invalid(String),
    #[error("reading {kind} {name}: {source}")]
    Kube { kind: &'static str, name: String, source: kube::Error },
}

/// Reads the target URL and the desired SQL of a resource in `namespace`.
pub async fn resolve(
    client: &Client,
    namespace: &str,
    name: &str,
    spec: &DatabaseSchemaSpec,
) -> Result<Resolved, ResolveError> {
    let secrets = Api::<Secret>::namespaced(client.clone(), namespace);
    let url_text = match (&spec.url, &spec.url_from, &spec.credentials) {
        (Some(url), None, None) => url.clone(),
        (None, Some(from), None) => {
            let uri = secret_value(&secrets, namespace, secret_ref(from, "spec.urlFrom")?).await?;
            qualify_bare_host(&uri, namespace)
        }
        (None, None, Some(credentials)) => {
            let password = match (&credentials.password, &credentials.password_from) {
                (_, Some(from)) => {
                    Some(secret_value(&secrets, namespace, secret_ref(from, "spec.credentials.passwordFrom")?).await?)
                }
                (password, None) => password.clone(),
            };
            credentials_url(credentials, password.as_deref())?
        }
        _ => {
            return Err(ResolveError::Invalid("set exactly one of spec.url, spec.urlFrom and spec.credentials".into()));
        }
    };
    let url = DatabaseUrl::parse(&url_text).map_err(|e| ResolveError::Invalid(format!("database URL: {e}")))?;

    let origin = format!("DatabaseSchema {namespace}/{name}");
    let desired = match (&spec.schema.sql, &spec.schema.config_map_key_ref) {
        (Some(sql), None) => Desired::from_sql(sql.clone(), format!("{origin} spec.schema.sql")),
        (None, Some(key_ref)) => {
            let config_maps = Api::<ConfigMap>::namespaced(client.clone(), namespace);
            let sql = config_map_value(&config_maps, namespace, key_ref).await?;
            Desired::from_sql(sql, format!("{origin} ConfigMap {}/{}", key_ref.name, key_ref.key))
        }
        _ => {
            return Err(ResolveError::Invalid(
                "set exactly one of spec.schema.sql and spec.schema.configMapKeyRef".into(),
            ));
        }
    };
    Ok(Resolved { url, desired })
}

fn secret_ref<'a>(from: &'a ValueFrom, field: &str) -> Result<&'a KeyRef, ResolveError> {
    from.secret_key_ref.as_ref().ok_or_else(|| ResolveError::Invalid(format!("{field}.secretKeyRef is required")))
}

async fn secret_value(secrets: &Api<Secret>, namespace: &str, key_ref: &KeyRef) -> Result<String, ResolveError> {
    const KIND: &str = "Secret";
    let secret = get(secrets, KIND, namespace, &key_ref.name).await?;
    let missing = || ResolveError::MissingKey { kind: KIND, name: key_ref.name.clone(), key: key_ref.key.clone() };
    let bytes = secret.data.as_ref().and_then(|data| data.get(&key_ref.key)).ok_or_else(missing)?;
    String::from_utf8(bytes.0.clone())
        .map(|value| value.trim_end_matches(['\r', '\n']).to_string())
        .map_err(|_| ResolveError::Invalid(format!("Secret {} key {} is not UTF-8 text", key_ref.name, key_ref.key)))
}

async fn config_map_value(
    config_maps: &Api<ConfigMap>,
    namespace: &str,
    key_ref: &KeyRef,
) -> Result<String, ResolveError> {
    const KIND: &str = "ConfigMap";
    let config_map = get(config_maps, KIND, namespace, &key_ref.name).await?;
    config_map.data.as_ref().and_then(|data| data.get(&key_ref.key)).cloned().ok_or_else(|| ResolveError::MissingKey {
        kind: KIND,
        name: key_ref.name.clone(),
        key: key_ref.key.clone(),
    })
}

async fn get<K>(api: &Api<K>, kind: &'static str, namespace: &str, name: &str) -> Result<K, ResolveError>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    api.get_opt(name)
        .await
        .map_err(|source| ResolveError::Kube { kind, name: name.to_string(), source })?
        .ok_or_else(|| ResolveError::NotFound { kind, name: name.to_string(), namespace: namespace.to_string() })
}

/// CloudNativePG's `uri` names its service without a namespace (`cluster-rw:5432`), which resolves only
/// from pods in the same namespace; the operator runs elsewhere, so a bare service name gets the secret's
/// namespace appended. Hosts with a dot, IP addresses and `localhost` are left alone.
pub fn qualify_bare_host(uri: &str, namespace: &str) -> String {
    let Ok(mut url) = url::Url::parse(uri) else { return uri.to_string() };
    let bare = match url.host() {
        Some(url::Host::Domain(host)) => url.scheme() != "sqlite" && !host.contains('.') && host != "localhost",
        _ => false,
    };
    if !bare {
        return uri.to_string();
    }
    let qualified = format!("{}.{namespace}", url.host_str().unwrap_or_default());
    match url.set_host(Some(&qualified)) {
        Ok(()) => url.to_string(),
        Err(_) => uri.to_string(),
    }
}

/// Builds a URL from `spec.credentials`, escaping every part.
pub fn credentials_url(credentials: &Credentials, password: Option<&str>) -> Result<String, ResolveError> {
    let invalid = |message: String| ResolveError::Invalid(format!("spec.credentials: {message}"));
    let scheme = credentials.scheme.as_str();
    if !["postgres", "postgresql", "mysql", "mariadb", "sqlite"].contains(&scheme) {
        return Err(invalid(format!("unsupported scheme `{scheme}`: use postgres, mysql, mariadb or sqlite")));
    }
    let host = credentials.host.as_deref().unwrap_or(if scheme == "sqlite" { "" } else { "localhost" });
    let mut url = url::Url::parse(&format!("{scheme}://placeholder")).map_err(|e| invalid(e.to_string()))?;
    url.set_host(Some(host)).map_err(|e| invalid(format!("host `{host}`: {e}")))?;
    url.set_port(credentials.port).map_err(|()| invalid("port".into()))?;
    if let Some(user) = &credentials.user {
        url.set_username(user).map_err(|()| invalid("user".into()))?;
    }
    if let Some(password) = password {
        url.set_password(Some(password)).map_err(|()| invalid("password".into()))?;
    }
    if let Some(database) = &credentials.database {
        url.path_segments_mut().map_err(|()| invalid("database".into()))?.push(database);
    }
    if !credentials.parameters.is_empty() {
        url.query_pairs_mut().extend_pairs(&credentials.parameters);
    }
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn bare_service_names_get_the_namespace() {
        let cases = [
            ("postgresql://app:pw@cluster-example-rw:5432/app", "postgresql://app:pw@cluster-example-rw.shop:5432/app"),
            (
                "postgresql://app:pw@cluster-example-rw.shop:5432/app",
                "postgresql://app:pw@cluster-example-rw.shop:5432/app",
            ),
            ("postgresql://app:pw@db.example.com/app", "postgresql://app:pw@db.example.com/app"),
            ("postgresql://app:pw@127.0.0.1:5432/app", "postgresql://app:pw@127.0.0.1:5432/app"),
            ("postgresql://app:pw@localhost/app", "postgresql://app:pw@localhost/app"),
            // a SQLite "host" is a file name
            ("sqlite://quickstart", "sqlite://quickstart"),
        ];
        for (given, expected) in cases {
            assert_eq!(qualify_bare_host(given, "shop"), expected, "{given}");
        }
    }

    #[test]
    fn credentials_become_an_escaped_url() {
        let credentials = Credentials {
            scheme: "postgres".into(),
            host: Some("db.shop.svc".into()),
            port: Some(5432),
            user: Some("app".into()),
            database: Some("app db".into()),
            parameters: BTreeMap::from([("sslmode".to_string(), "disable".to_string())]),
            ..Default::default()
        };
        let url = credentials_url(&credentials, Some("p@ss/w:rd")).unwrap();
        assert_eq!(url, "postgres://app:p%40ss%2Fw%3Ard@db.shop.svc:5432/app%20db?sslmode=disable");
        let err = credentials_url(&Credentials { scheme: "oracle".into(), ..Default::default() }, None).unwrap_err();
        assert!(err.to_string().contains("unsupported scheme `oracle`"), "{err}");
    }
}
