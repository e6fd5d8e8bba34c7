//! `cdesk login | logout | sync | status | conflicts`: the central server.
//!
//! The server and account are remembered in the database; the refresh token only in the OS
//! keyring (Secret Service on Linux). The password is read from stdin, never from arguments.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context as _};
use cdesk_client::{Api, KeyringSecrets, Scheduler, Session};
use cdesk_core::sync::{sync_once, SyncOptions, SyncReport};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::context::Ctx;
use crate::output::{self, Table};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk login --server https://desk.example.com --email ana@vendor.example\n  \
printf '%s\\n' \"$PASSWORD\" | cdesk login --server https://desk.example.com --email ana@vendor.example\n\n\
The password is read from stdin (hidden when typed at a terminal). Plain http:// is accepted only\n\
for a server on this computer. The refresh token is kept in the OS keyring, never on disk.\n\
The server's certificate must be signed by an authority this computer trusts; for a company CA,\n\
give its certificate once with --ca-file (the profile keeps it for later syncs)."
)]
pub struct LoginArgs {
    /// The server, e.g. https://desk.example.com
    #[arg(long)]
    pub server: String,
    /// Your account's email
    #[arg(long)]
    pub email: String,
    /// A name for this device in the server's sessions list [default: the computer's name,
    /// as its OS gives it]
    #[arg(long)]
    pub device_name: Option<String>,
    /// A CA certificate (PEM, one or a bundle) to trust for this server beside the computer's
    /// own authorities: a company CA. Kept in the profile for later syncs [default: the one
    /// given before, when signing in to the same server again]
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk sync\n  cdesk sync --watch     # keep syncing: every minute, with back-off after failures"
)]
pub struct SyncArgs {
    /// Keep running: sync every minute, and after failures with growing delays
    #[arg(long)]
    pub watch: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsCmd {
    /// Open conflicts: fields two people changed without seeing each other's change
    #[command(after_help = "Example:\n  cdesk conflicts list")]
    List,
    /// Resolve a conflict with one of its two values, or a merged one
    #[command(
        after_help = "Examples:\n  cdesk conflicts resolve 0193… --keep written\n  \
cdesk conflicts resolve 0193… --keep overwritten\n  cdesk conflicts resolve 0193… --value '\"merged text\"'"
    )]
    Resolve(ResolveArgs),
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The conflict's id (from `cdesk conflicts list`)
    pub id: String,
    /// Keep the value that won (`written`) or the one it replaced (`overwritten`)
    #[arg(long, value_parser = ["written", "overwritten"], conflicts_with = "value")]
    pub keep: Option<String>,
    /// A JSON value to write instead (e.g. a merge of both)
    #[arg(long)]
    pub value: Option<String>,
}

fn read_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ")?
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    if password.is_empty() {
        bail!("password: none given on stdin");
    }
    Ok(password)
}

/// The signed-in session of this database.
fn session(ctx: &Ctx) -> anyhow::Result<Session> {
    let (server, email) = ctx
        .store
        .read()
        .sync_account()?
        .context("not signed in: run `cdesk login --server URL --email EMAIL` first")?;
    let ca = ctx.store.read().server_ca()?;
    let api = Api::connect(&server, ca.as_deref())?;
    Ok(Session::resume(api, &email, Box::new(KeyringSecrets))?)
}

/// The CA to trust at sign-in: the file given, else the one kept for the same server.
fn login_ca(ctx: &Ctx, a: &LoginArgs) -> anyhow::Result<Option<String>> {
    let given = match &a.ca_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("--ca-file {}: cannot read it", path.display()))?,
        ),
        None => None,
    };
    let kept = ctx.store.read().kept_server_ca()?;
    let ca = cdesk_client::sign_in_ca(
        &a.server,
        given.as_deref(),
        kept.as_ref().map(|(s, p)| (s.as_str(), p.as_str())),
    );
    match (&a.ca_file, ca) {
        (Some(path), Err(e)) => Err(e).with_context(|| format!("--ca-file {}", path.display())),
        (_, ca) => Ok(ca?),
    }
}

