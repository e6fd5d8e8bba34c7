//! Money in the partner's currency across laptops: the exchange rates an admin keeps reach
//! every laptop through the real server, deals keep their currency on the way, and only an
//! admin changes a rate.

use super::*;

const ADMIN: &str = "admin@vendor.example";

#[test]
fn an_admins_exchange_rate_reaches_a_cams_laptop_and_converts_her_sums() {
    let server = Server::start();
    server.add_user(ADMIN, Role::Admin, None);
    server.add_user(CAM, Role::Cam, None);
    let url = server.url();
    let keyring = SecretService::start();
    let admin = Laptop::new(&keyring, ADMIN);
    let cam = Laptop::new(&keyring, CAM);

    // The CAM plans Acme in euros and closes a dollar deal on its account.
    add_acme(&cam);
    cam.ok(&["partner", "edit", "Acme", "--currency", "EUR"]);
    cam.ok(&[
        "plan",
        "set",
        "--partner",
        "Acme",
        "--year",
        "FY27",
        "--growth-arr",
        "100000",
    ]);
    cam.ok(&["account", "add", "Initech", "--partner", "Acme"]);
    cam.ok(&[
        "opp",
        "add",
        "--account",
        "Initech",
        "--name",
        "Dollar deal",
        "--segment",
        "smb",
        "--close",
        "2026-10-15",
        "--iacv",
        "10800",
        "--type",
        "add_on",
        "--stage",
        "closed_won",
        "--reason",
        "Partner-led proof of value",
        "--currency",
        "USD",
    ]);
    cam.login(&url, CAM);
    cam.sync();
    let actuals = cam.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(actuals.contains("No exchange rate for EUR"), "{actuals}");

    // A CAM does not keep the rates: refused on her laptop, before the server is asked.
    let refused = cam.run(&["rules", "rate", "EUR", "1.2"]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("only a program admin"), "{why}");

    admin.login(&url, ADMIN);
    admin.ok(&["rules", "rate", "EUR", "1.08", "--as-of", "2026-12-01"]);
    admin.sync();
    assert_eq!(
        server.strings("SELECT fields->>'currency' FROM records WHERE kind = 'exchange_rate'"),
        ["EUR"]
    );
    // The admin's laptop has the CAM's deal, in dollars, as she wrote it.
    let deals = admin.json(&["opp", "list"]);
    assert_eq!(deals[0]["opportunity"]["currency"], "USD");

    cam.sync();
    let rates = cam.json(&["rules", "list", "rates"]);
    assert_eq!(rates[0]["currency"], "EUR");
    assert_eq!(rates[0]["as_of"], "2026-12-01");
    let actuals = cam.ok(&["plan", "actuals", "--partner", "Acme", "--year", "FY27"]);
    assert!(
        actuals.contains("10,000.00 EUR of 100,000.00 EUR"),
        "$10,800 at 1.08 is €10,000: {actuals}"
    );
    assert!(
        actuals.contains("1 EUR = 1.08 USD (2026-12-01)"),
        "{actuals}"
    );
}
