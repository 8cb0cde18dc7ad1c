//! A real Kubernetes API server for tests: upstream `etcd` and `kube-apiserver`, the two binaries
//! controller-runtime's envtest runs, built from their Go modules by `tools/envtest` (see
//! docs/operator-testing.md). No kubelet or controllers run: pods never start, namespaces are never
//! finalized and garbage collection never happens.
//!
//! The binaries are found in `$KUBEBUILDER_ASSETS`, or built (once, then cached under `target/envtest/`) by
//! `scripts/build-envtest`.

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum EnvtestError {
    #[error("building the envtest binaries with {script}: {message}")]
    Build { script: String, message: String },
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{what} did not become ready within {seconds}s; last lines of its log ({log}):\n{tail}")]
    NotReady { what: &'static str, seconds: u64, log: String, tail: String },
    #[error("kube client: {0}")]
    Kube(#[from] kube::Error),
    #[error("kubeconfig: {0}")]
    Kubeconfig(#[from] kube::config::KubeconfigError),
    #[error("CRD {path}: {message}")]
    Crd { path: String, message: String },
}

/// A running etcd + kube-apiserver pair, stopped when dropped. The processes are also killed when the thread
/// that started them exits, so start it from a thread that outlives the tests (e.g. a test binary's main).
pub struct ApiServer {
    etcd: Child,
    apiserver: Child,
    dir: tempfile::TempDir,
    url: String,
    client: Client,
}

/// The bearer token of the `admin` user (group `system:masters`).
const ADMIN_TOKEN: &str = "driftless-envtest-admin";
const READY_WITHIN: Duration = Duration::from_secs(90);

impl ApiServer {
    pub async fn start() -> Result<ApiServer, EnvtestError> {
        let assets = assets_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("driftless-envtest-")
            .tempdir()
            .map_err(|source| EnvtestError::Io { what: "creating a temporary directory".into(), source })?;
        let [etcd_port, peer_port, api_port] = free_ports()?;

        let etcd_url = format!("http://127.0.0.1:{etcd_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let etcd = spawn(
            Command::new(assets.join("etcd")).args([
                "--data-dir",
                &path_str(&dir.path().join("etcd")),
                "--listen-client-urls",
                &etcd_url,
                "--advertise-client-urls",
                &etcd_url,
                "--listen-peer-urls",
                &peer_url,
                "--initial-advertise-peer-urls",
                &peer_url,
                "--initial-cluster",
                &format!("default={peer_url}"),
                // test data is thrown away: skip the fsyncs that dominate etcd's write latency
                "--unsafe-no-fsync",
            ]),
            &dir.path().join("etcd.log"),
        )?;

        let sa_key = dir.path().join("service-account.key");
        generate_service_account_key(&sa_key)?;
        let tokens = dir.path().join("tokens.csv");
        write(&tokens, &format!("{ADMIN_TOKEN},admin,admin,system:masters\n"))?;
        let apiserver_log = dir.path().join("kube-apiserver.log");
        let apiserver = spawn(
            Command::new(assets.join("kube-apiserver")).args([
                &format!("--etcd-servers={etcd_url}"),
                &format!("--cert-dir={}", path_str(&dir.path().join("certs"))),
                &format!("--secure-port={api_port}"),
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--service-account-issuer=https://kubernetes.default.svc",
                &format!("--service-account-key-file={}", path_str(&sa_key)),
                &format!("--service-account-signing-key-file={}", path_str(&sa_key)),
                &format!("--token-auth-file={}", path_str(&tokens)),
                "--authorization-mode=RBAC",
                "--service-cluster-ip-range=10.0.0.0/24",
                "--allow-privileged=true",
            ]),
            &apiserver_log,
        )?;

        let url = format!("https://127.0.0.1:{api_port}");
        let kubeconfig = dir.path().join("kubeconfig");
        write(&kubeconfig, &kubeconfig_yaml(&url, ADMIN_TOKEN))?;
        let config =
            Config::from_custom_kubeconfig(Kubeconfig::read_from(&kubeconfig)?, &KubeConfigOptions::default()).await?;
        let client = Client::try_from(config)?;
        let server = ApiServer { etcd, apiserver, dir, url, client };
        server.wait_until_ready(&apiserver_log).await?;
        Ok(server)
    }

    /// A client authenticated as `admin` (group `system:masters`).
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// A kubeconfig file for the `admin` user, for tools run as processes (and `driftless operator`).
    pub fn kubeconfig_path(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// The server's address, e.g. `https://127.0.0.1:40123`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Installs (server-side applies) the CustomResourceDefinition in a YAML file and waits until it is
    /// established.
    pub async fn install_crd(&self, path: &Path) -> Result<CustomResourceDefinition, EnvtestError> {
        let crd_error = |message: String| EnvtestError::Crd { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| crd_error(e.to_string()))?;
        let crd: CustomResourceDefinition = serde_yaml_ng::from_str(&text).map_err(|e| crd_error(e.to_string()))?;
        let name = crd.metadata.name.clone().ok_or_else(|| crd_error("no metadata.name".into()))?;
        let api: Api<CustomResourceDefinition> = Api::all(self.client());
        api.patch(&name, &PatchParams::apply("driftless-envtest").force(), &Patch::Apply(&crd)).await?;
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            let current = api.get(&name).await?;
            let established =
                current.status.as_ref().and_then(|status| status.conditions.as_ref()).is_some_and(|conditions| {
                    conditions.iter().any(|c| c.type_ == "Established" && c.status == "True")
                });
            if established {
                return Ok(current);
            }
            if Instant::now() > deadline {
                return Err(crd_error("not established in time".into()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Creates a namespace (the server runs no namespace controller, so it is never cleaned up).
    pub async fn create_namespace(&self, name: &str) -> Result<(), EnvtestError> {
        let namespace = Namespace {
            metadata: kube::api::ObjectMeta { name: Some(name.into()), ..Default::default() },
            ..Default::default()
        };
        Api::<Namespace>::all(self.client()).create(&PostParams::default(), &namespace).await?;
        Ok(())
    }

    /// Ready once the bootstrap controller created the `default` namespace, which happens after etcd is
    /// reachable and the built-in APIs are served.
    async fn wait_until_ready(&self, log: &Path) -> Result<(), EnvtestError> {
        let namespaces: Api<Namespace> = Api::all(self.client());
        let deadline = Instant::now() + READY_WITHIN;
        while namespaces.get("default").await.is_err() {
            if Instant::now() > deadline {
                return Err(EnvtestError::NotReady {
                    what: "kube-apiserver",
                    seconds: READY_WITHIN.as_secs(),
                    log: log.display().to_string(),
                    tail: log_tail(log),
                });
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        for child in [&mut self.apiserver, &mut self.etcd] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `$KUBEBUILDER_ASSETS`, or the cached build of `scripts/build-envtest` (built now when missing).
fn assets_dir() -> Result<PathBuf, EnvtestError> {
    if let Some(dir) = std::env::var_os("KUBEBUILDER_ASSETS") {
        return Ok(PathBuf::from(dir));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/build-envtest");
    let build_error = |message: String| EnvtestError::Build { script: script.display().to_string(), message };
    let output = Command::new(&script).stderr(Stdio::inherit()).output().map_err(|e| build_error(e.to_string()))?;
    if !output.status.success() {
        return Err(build_error(format!("exited with {}", output.status)));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
}

/// A plain HTTP/1.1 GET (for the operator's `/metrics`, `/healthz`, `/readyz`): the whole response, status
/// line and headers included.
pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> std::io::Result<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(response)
}

fn free_ports() -> Result<[u16; 3], EnvtestError> {
    let io = |source| EnvtestError::Io { what: "finding a free port".into(), source };
    // all three listeners are held at once so that they get distinct ports
    let listeners: Vec<TcpListener> =
        (0..3).map(|_| TcpListener::bind("127.0.0.1:0")).collect::<Result<_, _>>().map_err(io)?;
    let mut ports = [0; 3];
    for (port, listener) in ports.iter_mut().zip(&listeners) {
        *port = listener.local_addr().map_err(io)?.port();
    }
    Ok(ports)
}

fn spawn(command: &mut Command, log: &Path) -> Result<Child, EnvtestError> {
    let what = format!("starting {}", command.get_program().to_string_lossy());
    let file = std::fs::File::create(log).map_err(|source| EnvtestError::Io { what: what.clone(), source })?;
    let stderr = file.try_clone().map_err(|source| EnvtestError::Io { what: what.clone(), source })?;
    command.stdin(Stdio::null()).stdout(file).stderr(stderr);
    // SAFETY: prctl is async-signal-safe; the child dies with the thread that started it instead of
    // outliving a test run that was killed.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    command.spawn().map_err(|source| EnvtestError::Io { what, source })
}

fn generate_service_account_key(path: &Path) -> Result<(), EnvtestError> {
    let what = "generating the service-account key with openssl".to_string();
    let status = Command::new("openssl")
        .args(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out"])
        .arg(path)
        .stderr(Stdio::null())
        .status()
        .map_err(|source| EnvtestError::Io { what: what.clone(), source })?;
    if !status.success() {
        return Err(EnvtestError::Io { what, source: std::io::Error::other(format!("openssl exited with {status}")) });
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), EnvtestError> {
    std::fs::write(path, text)
        .map_err(|source| EnvtestError::Io { what: format!("writing {}", path.display()), source })
}

fn path_str(path: &Path) -> String {
    path.display().to_string()
}

fn log_tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// The API server's serving certificate is self-signed (generated in `--cert-dir`), so TLS verification is
/// off: the server is on loopback and lives for one test run.
fn kubeconfig_yaml(url: &str, token: &str) -> String {
    serde_json::json!({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{ "name": "envtest", "cluster": { "server": url, "insecure-skip-tls-verify": true } }],
        "users": [{ "name": "admin", "user": { "token": token } }],
        "contexts": [{ "name": "envtest", "context": { "cluster": "envtest", "user": "admin", "namespace": "default" } }],
        "current-context": "envtest",
    })
    .to_string()
}
