//! Signing in: a server whose certificate comes from a company CA (`cdesk login --ca-file`),
//! and the name this device goes by in the server's sessions.

use super::*;

fn login_with(l: &Laptop, args: &[&str]) -> Output {
    l.try_login(l.command(&[&["login"][..], args].concat()))
}

#[test]
fn a_server_with_a_company_ca_is_trusted_once_its_certificate_is_given_and_for_later_syncs() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let dir = tempfile::tempdir().unwrap();
    let cdesk_testkit::tls::TestCa {
        ca_pem: ca,
        cert_pem: cert,
        key_pem: key,
    } = cdesk_testkit::tls::certificate_authority("Vendor Corp internal CA");
    let path = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let (ca_file, cert_file, key_file) = (
        path("corp-ca.pem", &ca),
        path("cert.pem", &cert),
        path("key.pem", &key),
    );
    let not_a_cert = path("notes.txt", "remember the milk\n");
    let (_tls, url) = server.serve_tls(cert_file.as_ref(), key_file.as_ref());
    let keyring = SecretService::start();
    let laptop = Laptop::new(&keyring, CAM);
    add_acme(&laptop);

    // Without the CA the certificate is not trusted, and the error says what to do.
    let out = login_with(&laptop, &["--server", &url, "--email", CAM]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "an unknown CA is refused");
    assert!(
        err.contains("certificate is not trusted") && err.contains("--ca-file"),
        "{err}"
    );
    // A file that holds no certificate is refused naming the file, before the password.
    let out = login_with(
        &laptop,
        &["--server", &url, "--email", CAM, "--ca-file", &not_a_cert],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("notes.txt") && err.contains("no certificate"),
        "{err}"
    );

    // With it: signed in, and later syncs (new processes) trust it without being told again.
    let out = login_with(
        &laptop,
        &["--server", &url, "--email", CAM, "--ca-file", &ca_file],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    note_on_acme(&laptop, "Over HTTPS", "notes");
    let report = laptop.sync();
    assert_eq!(report["pushed"], 2, "the partner and the note: {report}");
    // Signing in again to the same server keeps the CA.
    assert!(login_with(&laptop, &["--server", &url, "--email", CAM])
        .status
        .success());
    assert_eq!(laptop.sync()["pushed"], 0);

    // The server has the note: a second laptop, given the CA, pulls it.
    let other_keyring = SecretService::start();
    let desktop = Laptop::new(&other_keyring, CAM);
    assert!(login_with(
        &desktop,
        &["--server", &url, "--email", CAM, "--ca-file", &ca_file]
    )
    .status
    .success());
    desktop.sync();
    let (_, notes) = desktop.snapshot();
    let titles: Vec<String> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles, ["Over HTTPS"]);

    // Signing out forgets the CA with the account.
    laptop.ok(&["logout"]);
    let out = login_with(&laptop, &["--server", &url, "--email", CAM]);
    assert!(!out.status.success(), "the CA went with the sign-out");
}

#[test]
fn a_device_is_named_by_the_computers_own_name_unless_given_one() {
    let server = Server::start();
    server.add_user(CAM, Role::Cam, None);
    let keyring = SecretService::start();
    let laptop = Laptop::new(&keyring, CAM);
    laptop.login(&server.url(), CAM);
    let mut named = laptop.command(&["login", "--server", &server.url(), "--email", CAM]);
    named.args(["--device-name", "Ana's travel laptop"]);
    assert!(laptop.try_login(named).status.success());
    let os_name = cdesk_client::profile::device_name();
    assert!(!os_name.trim().is_empty());
    assert_eq!(
        server.session_device_names(),
        [os_name, "Ana's travel laptop".to_string()]
    );
}
