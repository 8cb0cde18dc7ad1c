//! `driftless operator`: reconciles `DatabaseSchema` resources through the engine, serves `/metrics`,
//! `/healthz` and `/readyz`, and (with leader election) runs the controllers only while holding a Lease.

mod controller;
mod decide;
mod http;
mod metrics;
mod reconcile;
mod resolve;
mod status;

pub use decide::APPROVE_ANNOTATION;
pub use reconcile::{DEFAULT_DRIFT_CHECK_INTERVAL, Retry};
pub use status::reason;

use kube::Client;
use kube::runtime::events::{Recorder, Reporter};
use kube_lease_manager::LeaseManagerBuilder;
use metrics::Metrics;
use reconcile::Context;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The name events and field ownership are recorded under.
pub const CONTROLLER_NAME: &str = "driftless-operator";

#[derive(Debug, Clone)]
pub struct OperatorConfig {
    /// Namespaces to watch; empty: all.
    pub namespaces: Vec<String>,
    /// Where `/metrics`, `/healthz` and `/readyz` are served.
    pub metrics_addr: SocketAddr,
    pub leader_election: Option<LeaderElection>,
    pub retry: Retry,
    /// This instance's name in events and leases (the pod name in a cluster).
    pub identity: String,
}

#[derive(Debug, Clone)]
pub struct LeaderElection {
    pub lease_name: String,
    pub lease_namespace: String,
    /// Seconds a lease is held without renewal before another instance may take it.
    pub lease_duration: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    #[error("serving metrics on {addr}: {source}")]
    Serve { addr: SocketAddr, source: std::io::Error },
    #[error("leader election: {0}")]
    Lease(#[from] kube_lease_manager::LeaseManagerError),
    #[error("lost the leader lease {0}: stopping so that another instance takes over")]
    LostLease(String),
}

/// Runs until `shutdown` completes (then stops gracefully: reconciles in flight finish, the lease is
/// released) or the lease is lost.
pub async fn run(
    client: Client,
    config: OperatorConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), OperatorError> {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let wait_for_stop = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };

    let metrics = Arc::new(Metrics::default());
    let ready = Arc::new(AtomicBool::new(false));
    let listener = tokio::net::TcpListener::bind(config.metrics_addr)
        .await
        .map_err(|source| OperatorError::Serve { addr: config.metrics_addr, source })?;
    tracing::info!(addr = %config.metrics_addr, "serving /metrics, /healthz and /readyz");
    tokio::spawn(http::serve(listener, metrics.clone(), ready.clone(), wait_for_stop()));

    let lease = match &config.leader_election {
        Some(election) => {
            let manager = LeaseManagerBuilder::new(client.clone(), &election.lease_name)
                .with_namespace(&election.lease_namespace)
                .with_identity(&config.identity)
                .with_duration(election.lease_duration)
                .with_grace(election.lease_duration / 3)
                .build()
                .await?;
            let (mut leader, task) = manager.watch().await;
            // a standby instance is healthy and ready: it serves metrics and takes over when needed
            ready.store(true, Ordering::Relaxed);
            tracing::info!(lease = %election.lease_name, identity = %config.identity, "waiting to lead");
            tokio::select! {
                _ = leader.wait_for(|leading| *leading) => {}
                _ = wait_for_stop() => return Ok(()),
            }
            ready.store(false, Ordering::Relaxed);
            tracing::info!(lease = %election.lease_name, "leading");
            Some((leader, task, election.lease_name.clone()))
        }
        None => None,
    };

    let reporter = Reporter { controller: CONTROLLER_NAME.into(), instance: Some(config.identity.clone()) };
    let recorder = Recorder::new(client.clone(), reporter);
    let ctx = Arc::new(Context::new(client, recorder, metrics, config.retry, CONTROLLER_NAME.into()));
    let scopes: Vec<Option<String>> =
        if config.namespaces.is_empty() { vec![None] } else { config.namespaces.iter().cloned().map(Some).collect() };
    let unsynced = Arc::new(std::sync::atomic::AtomicUsize::new(scopes.len()));
    let controllers = futures::future::join_all(scopes.into_iter().map(|scope| {
        let (ready, unsynced) = (ready.clone(), unsynced.clone());
        controller::run(ctx.clone(), scope, wait_for_stop(), move || {
            if unsynced.fetch_sub(1, Ordering::Relaxed) == 1 {
                ready.store(true, Ordering::Relaxed);
            }
        })
    }));

    match lease {
        None => {
            controllers.await;
            Ok(())
        }
        Some((mut leader, task, lease_name)) => {
            let result = tokio::select! {
                _ = controllers => Ok(()),
                _ = leader.wait_for(|leading| !*leading) => Err(OperatorError::LostLease(lease_name)),
            };
            // closing the channel makes the lease task release the lease and end
            drop(leader);
            if let Ok(Err(error)) = task.await {
                tracing::warn!(%error, "releasing the lease");
            }
            result
        }
    }
}
