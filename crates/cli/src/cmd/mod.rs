//! One module per command group. Each parses its arguments into an `ops` input, calls the use
//! case, and prints the result as text or (with `--json`) JSON.

pub mod account;
pub mod backup;
pub mod cert;
pub mod compliance;
pub mod demo;
pub mod next_step;
pub mod note;
pub mod opp;
pub mod partner;
pub mod person;
pub mod plan;
pub mod rules;
pub mod search;
pub mod summary;
pub mod sync;
pub mod transfer;

use cdesk_core::time;

use crate::cli::{Cli, Command};
use crate::context::{self, Ctx};

/// Opens the database and runs the command (the Today summary when none is given).
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let today = match &cli.today {
        Some(text) => time::parse_date("today", text)?,
        None => time::today(),
    };
    let dir = context::data_dir(cli.data_dir.as_deref())?;
    // These work on the file itself, which may be the damaged one: no store is opened first.
    let db_path = context::database(&dir);
    match &cli.command {
        Some(Command::Restore(a)) => return backup::restore(&db_path, a, cli.json),
        Some(Command::Backup(backup::BackupArgs {
            command: Some(backup::BackupCmd::List),
        })) => return backup::list(&db_path, cli.json),
        _ => {}
    }
    let mut ctx = Ctx::open(&dir, today, cli.json)?;
    tracing::info!(data_dir = %dir.display(), %today, "running");
    match cli.command.unwrap_or(Command::Summary) {
        Command::Partner(c) => partner::run(&mut ctx, c),
        Command::Person(c) => person::run(&mut ctx, c),
        Command::Cert(c) => cert::run(&mut ctx, c),
        Command::Plan(c) => plan::run(&mut ctx, c),
        Command::Compliance(a) => compliance::run(&ctx, &a),
        Command::Account(c) => account::run(&mut ctx, c),
        Command::Opp(c) => opp::run(&mut ctx, c),
        Command::Note(c) => note::run(&mut ctx, c),
        Command::NextStep(c) => next_step::run(&mut ctx, c),
        Command::Overdue => next_step::overdue(&ctx),
        Command::Search(a) => search::run(&ctx, &a),
        Command::Summary => summary::run(&ctx),
        Command::Rules(c) => rules::run(&ctx, c),
        Command::Import(a) => transfer::import(&mut ctx, &a),
        Command::Export(a) => transfer::export(&ctx, &a),
        Command::Demo(a) => demo::run(&mut ctx, &a),
        Command::Login(a) => sync::login(&mut ctx, &a),
        Command::Logout => sync::logout(&mut ctx),
        Command::Sync(a) => sync::sync(&mut ctx, &a),
        Command::Status => sync::status(&ctx),
        Command::Conflicts(c) => sync::conflicts(&mut ctx, c),
        Command::Backup(_) => backup::backup_now(&ctx.store, ctx.json),
        Command::Restore(_) => unreachable!("restored before the store opened"),
    }
}

/// Splits `a;b;c` into exactly `n` trimmed parts (the last may be optional when `optional_last`),
/// or says what the value should look like.
pub fn split_fields<'a>(
    field: &str,
    text: &'a str,
    n: usize,
    optional_last: bool,
    shape: &str,
) -> cdesk_core::Result<Vec<&'a str>> {
    let parts: Vec<&str> = text.split(';').map(str::trim).collect();
    let ok = parts.len() == n || (optional_last && parts.len() == n - 1);
    if !ok {
        return Err(cdesk_core::CoreError::invalid(
            field,
            format!("{text:?} should look like {shape:?}"),
        ));
    }
    Ok(parts)
}
