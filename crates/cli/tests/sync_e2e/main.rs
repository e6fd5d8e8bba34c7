//! End-to-end sync: the real `cdesk` binary (and, for the property test, the client library)
//! against the real server running in this process on a real PostgreSQL, with the real keyring.
//!
//! The server runs on its own tokio runtime; [`Server::stop`] drops that runtime (every
//! connection and open database transaction is cut, as when the process dies) and
//! [`Server::restart`] starts a new one on the same port against the same database.

mod convergence;
mod faults;
mod model;
mod program;
mod rates;
mod recovery;
mod trust;
mod two_clients;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use cdesk_protocol::Role;
use cdesk_testkit::secret_service::SecretService;
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery";
pub const CAM: &str = "cam@vendor.example";

/// A runtime for one-off database work from the (synchronous) tests.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// The central server, in this process, restartable on the same port.
pub struct Server {
    db_url: String,
    addr: SocketAddr,
    rt: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// A fresh database and a server on a free port.
    pub fn start() -> Server {
        // The server's log, shown with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("cdesk_server=info")
            .with_test_writer()
            .try_init();
        let db_url = cdesk_testkit::postgres::fresh_database();
        block_on(async {
            let pool = cdesk_server::db::connect(&db_url, 2)
                .await
                .expect("connect");
            cdesk_server::db::migrate(&pool).await.expect("migrate");
            pool.close().await;
        });
        let (rt, addr) = Self::launch(&db_url, "127.0.0.1:0".parse().unwrap());
        Server {
            db_url,
            addr,
            rt: Some(rt),
        }
    }

