//! The typed IPC contract: every command and event, exported as TypeScript to
//! `ui/src/lib/bindings.ts`. Regenerate after changing a command or a type that crosses IPC:
//!
//! ```sh
//! scripts/generate-bindings.sh   # = CDESK_WRITE_BINDINGS=1 cargo test -p channel-desk bindings
//! ```
//!
//! The test [`tests::committed_bindings_are_fresh`] fails while the committed file differs
//! from what the Rust types say.

use std::path::{Path, PathBuf};

use specta_typescript::Typescript;
use tauri::Wry;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::*;
use crate::events::{DataChanged, SyncFinished, SyncStarted};

/// Where the UI imports the bindings from.
pub fn bindings_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

/// Every command and event the UI may use.
pub fn builder() -> Builder<Wry> {
    Builder::<Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::database_checked,
            app::vocabulary,
            app::load_demo_data,
            partners::list_partners,
            partners::partner_lines,
            partners::partner_detail,
            partners::create_partner,
            partners::update_partner,
            partners::set_capabilities,
            partners::grant_badge,
            partners::record_badge_review,
            partners::record_badge_evidence,
            partners::record_phd_review,
            partners::phd_reviews,
            enablement::add_person,
            enablement::plan_enablement,
            enablement::set_enablement_status,
            plans::get_plan,
            plans::plan_actuals,
            plans::save_plan,
            plans::set_plan_status,
            plans::export_plan,
            export::show_in_folder,
            review::partner_review,
            review::export_review,
            selling::list_accounts,
            selling::account_lines,
            selling::update_account,
            selling::create_account,
            selling::set_account_tier,
            selling::list_opportunities,
            selling::create_opportunity,
            selling::update_opportunity,
            notes::log_note,
            notes::update_note,
            notes::list_notes,
            notes::get_note,
            notes::list_next_steps,
            notes::add_next_step,
            notes::set_next_step_done,
            notes::request_update,
            today::today_digest,
            today::rollup,
            today::export_calendar,
            search::search,
            import::preview_import,
            import::run_import,
            drafts::save_draft,
            drafts::get_draft,
            drafts::discard_draft,
            rules::rule_book,
            rules::set_r7_threshold,
            rules::set_exchange_rate,
            rules::remove_exchange_rate,
            rules::put_rule,
            rules::remove_rule,
            nfr::nfr_requests,
            nfr::nfr_precheck,
            nfr::request_nfr,
            nfr::set_nfr_status,
            nfr::curriculum_progress,
            sync::sync_overview,
            sync::sign_in,
            sync::sign_out,
            sync::sync_now,
            sync::list_conflicts,
            sync::resolve_conflict,
            sync::rejected_changes,
            sync::dismiss_rejected,
            sync::unapplied_changes,
            backups::list_backups,
            backups::backup_now,
            backups::restore_backup,
        ])
        .events(collect_events![SyncFinished, SyncStarted, DataChanged])
        // Every 64-bit integer that crosses IPC is a count or an amount in cents, far below
        // 2^53, so a JavaScript number holds it exactly.
        .dangerously_cast_bigints_to_number()
        // One TypeScript type per Rust type: the UI sends back what it got (a form starts from
        // a record), so separate read and write shapes would only add casts.
        .disable_serde_phases()
}

/// The bindings as TypeScript text.
pub fn render() -> String {
    let dir = std::env::temp_dir().join(format!("cdesk-bindings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("bindings.ts");
    builder()
        .export(
            Typescript::default().header("// Generated from the Rust commands by tauri-specta: do not edit.\n// Regenerate with scripts/generate-bindings.sh.\n"),
            &file,
        )
        .expect("the commands' types export to TypeScript");
    let text = std::fs::read_to_string(&file).expect("the exported bindings");
    let _ = std::fs::remove_dir_all(&dir);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_bindings_are_fresh() {
        let fresh = render();
        let path = bindings_path();
        if std::env::var_os("CDESK_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &fresh).expect("write the bindings");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "{} is stale: run scripts/generate-bindings.sh and commit the result",
            path.display()
        );
    }

    #[test]
    fn every_command_has_a_permission_in_the_capability() {
        let capability = include_str!("../capabilities/main.json");
        let build = include_str!("../build.rs");
        let rendered = render();
        for line in rendered.lines() {
            let Some(start) = line.find("TAURI_INVOKE(\"") else {
                continue;
            };
            let rest = &line[start + "TAURI_INVOKE(\"".len()..];
            let name = &rest[..rest.find('"').unwrap()];
            let permission = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(
                capability.contains(&permission),
                "capabilities/main.json must grant {permission}"
            );
            assert!(
                build.contains(&format!("\"{name}\"")),
                "build.rs must declare {name} in the app manifest"
            );
        }
    }
}
