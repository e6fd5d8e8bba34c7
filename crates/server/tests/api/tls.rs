//! `serve --tls-cert --tls-key`: HTTPS with rustls, spoken to by the real desktop client.

use crate::support::binary::{run, serve};
use crate::support::postgres::fresh_database;
use cdesk_protocol::LoginRequest;

/// A test CA and a certificate for `localhost` and 127.0.0.1 that it signed: (CA PEM, server
/// certificate PEM, server key PEM).
fn certificates() -> (String, String, String) {
    let ca = cdesk_testkit::tls::certificate_authority("Channel Desk test CA");
    (ca.ca_pem, ca.cert_pem, ca.key_pem)
}

#[tokio::test]
async fn serve_with_a_certificate_speaks_https_to_the_real_client() {
    let url = fresh_database();
    let db = ["--database-url", url.as_str()];
    let (ok, out) = run(
        &[
            &["user", "add", "--email", "cam@x.io", "--role", "cam"][..],
            &db,
        ]
        .concat(),
        "long enough pw\n",
    )
    .await;
    assert!(ok, "user add: {out}");
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = certificates();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert).unwrap();
    std::fs::write(&key_path, key).unwrap();

    let served = serve(
        &[
            &[
                "--tls-cert",
                cert_path.to_str().unwrap(),
                "--tls-key",
                key_path.to_str().unwrap(),
            ][..],
            &db,
        ]
        .concat(),
    )
    .await;
    let port = served.address.rsplit_once(':').unwrap().1.to_string();

    let signed_in = tokio::task::spawn_blocking(move || {
        let login = LoginRequest {
            email: "cam@x.io".into(),
            password: "long enough pw".into(),
            device_name: "laptop".into(),
        };
        // Without the CA the certificate is not trusted.
        let untrusting = cdesk_client::Api::new(&format!("https://localhost:{port}")).unwrap();
        let refused = untrusting.login(&login);
        // With it, the real client signs in and reads its conflicts over HTTPS.
        let api = cdesk_client::Api::with_ca(&format!("https://localhost:{port}"), ca.as_bytes())
            .unwrap();
        let tokens = api.login(&login).expect("sign in over HTTPS");
        let conflicts = api
            .conflicts(&tokens.access_token)
            .expect("conflicts over HTTPS");
        (
            refused.is_err(),
            tokens.user.email,
            conflicts.conflicts.len(),
        )
    })
    .await
    .unwrap();
    assert!(
        signed_in.0,
        "a client that does not trust the CA refuses the server"
    );
    assert_eq!(signed_in.1, "cam@x.io");
    assert_eq!(signed_in.2, 0);

    // Plain HTTP to the TLS port gets no HTTP answer.
    let plain = reqwest::Client::new()
        .get(format!("http://{}/health", served.address))
        .send()
        .await;
    assert!(
        plain.is_err() || !plain.unwrap().status().is_success(),
        "no plain HTTP on the HTTPS port"
    );
}

#[tokio::test]
async fn serve_refuses_a_key_that_does_not_match_the_certificate() {
    let url = fresh_database();
    let dir = tempfile::tempdir().unwrap();
    let (_, cert, _) = certificates();
    let (_, _, other_key) = certificates();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert).unwrap();
    std::fs::write(&key_path, other_key).unwrap();
    let (ok, out) = run(
        &[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &url,
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(!ok && out.contains("do not go together"), "{out}");
    let (ok, out) = run(
        &[
            "serve",
            "--database-url",
            &url,
            "--tls-cert",
            cert_path.to_str().unwrap(),
        ],
        "",
    )
    .await;
    assert!(
        !ok && out.contains("--tls-key"),
        "a certificate needs its key: {out}"
    );
}