pub fn login(ctx: &mut Ctx, a: &LoginArgs) -> anyhow::Result<()> {
    // Before the password and the server: this profile may hold another person's data.
    ctx.store.read().check_profile_for(&a.email)?;
    let ca = login_ca(ctx, a)?;
    let api = Api::connect(&a.server, ca.as_deref())?;
    let password = read_password()?;
    let device = a
        .device_name
        .clone()
        .unwrap_or_else(cdesk_client::profile::device_name);
    let session = Session::sign_in(api, &a.email, &password, &device, Box::new(KeyringSecrets))?;
    ctx.store
        .set_sync_account(Some((session.server(), session.email())))?;
    ctx.store.set_server_ca(ca.as_deref())?;
    let user = session.user().cloned();
    ctx.store
        .set_profile_region(user.as_ref().and_then(|u| u.region.as_deref()))?;
    ctx.store.set_profile_role(user.as_ref().map(|u| u.role))?;
    if ctx.json {
        return output::json(&serde_json::json!({ "server": session.server(), "user": user }));
    }
    let role = user
        .map(|u| format!(" ({:?})", u.role).to_lowercase())
        .unwrap_or_default();
    println!(
        "Signed in to {} as {}{role}.",
        session.server(),
        session.email()
    );
    Ok(())
}

pub fn logout(ctx: &mut Ctx) -> anyhow::Result<()> {
    let Some((server, email)) = ctx.store.read().sync_account()? else {
        println!("Not signed in.");
        return Ok(());
    };
    let ca = ctx.store.read().server_ca()?;
    match Session::resume(
        Api::connect(&server, ca.as_deref())?,
        &email,
        Box::new(KeyringSecrets),
    ) {
        Ok(session) => session.sign_out()?,
        Err(cdesk_client::SessionError::SignedOut { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    ctx.store.set_sync_account(None)?;
    ctx.store.set_server_ca(None)?;
    let pending = ctx.store.read().sync_status()?.pending;
    if !ctx.json {
        println!("Signed out of {server}.");
        if pending > 0 {
            println!("{pending} local change(s) are kept and will sync after you sign in again.");
        }
    }
    Ok(())
}

/// One sync, then a fresh copy of the server's open conflicts.
fn sync_and_refresh(
    ctx: &mut Ctx,
    session: &mut Session,
) -> Result<SyncReport, cdesk_core::sync::SyncError> {
    let report = sync_once(&mut ctx.store, session, SyncOptions::default())?;
    let conflicts = session.conflicts()?;
    ctx.store.replace_conflicts(&conflicts)?;
    Ok(report)
}

pub fn sync(ctx: &mut Ctx, a: &SyncArgs) -> anyhow::Result<()> {
    let mut session = session(ctx)?;
    if !a.watch {
        let report = sync_and_refresh(ctx, &mut session)?;
        return print_report(ctx, &report);
    }
    let (_keep_open, triggers) = std::sync::mpsc::channel();
    let json = ctx.json;
    Scheduler::default().run(
        &triggers,
        || sync_and_refresh(ctx, &mut session),
        |result, wait| match result {
            Ok(r) if json => println!("{}", serde_json::to_string(r).unwrap_or_default()),
            Ok(r) => println!(
                "synced: {} pushed, {} pulled, {} rejected, {} conflicts; next in {}s",
                r.pushed,
                r.pulled,
                r.rejected,
                r.conflicts,
                wait.as_secs()
            ),
            Err(e) => eprintln!("sync failed: {e}; retrying in {}s", wait.as_secs()),
        },
    );
    Ok(())
}

fn print_report(ctx: &Ctx, r: &SyncReport) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(r);
    }
    println!(
        "Synced: {} change(s) pushed ({} new, {} already there, {} rejected), {} pulled.",
        r.pushed, r.applied, r.duplicates, r.rejected, r.pulled
    );
    if r.conflicts > 0 {
        println!(
            "{} new conflict(s): see `cdesk conflicts list`.",
            r.conflicts
        );
    }
    if r.rejected > 0 {
        println!("Some changes were refused by the server and undone here: see `cdesk status`.");
    }
    if r.new_device {
        println!(
            "The server's record of this computer's changes differed from this database (it was \
             restored from a backup or copied, or the server was): it now syncs as a new device."
        );
    }
    if r.restored_to_server > 0 {
        println!(
            "{} record(s) the server had lost were sent to it again from here.",
            r.restored_to_server
        );
    }
    if r.not_applied > 0 {
        println!(
            "{} change(s) from the server could not be stored here and are kept aside: see \
             `cdesk status`.",
            r.not_applied
        );
    }
    Ok(())
}

#[derive(Serialize)]
struct StatusView {
    server: Option<String>,
    email: Option<String>,
    #[serde(flatten)]
    status: cdesk_core::store::SyncStatus,
    rejected_changes: Vec<cdesk_core::store::RejectedChange>,
    unapplied_changes: Vec<cdesk_core::store::UnappliedChange>,
}

pub fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let r = ctx.store.read();
    let account = r.sync_account()?;
    let view = StatusView {
        server: account.as_ref().map(|a| a.0.clone()),
        email: account.as_ref().map(|a| a.1.clone()),
        status: r.sync_status()?,
        rejected_changes: r.rejected_changes()?,
        unapplied_changes: r.unapplied_changes()?,
    };
    if ctx.json {
        return output::json(&view);
    }
    match (&view.server, &view.email) {
        (Some(s), Some(e)) => println!("Signed in to {s} as {e}."),
        _ => println!("Not signed in: changes stay on this computer until you sign in."),
    }
    let s = &view.status;
    println!("Pending changes:    {}", s.pending);
    println!(
        "Last successful:    {}",
        s.last_success_at.as_deref().unwrap_or("never")
    );
    if let Some(e) = &s.last_error {
        println!("Last error:         {e}");
    }
    println!("Open conflicts:     {}", s.open_conflicts);
    println!("Rejected changes:   {}", s.rejected);
    if !view.rejected_changes.is_empty() {
        let mut t = Table::new(&["MUTATION", "RECORD", "CODE", "WHY"]);
        for c in &view.rejected_changes {
            t.row(vec![
                c.mutation_id.to_string(),
                format!("{} {}", c.entity.replace('_', " "), c.entity_id),
                c.code.clone(),
                c.message.clone(),
            ]);
        }
        t.print("")?;
    }
    println!("Not applied here:   {}", s.unapplied);
    if !view.unapplied_changes.is_empty() {
        let mut t = Table::new(&["RECORD", "SINCE", "WHY"]);
        for c in &view.unapplied_changes {
            t.row(vec![
                format!("{} {}", c.entity.replace('_', " "), c.entity_id),
                c.first_failed_at.clone(),
                c.reason.clone(),
            ]);
        }
        t.print("")?;
    }
    Ok(())
}

