//! The `cdesk-server` binary: migrate, user add / disable, assign, serve.

use crate::support::binary::{run, serve};
use crate::support::postgres::fresh_database;

#[tokio::test]
async fn the_binary_manages_users_and_assignments_and_serves() {
    let url = fresh_database();
    let db = ["--database-url", url.as_str()];
    let (ok, out) = run(&[&["migrate"][..], &db].concat(), "").await;
    assert!(ok, "migrate: {out}");

    let add = |email: &'static str, role: &'static str, region: Option<&'static str>| {
        let mut args = vec!["user", "add", "--email", email, "--role", role];
        if let Some(r) = region {
            args.extend(["--region", r]);
        }
        args.extend(db);
        args
    };
    let (ok, out) = run(&add("boss@x.io", "manager", None), "long enough pw\n").await;
    assert!(
        !ok && out.contains("region"),
        "a manager needs a region: {out}"
    );
    let (ok, out) = run(
        &add("boss@x.io", "manager", Some("emea")),
        "long enough pw\n",
    )
    .await;
    assert!(ok, "user add: {out}");
    let (ok, out) = run(&add("rep@x.io", "rep", None), "long enough pw\n").await;
    assert!(ok, "user add: {out}");
    let (ok, out) = run(&add("short@x.io", "rep", None), "short\n").await;
    assert!(!ok && out.contains("8 characters"), "{out}");

    let (ok, out) = run(
        &[
            &["assign", "--email", "rep@x.io", "--partner", "p1"][..],
            &db,
        ]
        .concat(),
        "",
    )
    .await;
    assert!(ok, "assign: {out}");
    let (ok, out) = run(
        &[
            &["assign", "--email", "boss@x.io", "--partner", "p1"][..],
            &db,
        ]
        .concat(),
        "",
    )
    .await;
    assert!(!ok && out.contains("only sales reps"), "{out}");
    let pool = cdesk_server::db::connect(&url, 2).await.unwrap();
    let assigned: Vec<String> = sqlx::query_scalar("SELECT partner_id FROM assignments")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(assigned, ["p1"]);

    // serve: find the address in the JSON log, then sign in over HTTP.
    let served = serve(&db).await;
    let address = served.address.clone();
    let http = reqwest::Client::new();
    let health = http
        .get(format!("http://{address}/health"))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    let login = http
        .post(format!("http://{address}/v1/auth/login"))
        .json(&serde_json::json!({"email": "boss@x.io", "password": "long enough pw"}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), reqwest::StatusCode::OK);

    let (ok, out) = run(
        &[&["user", "disable", "--email", "boss@x.io"][..], &db].concat(),
        "",
    )
    .await;
    assert!(ok, "disable: {out}");
    let login = http
        .post(format!("http://{address}/v1/auth/login"))
        .json(&serde_json::json!({"email": "boss@x.io", "password": "long enough pw"}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), reqwest::StatusCode::UNAUTHORIZED);
    drop(served);
}
