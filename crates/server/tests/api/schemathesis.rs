//! Schemathesis (property-based API testing from `/openapi.json`) against the real binary: no
//! request it makes up may get a server error. Needs the `schemathesis` command; `make test-api`
//! (scripts/test-schemathesis.sh) installs it in a virtualenv and runs this test.

use std::time::Duration;

use crate::support::binary::{run, serve};
use crate::support::postgres::fresh_database;

#[tokio::test]
#[ignore = "needs schemathesis: run `make test-api`"]
async fn schemathesis_finds_no_server_error() {
    let schemathesis =
        std::env::var("CDESK_SCHEMATHESIS").unwrap_or_else(|_| "schemathesis".into());
    let examples = std::env::var("CDESK_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "60".into());
    // A fixed seed keeps CI reproducible; set another to explore.
    let seed = std::env::var("CDESK_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".into());
    let url = fresh_database();
    let db = ["--database-url", url.as_str()];
    let (ok, out) = run(
        &[
            &["user", "add", "--email", "admin@x.io", "--role", "admin"][..],
            &db,
        ]
        .concat(),
        "long enough pw\n",
    )
    .await;
    assert!(ok, "user add: {out}");
    // Generous limits: schemathesis sends thousands of requests as one user, and its wrong
    // passwords must not block the sign-in below.
    let served = serve(
        &[
            &[
                "--rate-limit-per-sec",
                "0",
                "--login-failures-per-ip",
                "1000000",
            ][..],
            &db,
        ]
        .concat(),
    )
    .await;
    let base = format!("http://{}", served.address);
    let http = reqwest::Client::new();
    let tokens: serde_json::Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&serde_json::json!({"email": "admin@x.io", "password": "long enough pw"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("tokens");
    let access = tokens["access_token"].as_str().expect("an access token");

    // Schemathesis keeps caches in its working directory: not in the source tree.
    let workdir = tempfile::tempdir().expect("a working directory");
    let run = tokio::process::Command::new(&schemathesis)
        .current_dir(workdir.path())
        .args([
            "run",
            &format!("{base}/openapi.json"),
            "--checks",
            "not_a_server_error",
            "--max-examples",
            &examples,
            "--header",
            &format!("Authorization: Bearer {access}"),
            "--seed",
            &seed,
            "--no-color",
            // No example database in the source tree: every run is the seed's.
            "--generation-database",
            "none",
        ])
        .env("SCHEMATHESIS_HOOKS", "")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .expect("schemathesis finishes within 10 minutes")
        .unwrap_or_else(|e| panic!("running {schemathesis}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
    println!("{report}");
}
