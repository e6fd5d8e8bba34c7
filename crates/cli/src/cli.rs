//! The command line: global options and the command groups (each defined in `cmd/`).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cmd;

const ABOUT: &str = "Channel Desk from a terminal: partners, enablement plans, business plans \
and R7 co-selling notes, on the same local database as the desktop app.";

const AFTER_HELP: &str = "\
With no command, cdesk prints the Today summary.

Output:
  Tables for people by default; --json prints JSON on stdout for every command, for scripts.
  Records are named by id or by name (partners, accounts, opportunities), people by email.

Errors:
  Printed to stderr as `error: <message>`, the message naming the field at fault. With --json,
  a line {\"error\":{\"code\":..,\"message\":..}} follows on stderr.
  Exit codes: 0 success, 2 invalid input or usage (a bad date, an unknown partner, a
  duplicate), 1 anything else (database or file trouble).

Environment:
  CDESK_DATA_DIR   the data directory (as --data-dir)
  CDESK_AUTHOR     the author of notes you log (default: $USER)
  RUST_LOG         log filter, e.g. RUST_LOG=cdesk_core=debug (overrides -v)
  NO_COLOR         no bold search highlights even on a terminal

Examples:
  cdesk partner add Acme --type var_vad --track select --region emea --owner cam@vendor.example
  cdesk person add --partner Acme --name \"Ana Lima\" --email ana@acme.example
  cdesk cert add --partner Acme --person ana@acme.example --cert PSE --target 2027-03-31
  cdesk compliance --gaps
  cdesk note add --partner Acme --title \"QBR\" --body-file notes.md --via-partner \\
        --next-step \"Send SOW;ana@acme.example;2026-12-01\"
  cdesk overdue --json | jq '.[].step.description'
  cdesk search '\"pitch deck\" -lost'
  cdesk plan export --partner Acme --year FY27 --format html --out acme-fy27.html
  cdesk import partners partners.csv --preview";

#[derive(Debug, Parser)]
#[command(name = "cdesk", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Data directory holding channel-desk.db [default: the platform's local data folder +
    /// /app.channeldesk.desktop, shared with the desktop app]
    #[arg(long, global = true, env = "CDESK_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Print machine-readable JSON (every command)
    #[arg(long, global = true)]
    pub json: bool,

    /// Pin "today" (YYYY-MM-DD) for overdue, compliance and review dates; for scripts and tests
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<String>,

    /// More log output on stderr (-v info, -vv debug, -vvv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Partners: add, list, show, edit, journey capabilities, badges, PHD review
    #[command(subcommand)]
    Partner(cmd::partner::PartnerCmd),
    /// People at a partner (the key people of the enablement plan)
    #[command(subcommand)]
    Person(cmd::person::PersonCmd),
    /// Enablement plan items: plan or record certifications and modules, update their status
    #[command(subcommand)]
    Cert(cmd::cert::CertCmd),
    /// Business plans: set fields, status, show, export as Markdown or HTML
    #[command(subcommand)]
    Plan(cmd::plan::PlanCmd),
    /// Track and badge compliance: required vs certified, missing, when the plan closes gaps
    Compliance(cmd::compliance::ComplianceArgs),
    /// Accounts (customers and prospects) and their tiers
    #[command(subcommand)]
    Account(cmd::account::AccountCmd),
    /// Opportunities with their R7 checks (command plan, pitch deck)
    #[command(subcommand)]
    Opp(cmd::opp::OppCmd),
    /// Call notes with their next steps
    #[command(subcommand)]
    Note(cmd::note::NoteCmd),
    /// Next steps: add, mark done, reopen, list
    #[command(subcommand)]
    NextStep(cmd::next_step::NextStepCmd),
    /// Open next steps past their due date (the channel manager chases these)
    Overdue,
    /// A manager's roll-up per CAM: partners, compliance gaps, plans agreed, closed-won ARR
    /// against the plans' targets, open pipeline, overdue partner tasks
    #[command(
        after_help = "Examples:\n  cdesk rollup\n  cdesk rollup --year FY27 --scope everyone \
--partners\n\nThe scope is the team (the manager's region from sign-in) unless told."
    )]
    Rollup {
        /// Fiscal year: 2027, FY27 or FY2027 (default: the current one)
        #[arg(long, value_parser = cmd::plan::parse_year)]
        year: Option<i32>,
        /// team (default) or everyone; mine for a CAM's own partners
        #[arg(long, value_enum)]
        scope: Option<ScopeArg>,
        /// List each CAM's partners beneath
        #[arg(long)]
        partners: bool,
    },
    /// The partner review (QBR) of a quarter, as an HTML page or a PDF to send the partner
    #[command(
        after_help = "Examples:\n  cdesk review Acme --out acme-q3.pdf\n  cdesk review Acme \
--quarter \"Q2 FY27\" --format html > acme-q2.html\n\nIt shows the fiscal year's plan against \
actuals, compliance and when its gaps close, the quarter's won and lost deals with their \
reasons, open next steps and the quarter's notes."
    )]
    Review(cmd::review::ReviewArgs),
    /// Full-text search over partners, notes, plans and next steps
    Search(cmd::search::SearchArgs),
    /// The Today view: overdue steps, gaps, reviews, pipeline, R7 flags, recent notes
    #[command(
        after_help = "Examples:\n  cdesk summary\n  cdesk summary --scope team\n\nThe scope is \
mine once someone signed in on this profile, everyone before."
    )]
    Summary {
        /// Whose work: mine, team (my region's partners) or everyone
        #[arg(long, value_enum)]
        scope: Option<ScopeArg>,
        /// Who "mine" is (default: this profile's person, as for notes)
        #[arg(long = "as", env = "CDESK_AUTHOR", value_name = "PERSON")]
        person: Option<String>,
    },
    /// The PHD reviews due: onboarding partners weekly, Open monthly (middle Friday), a third
    /// of the Select partners each month
    #[command(
        after_help = "Examples:\n  cdesk phd\n  cdesk phd --scope everyone --json\n\nRecord one \
with `cdesk partner phd-review PARTNER --on DATE --note TEXT`. The scope is as for `cdesk \
summary`."
    )]
    Phd {
        /// Whose partners: mine, team (my region's partners) or everyone
        #[arg(long, value_enum)]
        scope: Option<ScopeArg>,
        /// Who "mine" is (default: this profile's person, as for notes)
        #[arg(long = "as", env = "CDESK_AUTHOR", value_name = "PERSON")]
        person: Option<String>,
    },
    /// The dates to work to as an iCalendar file: next steps, badge evidence and reviews, grace
    /// ending, certification targets and expiries
    #[command(
        after_help = "Examples:\n  cdesk calendar --out channel-desk.ics\n  cdesk calendar \
--scope team > team.ics\n\nOne all-day event per date; importing a newer file updates the same \
events. The scope is as for `cdesk summary`."
    )]
    Calendar {
        /// Write to this file (default: standard output)
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
        /// Whose work: mine, team (my region's partners) or everyone
        #[arg(long, value_enum)]
        scope: Option<ScopeArg>,
        /// Who "mine" is (default: this profile's person, as for notes)
        #[arg(long = "as", env = "CDESK_AUTHOR", value_name = "PERSON")]
        person: Option<String>,
    },
    /// NFR licence requests: ask for one for a partner; the help desk verifies, sends or refuses
    #[command(subcommand)]
    Nfr(cmd::nfr::NfrCmd),
    /// The program's rules tables (certifications, requirements, badges, R7, journey, curriculum)
    #[command(subcommand)]
    Rules(cmd::rules::RulesCmd),
    /// Import a CSV file of partners, people (with certifications) or opportunities
    Import(cmd::transfer::ImportArgs),
    /// Export partners, people or opportunities as CSV
    Export(cmd::transfer::ExportArgs),
    /// Fill an empty database with realistic demo data
    Demo(cmd::demo::DemoArgs),
    /// Sign in to the central server (password from stdin; the token goes to the OS keyring)
    Login(cmd::sync::LoginArgs),
    /// Sign out: revoke the session and forget the token (local changes are kept)
    Logout,
    /// Push local changes and pull everyone else's (once, or --watch)
    Sync(cmd::sync::SyncArgs),
    /// Sync status: pending changes, last success, last error, conflicts, rejected changes
    Status,
    /// Conflicts between your changes and others': list and resolve
    #[command(subcommand)]
    Conflicts(cmd::sync::ConflictsCmd),
    /// Back up the database now, or list the backups (one is also taken daily at start)
    Backup(cmd::backup::BackupArgs),
    /// Put a backup in place of the database (the current file is kept aside)
    Restore(cmd::backup::RestoreArgs),
    /// Show this database's recovery key: keep it (printed, or in a password manager) to open
    /// the database and its backups on another computer or after the keyring lost its key
    #[command(
        name = "recovery-key",
        after_help = "Example:\n  cdesk recovery-key\n\nAnyone who has the recovery key and the \
database file (or a backup) can read them."
    )]
    RecoveryKey,
    /// Open this database with its recovery key (read from stdin) and keep its key in the
    /// keyring again: on a new computer, or after the keyring lost it
    #[command(
        after_help = "Example:\n  cdesk --data-dir ~/moved-desk recover < recovery-key.txt\n\nThe key \
must open the database: nothing is written otherwise."
    )]
    Recover,
}

/// Whose work `cdesk summary` covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Mine,
    Team,
    Everyone,
}

impl From<ScopeArg> for cdesk_core::ops::Scope {
    fn from(s: ScopeArg) -> Self {
        match s {
            ScopeArg::Mine => cdesk_core::ops::Scope::Mine,
            ScopeArg::Team => cdesk_core::ops::Scope::Team,
            ScopeArg::Everyone => cdesk_core::ops::Scope::Everyone,
        }
    }
}
