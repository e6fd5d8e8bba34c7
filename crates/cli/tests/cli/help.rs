//! The help is the manual: every command shows an example.

use super::*;

#[test]
fn every_command_documents_an_example() {
    let commands: &[&[&str]] = &[
        &["partner", "add"],
        &["partner", "list"],
        &["partner", "show"],
        &["partner", "edit"],
        &["partner", "tick"],
        &["partner", "untick"],
        &["partner", "badge-grant"],
        &["partner", "badge-review"],
        &["partner", "badge-evidence"],
        &["partner", "phd-review"],
        &["person", "add"],
        &["person", "list"],
        &["cert", "add"],
        &["cert", "status"],
        &["cert", "list"],
        &["plan", "set"],
        &["plan", "status"],
        &["plan", "show"],
        &["plan", "export"],
        &["plan", "actuals"],
        &["compliance"],
        &["rollup"],
        &["calendar"],
        &["phd"],
        &["review"],
        &["account", "add"],
        &["account", "tier"],
        &["account", "edit"],
        &["account", "list"],
        &["opp", "add"],
        &["opp", "edit"],
        &["opp", "list"],
        &["note", "add"],
        &["note", "list"],
        &["note", "show"],
        &["note", "edit"],
        &["next-step", "add"],
        &["next-step", "chase"],
        &["next-step", "done"],
        &["next-step", "reopen"],
        &["next-step", "list"],
        &["search"],
        &["rules", "list"],
        &["import"],
        &["export"],
        &["demo"],
        &["backup"],
        &["backup", "list"],
        &["restore"],
        &["recovery-key"],
        &["recover"],
        &["nfr", "request"],
        &["nfr", "list"],
        &["rules", "put"],
        &["rules", "remove"],
        &["person", "curriculum"],
    ];
    for cmd in commands {
        let mut args = cmd.to_vec();
        args.push("--help");
        let help = Desk::new().ok(&args);
        assert!(
            help.contains("Example"),
            "cdesk {cmd:?} --help shows an example:\n{help}"
        );
    }
    let top = Desk::new().ok(&["--help"]);
    for part in [
        "Exit codes",
        "--data-dir",
        "--json",
        "--today",
        "CDESK_DATA_DIR",
        "Examples",
    ] {
        assert!(top.contains(part), "cdesk --help documents {part}");
    }
}
