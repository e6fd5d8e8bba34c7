//! `cdesk backup [list]` and `cdesk restore`: the local backups in `backups/` beside the
//! database (cdesk_core::store::backup). A backup is also taken at start once a day.

use std::path::{Path, PathBuf};

use cdesk_core::store::{self, BackupInfo, Store, KEEP_BACKUPS};
use clap::{Args, Subcommand};

use crate::output::{self, Table};
use crate::say;

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  cdesk backup          # a backup now\n  cdesk backup list\n\n\
Backups go to the backups/ folder beside the database. cdesk and the desktop app also take one\n\
at start when the newest is a day old; the newest 7 are kept."
)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub command: Option<BackupCmd>,
}

#[derive(Debug, Subcommand)]
pub enum BackupCmd {
    /// The backups, newest first
    #[command(
        after_help = "Examples:\n  cdesk backup list\n  cdesk backup list --json | jq -r '.[0].path'"
    )]
    List,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  cdesk restore --latest\n  \
cdesk restore ~/.local/share/app.channeldesk.desktop/backups/channel-desk-20261123T090000000Z.db\n\n\
The backup is checked first; a damaged one is refused and nothing changes. The current database\n\
is kept in the backups folder as channel-desk-replaced-<time>.db (restore that file to undo).\n\
The restored database syncs as a new device: changes it had not pushed are pushed, and what was\n\
synced since the backup is pulled again. Close the desktop app first.")]
pub struct RestoreArgs {
    /// The backup file to restore
    #[arg(required_unless_present = "latest", conflicts_with = "latest")]
    pub file: Option<PathBuf>,
    /// Restore the newest backup
    #[arg(long)]
    pub latest: bool,
}

/// `cdesk backup`: a backup now.
pub fn backup_now(store: &Store, json: bool) -> anyhow::Result<()> {
    let made = store.backup_now()?;
    if json {
        return output::json(&made);
    }
    say!("Backed up to {}", made.path);
    Ok(())
}

/// `cdesk backup list` (the database need not open: it may be the damaged one).
pub fn list(db_path: &Path, json: bool) -> anyhow::Result<()> {
    let backups = store::list_backups(db_path)?;
    if json {
        return output::json(&backups);
    }
    let mut table = Table::new(&["Taken (UTC)", "Size", "File"]);
    for b in &backups {
        table.row(vec![
            b.taken_at.0.format("%Y-%m-%d %H:%M").to_string(),
            size(b),
            b.path.clone(),
        ]);
    }
    table.print(&format!(
        "No backups yet in {} (cdesk backup takes one).",
        store::backup_dir(db_path).display()
    ))?;
    if !backups.is_empty() {
        say!("The newest {KEEP_BACKUPS} are kept.");
    }
    Ok(())
}

fn size(b: &BackupInfo) -> String {
    let kb = b.size_bytes.div_ceil(1024);
    if kb < 1024 {
        format!("{kb} KB")
    } else {
        format!("{:.1} MB", kb as f64 / 1024.0)
    }
}

/// `cdesk restore`: runs before the database is opened (it may be the damaged one).
pub fn restore(db_path: &Path, a: &RestoreArgs, json: bool) -> anyhow::Result<()> {
    // clap requires a file or --latest, never both.
    let from = match &a.file {
        Some(file) => file.clone(),
        None => PathBuf::from(store::latest_backup(db_path)?.path),
    };
    let key = crate::context::database_key(db_path)?;
    let report = store::restore_encrypted(db_path, &from, &key)?;
    if json {
        return output::json(&report);
    }
    say!(
        "Restored {} from {}",
        db_path.display(),
        report.restored_from
    );
    if let Some(kept) = &report.replaced_kept_at {
        say!("The database it replaced is kept as {kept}");
    }
    say!("This copy syncs as a new device; run `cdesk sync` to catch up with the server.");
    Ok(())
}

/// `cdesk recovery-key`: the database's key as a recovery code, to keep somewhere safe.
pub fn recovery_key(db_path: &Path, json: bool) -> anyhow::Result<()> {
    let key = crate::context::database_key(db_path)?;
    let code = key.recovery_code();
    if json {
        return output::json(&serde_json::json!({ "recovery_key": code.as_str() }));
    }
    say!("Recovery key of {}:", db_path.display());
    say!("");
    say!("  {}", code.as_str());
    say!("");
    say!("Keep it where only you can reach it (printed, or in a password manager). With it,");
    say!("`cdesk recover` opens this database and its backups on another computer, or here");
    say!("after the keyring lost its key. Anyone who has it and the file can read them.");
    Ok(())
}

/// `cdesk recover`: the recovery code from stdin opens the database, and its key is kept in
/// the keyring again.
pub fn recover(db_path: &Path, json: bool) -> anyhow::Result<()> {
    use std::io::Read;
    let mut typed = zeroize::Zeroizing::new(String::new());
    std::io::stdin().read_to_string(&mut typed)?;
    cdesk_client::self_check(&cdesk_client::KeyringSecrets)?;
    cdesk_client::recover_database_key(&cdesk_client::KeyringSecrets, db_path, &typed)?;
    if json {
        return output::json(&serde_json::json!({ "recovered": db_path.display().to_string() }));
    }
    say!(
        "The recovery key opens {}; its key is in the keyring again.",
        db_path.display()
    );
    Ok(())
}
