//! `cdesk cert …`: the enablement plan's items.

use cdesk_core::domain::Person;
use cdesk_core::ops::{self, EnablementLine, EnablementStatusChange, NewEnablementItem};
use clap::{ArgGroup, Args, Subcommand};

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum CertCmd {
    /// Plan a certification (or curriculum module) for a person, or record one already earned
    #[command(after_help = "Examples:\n  \
cdesk cert add --partner Acme --person ana@acme.example --cert PSE --target 2027-03-31\n  \
cdesk cert add --partner Acme --person ana@acme.example --cert \"Sales Core\" \\\n        \
--status certified --completed 2026-10-01 --expires 2028-10-01\n  \
cdesk cert add --partner Acme --person ana@acme.example --module Pricing --target 2027-01-15")]
    Add(AddArgs),
    /// Change an item's status: planned, in_progress, certified (with --completed), lapsed
    #[command(after_help = "Examples:\n  \
cdesk cert status --partner Acme --person ana@acme.example --cert PSE certified --completed 2026-10-01\n  \
cdesk cert status --item 0192f… lapsed")]
    Status(StatusArgs),
    /// A partner's enablement plan: who, what, target, status
    #[command(after_help = "Example:\n  cdesk cert list --partner Acme")]
    List {
        #[arg(long)]
        partner: String,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("what").required(true).args(["cert", "module"])))]
pub struct AddArgs {
    /// Partner id or name
    #[arg(long)]
    pub partner: String,
    /// Person: email, name or id
    #[arg(long)]
    pub person: String,
    /// Certification id or name (sales-core, sales-pro, sa-core, pse)
    #[arg(long)]
    pub cert: Option<String>,
    /// Curriculum module id or title
    #[arg(long)]
    pub module: Option<String>,
    /// Target date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub target: Option<String>,
    /// planned (default), in_progress, certified, lapsed
    #[arg(long)]
    pub status: Option<String>,
    /// Completion date, for a certified item
    #[arg(long, value_name = "DATE")]
    pub completed: Option<String>,
    /// Expiry date of the certification
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("which").required(true).args(["item", "partner"])))]
pub struct StatusArgs {
    /// planned, in_progress, certified, lapsed
    pub status: String,
    /// The item's id (see `cert list --json`)
    #[arg(long, conflicts_with_all = ["partner", "person", "cert"])]
    pub item: Option<String>,
    /// Or name the item by partner, person and certification/module
    #[arg(long, requires_all = ["person", "cert"])]
    pub partner: Option<String>,
    #[arg(long)]
    pub person: Option<String>,
    /// Certification or module id or name
    #[arg(long)]
    pub cert: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub completed: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub expires: Option<String>,
}

pub fn run(ctx: &mut Ctx, cmd: CertCmd) -> anyhow::Result<()> {
    let item = match cmd {
        CertCmd::Add(a) => ops::plan_enablement(
            &mut ctx.store,
            &NewEnablementItem {
                partner: a.partner,
                person: a.person,
                certification: a.cert,
                module: a.module,
                target_date: a.target,
                status: a.status,
                completed_on: a.completed,
                expires_on: a.expires,
            },
            ctx.today,
        )?,
        CertCmd::Status(a) => {
            let id = match (a.item, a.partner, a.person, a.cert) {
                (Some(id), ..) => id,
                (None, Some(partner), Some(person), Some(cert)) => {
                    ops::find_enablement_item(ctx.store.read(), &partner, &person, &cert)?.id
                }
                _ => unreachable!("clap requires --item or --partner with --person and --cert"),
            };
            let change = EnablementStatusChange {
                item: id,
                status: a.status,
                completed_on: a.completed,
                expires_on: a.expires,
            };
            ops::set_enablement_status(&mut ctx.store, &change, ctx.today)?
        }
        CertCmd::List { partner } => {
            let lines = ops::enablement_plan(ctx.store.read(), &partner, ctx.today)?;
            if ctx.json {
                return output::json(&lines);
            }
            print_plan(&lines, &[])?;
            return Ok(());
        }
    };
    if ctx.json {
        return output::json(&item);
    }
    let target = item
        .target_date
        .map(|d| format!(", target {d}"))
        .unwrap_or_default();
    say!(
        "saved enablement item {} ({}{target})",
        item.id,
        item.status.label()
    );
    Ok(())
}

/// The enablement plan as a table; people without any item are listed after it.
pub fn print_plan(lines: &[EnablementLine], people: &[Person]) -> anyhow::Result<()> {
    let mut t = Table::new(&[
        "PERSON",
        "CERTIFICATION / MODULE",
        "TARGET",
        "STATUS",
        "COMPLETED",
        "EXPIRES",
    ]);
    for l in lines {
        t.row(vec![
            if l.person_email.is_empty() {
                l.person_name.clone()
            } else {
                format!("{} <{}>", l.person_name, l.person_email)
            },
            l.what.clone(),
            or_dash(l.item.target_date),
            l.effective_status.label().into(),
            or_dash(l.item.completed_on),
            or_dash(l.item.expires_on),
        ]);
    }
    t.print("  nothing planned yet")?;
    let idle: Vec<&str> = people
        .iter()
        .filter(|p| !lines.iter().any(|l| l.item.person_id == p.id))
        .map(|p| p.name.as_str())
        .collect();
    if !idle.is_empty() {
        say!("  with nothing planned: {}", idle.join(", "));
    }
    Ok(())
}
