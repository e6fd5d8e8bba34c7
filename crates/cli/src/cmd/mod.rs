//! One module per command group. Each parses its arguments into an `ops` input, calls the use
//! case, and prints the result as text or (with `--json`) JSON.

pub mod account;
pub mod backup;
pub mod calendar;
pub mod cert;
pub mod compliance;
pub mod demo;
pub mod next_step;
pub mod nfr;
pub mod note;
pub mod opp;
pub mod partner;
pub mod person;
pub mod phd;
pub mod plan;
pub mod review;
pub mod rollup;
pub mod rules;
pub mod search;
pub mod summary;
pub mod sync;
pub mod transfer;

use cdesk_core::time;

use crate::cli::{Cli, Command};
use crate::context::{self, Access, Ctx};

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
        Some(Command::RecoveryKey) => return backup::recovery_key(&db_path, cli.json),
        Some(Command::Recover) => return backup::recover(&db_path, cli.json),
        Some(Command::Backup(backup::BackupArgs {
            command: Some(backup::BackupCmd::List),
        })) => return backup::list(&db_path, cli.json),
        _ => {}
    }
    let command = cli.command.unwrap_or(Command::Summary {
        scope: None,
        person: std::env::var("CDESK_AUTHOR").ok(),
    });
    let access = access(&command);
    let mut ctx = Ctx::open(&dir, today, cli.json, access)?;
    tracing::info!(data_dir = %dir.display(), %today, "running");
    let done = dispatch(&mut ctx, command);
    match (done, access) {
        (Err(failed), Access::Read) => Err(context::check_after_failed_read(&dir, failed)),
        (done, _) => done,
    }
}

/// Whether a command only reads. Anything not named here may write, and is checked in full
/// before it runs (`Access::Write`); a command named here that tried to write would fail.
fn access(command: &Command) -> Access {
    use self::{
        account::AccountCmd, cert::CertCmd, next_step::NextStepCmd, nfr::NfrCmd, note::NoteCmd,
        opp::OppCmd, partner::PartnerCmd, person::PersonCmd, plan::PlanCmd, rules::RulesCmd,
    };
    let reads = match command {
        Command::Compliance(_)
        | Command::Overdue
        | Command::Rollup { .. }
        | Command::Review(_)
        | Command::Search(_)
        | Command::Summary { .. }
        | Command::Calendar { .. }
        | Command::Phd { .. }
        | Command::Rules(RulesCmd::List { .. })
        | Command::Nfr(NfrCmd::List { .. })
        | Command::Export(_)
        | Command::Status => true,
        Command::Partner(c) => matches!(c, PartnerCmd::List(_) | PartnerCmd::Show { .. }),
        Command::Person(c) => matches!(c, PersonCmd::List { .. } | PersonCmd::Curriculum { .. }),
        Command::Cert(c) => matches!(c, CertCmd::List { .. }),
        Command::Plan(c) => matches!(c, PlanCmd::Show { .. } | PlanCmd::Export { .. }),
        Command::Account(c) => matches!(c, AccountCmd::List { .. }),
        Command::Opp(c) => matches!(c, OppCmd::List { .. }),
        Command::Note(c) => matches!(c, NoteCmd::List { .. } | NoteCmd::Show { .. }),
        Command::NextStep(c) => matches!(c, NextStepCmd::List { .. }),
        _ => false,
    };
    if reads {
        Access::Read
    } else {
        Access::Write
    }
}

fn dispatch(ctx: &mut Ctx, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Partner(c) => partner::run(ctx, c),
        Command::Person(c) => person::run(ctx, c),
        Command::Cert(c) => cert::run(ctx, c),
        Command::Plan(c) => plan::run(ctx, c),
        Command::Compliance(a) => compliance::run(ctx, &a),
        Command::Account(c) => account::run(ctx, c),
        Command::Opp(c) => opp::run(ctx, c),
        Command::Note(c) => note::run(ctx, c),
        Command::NextStep(c) => next_step::run(ctx, c),
        Command::Overdue => next_step::overdue(ctx),
        Command::Rollup {
            year,
            scope,
            partners,
        } => rollup::run(ctx, year, scope.map(Into::into), partners),
        Command::Review(a) => review::run(ctx, &a),
        Command::Search(a) => search::run(ctx, &a),
        Command::Summary { scope, person } => summary::run(ctx, scope.map(Into::into), person),
        Command::Phd { scope, person } => phd::run(ctx, scope.map(Into::into), person),
        Command::Calendar { out, scope, person } => {
            calendar::run(ctx, out.as_deref(), scope.map(Into::into), person)
        }
        Command::Rules(c) => rules::run(ctx, c),
        Command::Nfr(c) => nfr::run(ctx, c),
        Command::Import(a) => transfer::import(ctx, &a),
        Command::Export(a) => transfer::export(ctx, &a),
        Command::Demo(a) => demo::run(ctx, &a),
        Command::Login(a) => sync::login(ctx, &a),
        Command::Logout => sync::logout(ctx),
        Command::Sync(a) => sync::sync(ctx, &a),
        Command::Status => sync::status(ctx),
        Command::Conflicts(c) => sync::conflicts(ctx, c),
        Command::Backup(_) => backup::backup_now(&ctx.store, ctx.json),
        Command::Restore(_) | Command::RecoveryKey | Command::Recover => {
            unreachable!("run before the store opened")
        }
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
