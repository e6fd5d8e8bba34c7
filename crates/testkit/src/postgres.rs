//! A throwaway PostgreSQL server for the tests: `initdb` into a temp dir, `postgres` on
//! 127.0.0.1 with a free port and its socket inside the temp dir, one per test binary.
//!
//! PostgreSQL refuses to run as root; tests run as root in CI, so then every PostgreSQL command
//! runs through `runuser -u postgres --` (the Debian `postgresql` package creates that user) and
//! the temp dir is handed to it.
//!
//! Clean-up does not rely on destructors (a `static` is never dropped): postgres runs under a
//! small shell that holds the read end of a pipe from this process. When the test process exits
//! however it exits, the pipe closes, and the shell stops postgres (fast shutdown of its process
//! group) and removes the temp dir.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

pub struct Postgres {
    pub port: u16,
    dir: PathBuf,
    /// Closing this ends the watchdog shell, which stops postgres and removes `dir`.
    stdin: Mutex<Option<ChildStdin>>,
    child: Mutex<Child>,
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// The directory holding `initdb` and `postgres`: on PATH, or the newest
/// `/usr/lib/postgresql/*/bin`.
fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("CDESK_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => bin,
        None => {
            for dir in std::env::var("PATH").unwrap_or_default().split(':') {
                if Path::new(dir).join("initdb").exists() {
                    return PathBuf::from(dir);
                }
            }
            panic!(
                "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): \
                 install the Debian package `postgresql`, or set CDESK_PG_BIN"
            )
        }
    }
}

/// A command, run as `postgres` when we are root.
fn pg_command(program: &Path) -> Command {
    if running_as_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

impl Postgres {
    fn start() -> Postgres {
        let bin = bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("cdesk-pg-")
            .tempdir()
            .expect("temp dir")
            .keep();
        let data = dir.join("data");
        let sockets = dir.join("sockets");
        std::fs::create_dir_all(&sockets).expect("socket dir");
        if running_as_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .expect("chown");
            assert!(status.success(), "chown the temp dir to postgres");
        }
        let out = pg_command(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
            .current_dir(&dir)
            .output()
            .expect("run initdb");
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );

        // A port taken between our probe and postgres's bind makes postgres exit: try again.
        for _ in 0..5 {
            let port = free_port();
            let run_as = if running_as_root() {
                "runuser -u postgres -- "
            } else {
                ""
            };
            let script = format!(
                "{run_as}{} -D {data} -p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 \
                 -c shared_buffers=128MB \
                 & pg=$!\n\
                 cat >/dev/null\n\
                 kill -INT \"$(head -n 1 {data}/postmaster.pid)\" 2>/dev/null; wait $pg\n\
                 rm -rf {}\n",
                shell_quote(&bin.join("postgres").to_string_lossy()),
                shell_quote(&sockets.to_string_lossy()),
                shell_quote(&dir.to_string_lossy()),
                data = shell_quote(&data.to_string_lossy()),
            );
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(script)
                .current_dir(&dir)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .process_group(0)
                .spawn()
                .expect("spawn postgres");
            let stderr = child.stderr.take().expect("postgres stderr");
            let mut lines = BufReader::new(stderr).lines();
            let mut log = String::new();
            let ready = loop {
                match lines.next() {
                    Some(Ok(line)) => {
                        let ready = line.contains("ready to accept connections");
                        log.push_str(&line);
                        log.push('\n');
                        if ready {
                            break true;
                        }
                    }
                    _ => break false,
                }
            };
            if ready {
                // Keep draining the log so postgres never blocks on a full pipe.
                std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
                return Postgres {
                    port,
                    dir,
                    stdin: Mutex::new(child.stdin.take()),
                    child: Mutex::new(child),
                };
            }
            drop(child.stdin.take());
            let _ = child.wait();
            if !log.contains("could not bind") && !log.contains("in use") {
                panic!("postgres did not start:\n{log}");
            }
        }
        panic!("postgres found no free port");
    }

    /// A URL of the `postgres` maintenance database.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates an empty database (with `createdb` over TCP, as the `postgres` superuser).
    pub fn create_database(&self, name: &str) {
        let status = pg_command(&bin_dir().join("createdb"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                name,
            ])
            .status()
            .expect("run createdb");
        assert!(status.success(), "createdb {name} failed: {status}");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Ok(mut stdin) = self.stdin.lock() {
            if let Some(mut s) = stdin.take() {
                let _ = s.flush();
            }
        }
        if let Ok(mut child) = self.child.lock() {
            let _ = child.wait();
        }
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The test binary's one PostgreSQL server, started on first use.
pub fn shared() -> &'static Postgres {
    static PG: OnceLock<Postgres> = OnceLock::new();
    PG.get_or_init(Postgres::start)
}

/// A fresh, empty database on the shared server; returns its URL.
pub fn fresh_database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let pg = shared();
    let name = format!(
        "test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    pg.create_database(&name);
    pg.url(&name)
}

/// A `pg_dump` (custom format) of the database at `url`: an operator's nightly backup.
pub fn dump_database(url: &str) -> Vec<u8> {
    let out = pg_command(&bin_dir().join("pg_dump"))
        .args(["--format=custom", "--no-owner", "--dbname", url])
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Restores a [`dump_database`] into a fresh database on the shared server; returns its URL.
pub fn restore_database(dump: &[u8]) -> String {
    use std::io::Write;
    let url = fresh_database();
    let mut child = pg_command(&bin_dir().join("pg_restore"))
        .args(["--no-owner", "--exit-on-error", "--dbname", &url])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run pg_restore");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dump)
        .expect("feed pg_restore");
    let out = child.wait_with_output().expect("pg_restore");
    assert!(
        out.status.success(),
        "pg_restore failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    url
}
