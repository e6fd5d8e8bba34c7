// Declares the app's own commands so Tauri generates a permission for each (`allow-<name>`):
// without this list every command would be callable from any window (tauri-apps/tauri#9008).
// A test in src/bindings.rs checks the list against the registered commands.
const COMMANDS: &[&str] = &[
    "app_info",
    "vocabulary",
    "load_demo_data",
    "list_partners",
    "partner_detail",
    "create_partner",
    "update_partner",
    "set_capabilities",
    "grant_badge",
    "record_badge_review",
    "set_last_phd_review",
    "add_person",
    "plan_enablement",
    "set_enablement_status",
    "get_plan",
    "save_plan",
    "set_plan_status",
    "export_plan",
    "list_accounts",
    "create_account",
    "set_account_tier",
    "list_opportunities",
    "create_opportunity",
    "update_opportunity",
    "log_note",
    "update_note",
    "list_notes",
    "get_note",
    "list_next_steps",
    "add_next_step",
    "set_next_step_done",
    "today_digest",
    "search",
    "preview_import",
    "run_import",
    "save_draft",
    "get_draft",
    "discard_draft",
    "rule_book",
    "set_track_requirement_count",
    "set_badge_requirement_count",
    "set_r7_threshold",
    "sync_overview",
    "sign_in",
    "sign_out",
    "sync_now",
    "list_conflicts",
    "resolve_conflict",
    "rejected_changes",
    "dismiss_rejected",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
