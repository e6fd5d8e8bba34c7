//! The server side of the desktop end-to-end tests: a throwaway PostgreSQL, the real
//! `cdesk-server` on a free loopback port with the given users, and a real Secret Service for
//! the app's keyring. Prints one JSON line (the server URL and the keyring's environment), then
//! runs until its standard input closes, so it never outlives the test that started it.
//!
//! Usage (built by `cargo test --workspace`, as an example):
//! `cdesk-e2e-stack CDESK_SERVER_BIN PASSWORD EMAIL:ROLE[:REGION]...`

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cdesk_testkit::postgres;
use cdesk_testkit::secret_service::SecretService;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [server_bin, password, users @ ..] = args.as_slice() else {
        eprintln!("usage: cdesk-e2e-stack CDESK_SERVER_BIN PASSWORD EMAIL:ROLE[:REGION]...");
        std::process::exit(2);
    };
    let database_url = postgres::fresh_database();

    // Our standard output carries the one JSON line: the server's own messages go elsewhere.
    run(Command::new(server_bin).args(["migrate", "--database-url", &database_url]));
    for user in users {
        let mut parts = user.split(':');
        let (Some(email), Some(role)) = (parts.next(), parts.next()) else {
            panic!("a user is EMAIL:ROLE[:REGION], not {user:?}");
        };
        let mut add = Command::new(server_bin);
        add.args(["user", "add", "--database-url", &database_url])
            .args(["--email", email, "--role", role]);
        if let Some(region) = parts.next() {
            add.args(["--region", region]);
        }
        add.stdin(Stdio::piped()).stdout(Stdio::null());
        let mut child = add.spawn().expect("run cdesk-server user add");
        writeln!(child.stdin.take().expect("piped"), "{password}").expect("password");
        let status = child.wait().expect("cdesk-server user add");
        assert!(status.success(), "cdesk-server user add {email}: {status}");
    }

    let addr: SocketAddr = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1");
    let mut server = Command::new(server_bin)
        .args(["serve", "--database-url", &database_url])
        .args(["--listen", &addr.to_string()])
        .stdout(Stdio::null())
        .spawn()
        .expect("run cdesk-server serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = server.try_wait() {
            panic!("cdesk-server serve exited: {status}");
        }
        assert!(
            Instant::now() < deadline,
            "cdesk-server did not listen on {addr}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let keyring = SecretService::start();
    let env: Vec<String> = keyring
        .env()
        .into_iter()
        .map(|(k, v)| format!("{}:{}", json_string(k), json_string(&v)))
        .collect();
    println!(
        "{{\"server\":{},\"env\":{{{}}}}}",
        json_string(&format!("http://{addr}")),
        env.join(",")
    );
    std::io::stdout().flush().expect("stdout");

    // Until the test closes our input (or dies, which closes it too).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    let _ = server.kill();
    let _ = server.wait();
    drop(keyring);
}

fn run(cmd: &mut Command) {
    let status = cmd
        .stdout(Stdio::null())
        .status()
        .expect("run cdesk-server");
    assert!(status.success(), "{cmd:?}: {status}");
}

/// A JSON string literal (the values here are URLs and paths: no control characters).
fn json_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
