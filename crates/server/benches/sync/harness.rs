//! What the benchmark runs against: a throwaway PostgreSQL (`cdesk_testkit::postgres`), the real
//! `cdesk-server serve` binary as a child process on 127.0.0.1 (a free port), and the users.
//!
//! The server runs as its own process, as in production: its own tokio runtime and allocator,
//! its own peak memory, and no sharing of threads with the clients being timed. It is stopped
//! with SIGTERM when the [`Server`] is dropped, and a watchdog shell stops it too if this process
//! dies without unwinding (the same pipe trick as the testkit's PostgreSQL).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use cdesk_protocol::Role;

/// Every bench user's password.
pub const PASSWORD: &str = "bench password 123";

/// The `cdesk-server` binary cargo built for this benchmark, in the same profile.
const SERVER_BIN: &str = env!("CARGO_BIN_EXE_cdesk-server");

pub struct Server {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    pub database_url: String,
    /// The server process (not the watchdog shell around it).
    pub pid: u32,
    watchdog: Child,
    stdin: Option<ChildStdin>,
}

impl Server {
    /// A fresh database on the testkit's PostgreSQL, and `cdesk-server serve` on it (which
    /// migrates first).
    pub fn start(db_connections: u32) -> Server {
        let database_url = cdesk_testkit::postgres::fresh_database();
        // `exec` keeps the pid: the shell forks once for the server, prints its pid, then waits
        // for this process's end of the pipe to close.
        let script = format!(
            "{} serve --log-json --listen 127.0.0.1:0 --db-connections {db_connections} & s=$!\n\
             echo $s\n\
             cat >/dev/null\n\
             kill -TERM $s 2>/dev/null; wait $s\n",
            shell_quote(SERVER_BIN)
        );
        let mut watchdog = Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("CDESK_DATABASE_URL", &database_url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn cdesk-server");
        let mut pid_line = String::new();
        BufReader::new(watchdog.stdout.take().expect("watchdog stdout"))
            .read_line(&mut pid_line)
            .expect("the server's pid");
        let pid: u32 = pid_line.trim().parse().expect("a pid");
        let stderr = watchdog.stderr.take().expect("server stderr");
        let mut lines = BufReader::new(stderr).lines();
        let mut log = String::new();
        let address = loop {
            let Some(Ok(line)) = lines.next() else {
                panic!("cdesk-server exited before serving:\n{log}");
            };
            log.push_str(&line);
            log.push('\n');
            if let Some(address) = serving_address(&line) {
                break address;
            }
        };
        // The server logs every request; keep draining so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
        Server {
            base: format!("http://{address}"),
            database_url,
            pid,
            stdin: watchdog.stdin.take(),
            watchdog,
        }
    }

    /// Peak and current resident memory of the server process.
    pub fn memory(&self) -> Memory {
        Memory::of(self.pid)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.watchdog.wait();
    }
}

/// `{"fields":{"message":"serving","address":"127.0.0.1:1234"},...}`
fn serving_address(line: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let fields = v.get("fields")?;
    (fields.get("message")?.as_str()? == "serving")
        .then(|| fields.get("address")?.as_str().map(str::to_string))
        .flatten()
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A user to create.
pub struct NewUser {
    pub email: String,
    pub role: Role,
}

/// Creates users through the server library's own `users::add` (what `cdesk-server user add`
/// calls), several at a time: each hashes a password with argon2.
pub fn create_users(database_url: &str, users: &[NewUser]) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let pool = cdesk_server::db::connect(database_url, 4)
            .await
            .expect("connect to the bench database");
        // Four at a time: each hash holds 19 MiB while it runs.
        for chunk in users.chunks(4) {
            let mut tasks = tokio::task::JoinSet::new();
            for u in chunk {
                let (pool, email, role) = (pool.clone(), u.email.clone(), u.role);
                tasks.spawn(async move {
                    cdesk_server::users::add(&pool, &email, role, None, PASSWORD)
                        .await
                        .unwrap_or_else(|e| panic!("add user {email}: {e}"));
                });
            }
            while let Some(done) = tasks.join_next().await {
                done.expect("user task");
            }
        }
        pool.close().await;
    });
}

/// Resident memory of a process, in MB (10^6 bytes; the kernel counts KiB).
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Memory {
    /// Peak resident set (VmHWM).
    pub peak_mb: f64,
    /// Resident set now (VmRSS).
    pub rss_mb: f64,
}

impl Memory {
    pub fn of(pid: u32) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_else(|e| panic!("read /proc/{pid}/status: {e}"));
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or_else(|| panic!("{key} in /proc/{pid}/status"))
        };
        Memory {
            peak_mb: kib("VmHWM:") * 1024.0 / 1e6,
            rss_mb: kib("VmRSS:") * 1024.0 / 1e6,
        }
    }
}

/// CPU time (user + system, all threads) a process has used so far, in seconds, from
/// `/proc/<pid>/stat`. On a shared machine wall times stretch with the load; CPU time does not
/// (much), so the report gives both.
pub fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .unwrap_or_else(|e| panic!("read /proc/{pid}/stat: {e}"));
    // `pid (comm) state ppid ...`: comm may hold spaces, so count from the last ')'. utime and
    // stime are fields 14 and 15, the 12th and 13th after it.
    let rest = &stat[stat.rfind(')').expect("a stat line") + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| -> f64 { fields[i].parse().expect("clock ticks") };
    (ticks(11) + ticks(12)) / clock_ticks_per_second()
}

