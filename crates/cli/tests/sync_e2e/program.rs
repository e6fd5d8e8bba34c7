//! The program's workflows across laptops, through the real server: an admin's new rules row
//! changes a CAM's compliance, a CAM's is refused on her laptop; an NFR licence a CAM asks for
//! reaches the admin (the help desk), whose verification and sending reach the CAM.

use super::*;

const ADMIN: &str = "admin@vendor.example";

#[test]
fn an_admins_new_requirement_reaches_a_cam_and_her_nfr_request_comes_back_sent() {
    let server = Server::start();
    server.add_user(ADMIN, Role::Admin, None);
    server.add_user(CAM, Role::Cam, None);
    let url = server.url();
    let keyring = SecretService::start();
    let admin = Laptop::new(&keyring, ADMIN);
    let cam = Laptop::new(&keyring, CAM);
    add_acme(&cam);
    cam.ok(&[
        "person",
        "add",
        "--partner",
        "Acme",
        "--name",
        "Ana Lima",
        "--email",
        "ana@acme.example",
    ]);
    cam.login(&url, CAM);
    admin.login(&url, ADMIN);

    // A CAM adds no rules row: refused on her laptop, before the server is asked.
    let pse = r#"{"track":"open","certification_id":"pse","count":1}"#;
    let refused = cam.run(&["rules", "put", "track-requirement", pse]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("only a program admin"));
    let needs = |l: &Laptop| -> Vec<String> {
        let report = l.json(&["compliance", "--partner", "Acme"]);
        report[0]["track"]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["certification_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(!needs(&cam).contains(&"pse".to_string()));

    // The admin adds it; the CAM's Acme now needs a PSE.
    let saved = admin.json(&["rules", "put", "track-requirement", pse]);
    assert_eq!(saved["table"], "track_requirement");
    admin.sync();
    cam.sync();
    assert!(
        needs(&cam).contains(&"pse".to_string()),
        "{:?}",
        needs(&cam)
    );

    // The CAM asks for an NFR licence; the help desk (the admin) has it after a sync.
    let asked = cam.json(&[
        "nfr",
        "request",
        "Acme",
        "--contact",
        "Ana Lima",
        "--email",
        "ana@acme.example",
        "--seats",
        "5",
        "--purpose",
        "demo lab",
    ]);
    assert_eq!(asked["request"]["requested_by"], CAM);
    assert_eq!(asked["eligibility"]["eligible"], true);
    assert!(
        asked["eligibility"]["encouragement"]
            .as_str()
            .unwrap()
            .contains("Solution Architect Core"),
        "no certification yet: SA Core is encouraged"
    );
    let id = asked["request"]["id"].as_str().unwrap().to_string();
    cam.sync();
    assert_eq!(
        server.strings("SELECT fields->>'status' FROM records WHERE kind = 'nfr_request'"),
        ["requested"]
    );
    admin.sync();
    admin.ok(&["nfr", "verify", &id]);
    admin.ok(&["nfr", "sent", &id]);
    admin.sync();
    cam.sync();
    let listed = cam.json(&["nfr", "list", "Acme"]);
    assert_eq!(listed[0]["request"]["status"], "sent");

    // And the removed requirement is gone from her laptop too.
    let rule = saved["row"]["id"].as_str().unwrap();
    admin.ok(&["rules", "remove", "track-requirement", rule]);
    admin.sync();
    cam.sync();
    assert!(!needs(&cam).contains(&"pse".to_string()));
}