    fn launch(db_url: &str, addr: SocketAddr) -> (tokio::runtime::Runtime, SocketAddr) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        let deadline = Instant::now() + Duration::from_secs(20);
        let (listener, pool) = rt.block_on(async {
            let pool = cdesk_server::db::connect(db_url, 10)
                .await
                .expect("connect");
            loop {
                let socket = tokio::net::TcpSocket::new_v4().expect("socket");
                socket.set_reuseaddr(true).expect("SO_REUSEADDR");
                match socket.bind(addr).and_then(|()| socket.listen(1024)) {
                    Ok(l) => break (l, pool),
                    // The old listener may take a moment to be closed by the dropped runtime.
                    Err(e) if Instant::now() < deadline => {
                        let _ = e;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => panic!("bind {addr}: {e}"),
                }
            }
        });
        let addr = listener.local_addr().expect("local addr");
        let app = cdesk_server::router(pool, cdesk_server::Settings::default());
        rt.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (rt, addr)
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The same server and database over HTTPS too, with the certificate and key (PEM files)
    /// given: `https://localhost:PORT`, served until the runtime returned is dropped.
    pub fn serve_tls(&self, cert: &Path, key: &Path) -> (tokio::runtime::Runtime, String) {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("TLS runtime");
        let config = cdesk_server::serve::tls_config(cert, key).expect("certificate and key");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().unwrap().port();
        let pool = rt.block_on(async { cdesk_server::db::connect(&self.db_url, 4).await.unwrap() });
        let app = cdesk_server::router(pool, cdesk_server::Settings::default());
        rt.spawn(cdesk_server::serve::serve(
            listener,
            app,
            Some(config),
            std::future::pending(),
        ));
        (rt, format!("https://localhost:{port}"))
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops abruptly: in-flight requests and their transactions are cut.
    pub fn stop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_timeout(Duration::from_secs(10));
        }
        // Nothing answers on the port any more. A worker busy past the shutdown's timeout (a
        // loaded machine) drops the listener when it next yields: wait for that, bounded.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect_timeout(&self.addr, Duration::from_millis(500)).is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the stopped server still accepts connections 30 s later"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts a new server on the same port and database (stopping the old one if running).
    pub fn restart(&mut self) {
        self.stop();
        let (rt, _) = Self::launch(&self.db_url, self.addr);
        self.rt = Some(rt);
    }

    /// The operator's nightly backup: a `pg_dump` of the server's database now.
    pub fn dump(&self) -> Vec<u8> {
        cdesk_testkit::postgres::dump_database(&self.db_url)
    }

    /// Restores `dump` into a new database, renews its epoch and restarts the server on it, on
    /// the same port: what the operator notes say to do after losing the database.
    pub fn restore(&mut self, dump: &[u8]) {
        self.stop();
        let db_url = cdesk_testkit::postgres::restore_database(dump);
        block_on(async {
            let pool = cdesk_server::db::connect(&db_url, 1).await.unwrap();
            cdesk_server::db::migrate(&pool).await.expect("migrate");
            cdesk_server::db::renew_epoch(&pool)
                .await
                .expect("renew epoch");
            pool.close().await;
        });
        self.db_url = db_url;
        self.restart();
    }

    pub fn add_user(&self, email: &str, role: Role, region: Option<&str>) {
        block_on(async {
            let pool = cdesk_server::db::connect(&self.db_url, 1).await.unwrap();
            cdesk_server::users::add(&pool, email, role, region, PASSWORD)
                .await
                .expect("add user");
            pool.close().await;
        });
    }

    /// The device names of every session signed in so far, oldest first.
    pub fn session_device_names(&self) -> Vec<String> {
        block_on(async {
            let pool = cdesk_server::db::connect(&self.db_url, 1).await.unwrap();
            let names =
                sqlx::query_scalar("SELECT device_name FROM token_families ORDER BY created_at")
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            pool.close().await;
            names
        })
    }

    /// The admin assigns the rep `email` to a partner, or takes the assignment away.
    pub fn assign(&self, email: &str, partner_id: &str, on: bool) {
        block_on(async {
            let pool = cdesk_server::db::connect(&self.db_url, 1).await.unwrap();
            cdesk_server::admin::set_assignment(&pool, email, partner_id, on)
                .await
                .expect("assign");
            pool.close().await;
        });
    }

    /// One text column from the server's database.
    pub fn strings(&self, sql: &str) -> Vec<String> {
        block_on(async {
            let pool = cdesk_server::db::connect(&self.db_url, 1).await.unwrap();
            let v: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_all(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            pool.close().await;
            v
        })
    }

    /// One number from the server's database.
    pub fn scalar(&self, sql: &str) -> i64 {
        block_on(async {
            let pool = cdesk_server::db::connect(&self.db_url, 1).await.unwrap();
            let v: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_one(&pool)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
            pool.close().await;
            v
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

/// One `--data-dir` profile of the real CLI ("a laptop"), using a given keyring.
pub struct Laptop {
    dir: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    author: String,
}

impl Laptop {
    pub fn new(keyring: &SecretService, author: &str) -> Laptop {
        Laptop {
            dir: tempfile::tempdir().unwrap(),
            env: keyring.env(),
            author: author.to_string(),
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("channel-desk.db")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_cdesk"));
        c.arg("--data-dir")
            .arg(self.dir())
            .args(args)
            .env("CDESK_AUTHOR", &self.author)
            .env_remove("CDESK_DATA_DIR")
            .env_remove("RUST_LOG")
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "cdesk {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    /// `cdesk login`, the password on stdin.
    pub fn login(&self, server: &str, email: &str) {
        let out = self.try_login(self.command(&["login", "--server", server, "--email", email]));
        assert!(
            out.status.success(),
            "login failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs a `cdesk login` command (made with [`Laptop::command`], perhaps with its own
    /// environment), the password on stdin.
    pub fn try_login(&self, mut login: Command) -> Output {
        use std::io::Write;
        let mut child = login.stdin(Stdio::piped()).spawn().unwrap();
        // A login refused before it reads the password may close stdin first.
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(format!("{PASSWORD}\n").as_bytes());
        child.wait_with_output().unwrap()
    }

    pub fn sync(&self) -> Value {
        self.json(&["sync"])
    }

    pub fn pending(&self) -> i64 {
        self.json(&["status"])["pending"]
            .as_i64()
            .expect("status has pending")
    }

    /// Partners and notes as the CLI lists them, without `updated_at`.
    pub fn snapshot(&self) -> (Value, Value) {
        let mut partners = self.json(&["partner", "list"]);
        let mut all = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let mut args = vec!["note", "list", "--limit", "500"];
            if let Some(b) = &before {
                args.extend(["--before", b.as_str()]);
            }
            let page = self.json(&args);
            all.extend(page["notes"].as_array().unwrap().iter().cloned());
            match page["next_before"].as_str() {
                Some(next) => before = Some(next.to_string()),
                None => break,
            }
        }
        let mut notes = Value::Array(all);
        strip(&mut partners, "updated_at");
        strip(&mut notes, "updated_at");
        sort_by_id(&mut partners);
        sort_by_id(&mut notes);
        (partners, notes)
    }

    /// The profile's database key, from its keyring.
    pub fn db_key(&self) -> cdesk_core::store::DbKey {
        let account = cdesk_client::database_key_account(&self.db_path())
            .unwrap()
            .expect("the database has a key id");
        let hex = cdesk_testkit::secret_service::secret_in(
            &self.env,
            cdesk_client::KEYRING_SERVICE,
            &account,
        )
        .expect("cdesk made the database key");
        cdesk_core::store::DbKey::from_hex(&hex).unwrap()
    }

    /// The profile's database, opened directly (under its key).
    pub fn store(&self) -> cdesk_core::store::Store {
        cdesk_core::store::Store::open_encrypted(&self.db_path(), &self.db_key()).unwrap()
    }

    /// The highest mutation id this profile ever made.
    pub fn mutations_made(&self) -> i64 {
        let conn = rusqlite::Connection::open(self.db_path()).unwrap();
        conn.pragma_update(
            None,
            "key",
            format!("x'{}'", self.db_key().to_hex().as_str()),
        )
        .unwrap();
        conn.query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    /// The bytes of every file in the data directory (database, WAL, config).
    pub fn all_bytes(&self) -> Vec<u8> {
        let mut all = Vec::new();
        for e in std::fs::read_dir(self.dir()).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                all.extend(std::fs::read(p).unwrap());
            }
        }
        all
    }
}

/// Copies every file of `from` into `to`, removing what `to` held: an OS backup of a profile
/// folder, or its restore.
pub fn copy_files(from: &Path, to: &Path) {
    for e in std::fs::read_dir(to).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::remove_file(p).unwrap();
        }
    }
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

pub fn strip(v: &mut Value, key: &str) {
    match v {
        Value::Object(m) => {
            m.remove(key);
            m.values_mut().for_each(|x| strip(x, key));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip(x, key)),
        _ => {}
    }
}

pub fn sort_by_id(v: &mut Value) {
    if let Value::Array(a) = v {
        a.sort_by(|x, y| x["id"].to_string().cmp(&y["id"].to_string()));
    }
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Waits for `cond` with a bounded timeout.
pub fn wait_for(what: &str, timeout: Duration, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Logs a call on Acme with the real CLI.
pub fn note_on_acme(l: &Laptop, title: &str, body: &str) {
    l.ok(&[
        "note",
        "add",
        "--partner",
        "Acme",
        "--title",
        title,
        "--body",
        body,
    ]);
}

/// Adds Acme (owned by [`CAM`], EMEA) on a laptop.
pub fn add_acme(l: &Laptop) {
    l.ok(&[
        "partner", "add", "Acme", "--type", "var_vad", "--track", "open", "--region", "emea",
        "--owner", CAM,
    ]);
}

/// One in-memory keyring shared by the sessions of one device, so each sync can start a new
/// session (new connections, a token refresh) like a new `cdesk sync` process does.
#[derive(Clone, Default)]
pub struct SharedSecrets(std::sync::Arc<cdesk_client::MemorySecrets>);

impl cdesk_client::SecretStore for SharedSecrets {
    fn get(&self, account: &str) -> Result<Option<String>, cdesk_client::SecretError> {
        self.0.get(account)
    }
    fn set(&self, account: &str, secret: &str) -> Result<(), cdesk_client::SecretError> {
        self.0.set(account, secret)
    }
    fn delete(&self, account: &str) -> Result<(), cdesk_client::SecretError> {
        self.0.delete(account)
    }
}

/// Signs in through `url`, keeping the refresh token in `secrets`.
pub fn sign_in(url: &str, email: &str, device: &str, secrets: &SharedSecrets) {
    cdesk_client::Session::sign_in(
        cdesk_client::Api::new(url).expect("server address"),
        email,
        PASSWORD,
        device,
        Box::new(secrets.clone()),
    )
    .expect("sign in");
}

/// A new session from the stored refresh token (it refreshes on first use).
pub fn resume(url: &str, email: &str, secrets: &SharedSecrets) -> cdesk_client::Session {
    cdesk_client::Session::resume(
        cdesk_client::Api::new(url).expect("server address"),
        email,
        Box::new(secrets.clone()),
    )
    .expect("signed in")
}