/// CPU seconds used so far by each PostgreSQL backend serving `database_url`'s database (found
/// by the database name in their process titles, `postgres: <user> <db> <client> <state>`).
pub fn postgres_cpu(database_url: &str) -> std::collections::HashMap<u32, f64> {
    let db = database_url.rsplit('/').next().unwrap_or_default();
    let db = db.split('?').next().unwrap_or_default();
    let mut out = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
            continue;
        };
        let title = String::from_utf8_lossy(&cmdline);
        let ours = title.starts_with("postgres: ") && title.split_whitespace().nth(2) == Some(db);
        if ours {
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
                if stat.contains(')') {
                    out.insert(pid, cpu_seconds(pid));
                }
            }
        }
    }
    out
}

/// CPU seconds the backends used between two [`postgres_cpu`] snapshots (a backend that started
/// in between counts whole; one that ended in between is missed).
pub fn postgres_cpu_since(before: &std::collections::HashMap<u32, f64>, database_url: &str) -> f64 {
    postgres_cpu(database_url)
        .iter()
        .map(|(pid, now)| now - before.get(pid).copied().unwrap_or(0.0))
        .sum()
}

fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        command_line("getconf", &["CLK_TCK"])
            .and_then(|t| t.parse().ok())
            .unwrap_or(100.0)
    })
}

/// The 1-minute load average, from `/proc/loadavg`.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// `uptime`'s line, for the report.
pub fn uptime() -> String {
    command_line("uptime", &[]).unwrap_or_else(|| format!("load average {}", load_average()))
}

/// What the machine is, for the report.
pub fn machine() -> Vec<(String, String)> {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            let kib: f64 = s
                .lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let postgres = Command::new(cdesk_testkit_postgres_bin())
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    vec![
        ("cpu".into(), format!("{cpu} ({cores} cores)")),
        ("memory".into(), mem),
        (
            "kernel".into(),
            command_line("uname", &["-sr"]).unwrap_or_default(),
        ),
        (
            "rustc".into(),
            command_line("rustc", &["--version"]).unwrap_or_default(),
        ),
        ("postgres".into(), postgres),
    ]
}

/// `postgres` from the newest `/usr/lib/postgresql/*/bin`, as the testkit picks it.
fn cdesk_testkit_postgres_bin() -> String {
    if let Ok(dir) = std::env::var("CDESK_PG_BIN") {
        return format!("{dir}/postgres");
    }
    let mut versions: Vec<u32> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    versions.sort();
    versions.pop().map_or_else(
        || "postgres".to_string(),
        |v| format!("/usr/lib/postgresql/{v}/bin/postgres"),
    )
}

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Re-runs this benchmark binary with `args` (a child client, measured on its own), feeding it
/// nothing, reading one JSON line from its stdout; while the child waits on its stdin, `during`
/// looks at it (its `/proc/<pid>/status`). Returns the JSON and what `during` returned.
pub fn run_child<T>(
    args: &[String],
    timeout: Duration,
    during: impl FnOnce(u32) -> T,
) -> (serde_json::Value, T) {
    let exe = std::env::current_exe().expect("this executable's path");
    let mut child = Command::new(exe)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the child client");
    let start = Instant::now();
    let mut out = BufReader::new(child.stdout.take().expect("child stdout"));
    let mut line = String::new();
    out.read_line(&mut line).expect("the child's report");
    assert!(
        start.elapsed() < timeout,
        "the child client took {:?}",
        start.elapsed()
    );
    let report: serde_json::Value = serde_json::from_str(line.trim())
        .unwrap_or_else(|e| panic!("the child client reported {line:?}: {e}"));
    let seen = during(child.id());
    // Let it go: it exits when its stdin closes.
    let mut stdin = child.stdin.take().expect("child stdin");
    let _ = stdin.write_all(b"\n");
    drop(stdin);
    let mut rest = String::new();
    let _ = out.read_to_string(&mut rest);
    let status = child.wait().expect("wait for the child client");
    assert!(status.success(), "the child client failed: {status}");
    (report, seen)
}

/// One number from the bench database (for checks the clients cannot make).
pub fn query_count(database_url: &str, sql: &'static str) -> i64 {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let pool = cdesk_server::db::connect(database_url, 1)
            .await
            .expect("connect to the bench database");
        let n: i64 = sqlx::query_scalar(sql)
            .fetch_one(&pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        pool.close().await;
        n
    })
}

/// Assigns sales reps to partners through the server library (`cdesk-server assign`).
pub fn assign(database_url: &str, pairs: &[(String, String)]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let pool = cdesk_server::db::connect(database_url, 1)
            .await
            .expect("connect to the bench database");
        for (email, partner) in pairs {
            cdesk_server::admin::set_assignment(&pool, email, partner, true)
                .await
                .unwrap_or_else(|e| panic!("assign {email} to {partner}: {e}"));
        }
        pool.close().await;
    });
}
