//! The watches: DatabaseSchemas (on spec and approval changes, not on the status the operator writes), and
//! the Secrets and ConfigMaps they reference, so that a rotated password or edited SQL re-reconciles.

use crate::decide::APPROVE_ANNOTATION;
use crate::reconcile::{Context, error_policy, reconcile};
use driftless_api::{DatabaseSchema, DatabaseSchemaSpec};
use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, Secret};
use kube::core::PartialObjectMeta;
use kube::runtime::controller::{self, Controller};
use kube::runtime::reflector::{self, ObjectRef, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Api, Client, ResourceExt};
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Reconciles of different resources run in parallel up to this many.
const CONCURRENCY: u16 = 8;

/// Runs the controller over one namespace (or all, with `None`) until `shutdown` completes. `synced` is
/// called once the resource cache holds the initial list.
pub async fn run(
    ctx: Arc<Context>,
    namespace: Option<String>,
    shutdown: impl Future<Output = ()> + Send + Sync + 'static,
    synced: impl FnOnce() + Send + 'static,
) {
    let client = ctx.client.clone();
    let resources: Api<DatabaseSchema> = scoped(&client, namespace.as_deref());
    let (store, writer) = reflector::store();
    let mut synced = Some(synced);
    let metrics = ctx.metrics.clone();
    let changes = watcher(resources, watcher::Config::default())
        .default_backoff()
        .reflect(writer)
        .inspect(move |event| match event {
            Ok(watcher::Event::InitDone) => {
                if let Some(synced) = synced.take() {
                    synced();
                }
            }
            // deleted resources leave the readiness gauge (reconcile never sees them again)
            Ok(watcher::Event::Delete(resource)) => {
                let key = format!("{}/{}", resource.namespace().unwrap_or_default(), resource.name_any());
                metrics.set_ready(&key, None);
            }
            _ => {}
        })
        .applied_objects()
        .predicate_filter(spec_or_approval, Default::default());

    // metadata only: the operator never holds Secrets it does not use
    let secrets =
        watcher(scoped::<PartialObjectMeta<Secret>>(&client, namespace.as_deref()), watcher::Config::default())
            .default_backoff()
            .touched_objects();
    let config_maps =
        watcher(scoped::<PartialObjectMeta<ConfigMap>>(&client, namespace.as_deref()), watcher::Config::default())
            .default_backoff()
            .touched_objects();
    let secret_store = store.clone();
    let config_map_store = store.clone();
    Controller::for_stream(changes, store)
        .watches_stream(secrets, move |secret| referencing(&secret_store, &secret, references_secret))
        .watches_stream(config_maps, move |config_map| {
            referencing(&config_map_store, &config_map, references_config_map)
        })
        .with_config(controller::Config::default().concurrency(CONCURRENCY))
        .graceful_shutdown_on(shutdown)
        .run(reconcile, error_policy, ctx)
        .for_each(|result| async move {
            if let Err(error) = result {
                tracing::debug!(%error, "controller event");
            }
        })
        .await;
}

fn scoped<K>(client: &Client, namespace: Option<&str>) -> Api<K>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match namespace {
        Some(namespace) => Api::namespaced(client.clone(), namespace),
        None => Api::all(client.clone()),
    }
}

/// What triggers a reconcile of the resource itself: a new generation (spec edits) or a new approval.
/// Status writes and other metadata changes do not.
fn spec_or_approval(resource: &DatabaseSchema) -> Option<u64> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    resource.metadata.generation.hash(&mut hasher);
    resource.annotations().get(APPROVE_ANNOTATION).hash(&mut hasher);
    Some(hasher.finish())
}

/// The resources in the object's namespace that reference it by name.
fn referencing<K: ResourceExt>(
    store: &Store<DatabaseSchema>,
    object: &K,
    references: fn(&DatabaseSchemaSpec, &str) -> bool,
) -> Vec<ObjectRef<DatabaseSchema>> {
    let namespace = object.namespace();
    let name = object.name_any();
    store
        .state()
        .iter()
        .filter(|resource| resource.namespace() == namespace && references(&resource.spec, &name))
        .map(|resource| ObjectRef::from_obj(resource.as_ref()))
        .collect()
}

pub fn references_secret(spec: &DatabaseSchemaSpec, name: &str) -> bool {
    let url_from = spec.url_from.as_ref().and_then(|from| from.secret_key_ref.as_ref());
    let password_from = spec
        .credentials
        .as_ref()
        .and_then(|credentials| credentials.password_from.as_ref())
        .and_then(|from| from.secret_key_ref.as_ref());
    [url_from, password_from].into_iter().flatten().any(|key_ref| key_ref.name == name)
}

pub fn references_config_map(spec: &DatabaseSchemaSpec, name: &str) -> bool {
    spec.schema.config_map_key_ref.as_ref().is_some_and(|key_ref| key_ref.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftless_api::{Credentials, KeyRef, SchemaSource, ValueFrom};

    fn secret(name: &str) -> Option<ValueFrom> {
        Some(ValueFrom { secret_key_ref: Some(KeyRef { name: name.into(), key: "k".into() }) })
    }

    #[test]
    fn references_are_found_by_kind_and_name() {
        let by_url = DatabaseSchemaSpec { url_from: secret("app"), ..Default::default() };
        let by_password = DatabaseSchemaSpec {
            credentials: Some(Credentials {
                scheme: "postgres".into(),
                password_from: secret("pw"),
                ..Default::default()
            }),
            schema: SchemaSource {
                sql: None,
                config_map_key_ref: Some(KeyRef { name: "ddl".into(), key: "schema.sql".into() }),
            },
            ..Default::default()
        };
        assert!(references_secret(&by_url, "app") && !references_secret(&by_url, "pw"));
        assert!(references_secret(&by_password, "pw") && !references_secret(&by_password, "app"));
        assert!(references_config_map(&by_password, "ddl") && !references_config_map(&by_url, "ddl"));
        assert!(!references_config_map(&by_password, "pw"), "a Secret's name is not a ConfigMap's");
    }

    #[test]
    fn status_writes_do_not_trigger_but_approvals_and_edits_do() {
        let mut resource = DatabaseSchema::new("a", DatabaseSchemaSpec::default());
        resource.metadata.generation = Some(1);
        let initial = spec_or_approval(&resource);
        resource.status = Some(Default::default());
        resource.metadata.resource_version = Some("42".into());
        assert_eq!(spec_or_approval(&resource), initial);
        resource.annotations_mut().insert(APPROVE_ANNOTATION.into(), "abc".into());
        let approved = spec_or_approval(&resource);
        assert_ne!(approved, initial);
        resource.metadata.generation = Some(2);
        assert_ne!(spec_or_approval(&resource), approved);
    }
}