pub fn conflicts(ctx: &mut Ctx, c: ConflictsCmd) -> anyhow::Result<()> {
    match c {
        ConflictsCmd::List => {
            // Fresh from the server when reachable; else what the last sync saw.
            let fresh = session(ctx).and_then(|mut s| Ok(s.conflicts()?));
            let list = match fresh {
                Ok(list) => {
                    ctx.store.replace_conflicts(&list)?;
                    list
                }
                Err(e) => {
                    tracing::warn!(error = %e, "showing the conflicts of the last sync");
                    ctx.store.read().open_conflicts()?
                }
            };
            if ctx.json {
                return output::json(&list);
            }
            let mut t = Table::new(&[
                "ID",
                "RECORD",
                "FIELD",
                "WON (WRITTEN BY)",
                "REPLACED (WRITTEN BY)",
            ]);
            for c in &list {
                t.row(vec![
                    c.id.clone(),
                    format!("{} {}", c.entity.replace('_', " "), c.entity_id),
                    c.field.clone(),
                    format!("{} ({})", c.written_value, c.written_by),
                    format!("{} ({})", c.overwritten_value, c.overwritten_by),
                ]);
            }
            t.print("No open conflicts.")?;
            Ok(())
        }
        ConflictsCmd::Resolve(a) => {
            let mut session = session(ctx)?;
            let open = session.conflicts()?;
            let conflict = open
                .iter()
                .find(|c| c.id == a.id)
                .with_context(|| format!("no open conflict with id {}", a.id))?;
            let value = match (a.keep.as_deref(), &a.value) {
                (Some("written"), _) => conflict.written_value.clone(),
                (Some(_), _) => conflict.overwritten_value.clone(),
                (None, Some(text)) => serde_json::from_str(text).with_context(|| {
                    format!("--value: {text:?} is not JSON (quote text: '\"like this\"')")
                })?,
                (None, None) => {
                    bail!("say which value to keep: --keep written|overwritten, or --value JSON")
                }
            };
            session.resolve_conflict(&a.id, value)?;
            // Pull the resolution in right away.
            let report = sync_and_refresh(ctx, &mut session)?;
            if ctx.json {
                return output::json(&report);
            }
            println!("Resolved. The chosen value syncs to everyone like any change.");
            Ok(())
        }
    }
}
