//! `cdesk next-step …` and `cdesk overdue`.

use cdesk_core::ops::{self, NewNextStep, NewStandaloneNextStep, NextStepLine, NextStepQuery};
use clap::{ArgGroup, Subcommand};

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum NextStepCmd {
    /// Add a next step to a partner, an opportunity or an existing note
    #[command(
        group(ArgGroup::new("link").required(true).multiple(true).args(["partner", "opportunity", "note"])),
        after_help = "Example:\n  cdesk next-step add --partner Acme --description \"Send SOW\" \
--owner ana@acme.example --due 2026-12-01 --agreed"
    )]
    Add {
        #[arg(long)]
        description: String,
        #[arg(long)]
        owner: String,
        /// Due date (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        due: String,
        /// The due date was agreed with the partner
        #[arg(long)]
        agreed: bool,
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        opportunity: Option<String>,
        /// A note id: the step takes the note's partner and opportunity
        #[arg(long, value_name = "NOTE_ID")]
        note: Option<String>,
    },
    /// Ask the partner for an update on an open task: logs the chase as a note and sets the new
    /// due date
    #[command(
        after_help = "Example:\n  cdesk next-step chase 0192f… --due 2026-12-10 --message \
\"Waiting on their legal team\""
    )]
    Chase {
        id: String,
        /// The new due date (YYYY-MM-DD), today or later
        #[arg(long, value_name = "DATE")]
        due: String,
        /// What was said, beyond the request
        #[arg(long)]
        message: Option<String>,
        /// Who asks (default: this profile's person)
        #[arg(long, env = "CDESK_AUTHOR")]
        author: Option<String>,
    },
    /// Mark a next step done
    #[command(after_help = "Example:\n  cdesk next-step done 0192f…")]
    Done { id: String },
    /// Reopen a next step marked done
    #[command(after_help = "Example:\n  cdesk next-step reopen 0192f…")]
    Reopen { id: String },
    /// List open next steps (or a partner's, by status), soonest due first
    #[command(
        after_help = "Examples:\n  cdesk next-step list --due-by 2026-12-31\n  \
cdesk next-step list --partner Acme --status done"
    )]
    List {
        #[arg(long)]
        partner: Option<String>,
        /// open, done, cancelled (other than open needs --partner)
        #[arg(long)]
        status: Option<String>,
        /// Only steps due on or before this date
        #[arg(long, value_name = "DATE")]
        due_by: Option<String>,
    },
}

pub fn run(ctx: &mut Ctx, cmd: NextStepCmd) -> anyhow::Result<()> {
    let step = match cmd {
        NextStepCmd::Add {
            description,
            owner,
            due,
            agreed,
            partner,
            opportunity,
            note,
        } => {
            let input = NewStandaloneNextStep {
                step: NewNextStep {
                    description,
                    owner,
                    due_on: due,
                    agreed_with_partner: agreed,
                },
                partner,
                opportunity,
                note,
            };
            ops::add_next_step(&mut ctx.store, &input)?
        }
        NextStepCmd::Chase {
            id,
            due,
            message,
            author,
        } => {
            let author = super::note::author(ctx, author)?;
            let request = ops::UpdateRequest {
                step: id,
                due_on: due,
                author,
                message,
            };
            let done = ops::request_update(&mut ctx.store, &request, ctx.today)?;
            if ctx.json {
                return output::json(&done);
            }
            say!(
                "logged “{}” and moved the step to {}",
                done.note.title,
                done.step.due_on
            );
            return Ok(());
        }
        NextStepCmd::Done { id } => ops::set_next_step_done(&mut ctx.store, &id, true, ctx.today)?,
        NextStepCmd::Reopen { id } => {
            ops::set_next_step_done(&mut ctx.store, &id, false, ctx.today)?
        }
        NextStepCmd::List {
            partner,
            status,
            due_by,
        } => {
            let query = NextStepQuery {
                partner,
                status,
                due_by,
            };
            let lines = ops::list_next_steps(ctx.store.read(), &query, ctx.today)?;
            return print_lines(ctx, &lines, "no next steps match");
        }
    };
    if ctx.json {
        return output::json(&step);
    }
    say!(
        "saved next step {} ({}, due {}, {})",
        step.description,
        step.status.label(),
        step.due_on,
        step.id
    );
    Ok(())
}

/// `cdesk overdue`
pub fn overdue(ctx: &Ctx) -> anyhow::Result<()> {
    let lines = ops::overdue_next_steps(ctx.store.read(), ctx.today)?;
    print_lines(ctx, &lines, "nothing overdue")
}

fn print_lines(ctx: &Ctx, lines: &[NextStepLine], empty: &str) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(lines);
    }
    let mut t = Table::new(&[
        "DUE",
        "LATE",
        "DESCRIPTION",
        "OWNER",
        "PARTNER",
        "STATUS",
        "ID",
    ]);
    for l in lines {
        t.row(step_row(l));
    }
    t.print(empty)?;
    Ok(())
}

/// One next step as a table row (shared with the summary).
pub fn step_row(l: &NextStepLine) -> Vec<String> {
    let s = &l.step;
    vec![
        s.due_on.to_string(),
        if l.days_overdue > 0 {
            format!("{}d", l.days_overdue)
        } else {
            String::new()
        },
        s.description.clone(),
        s.owner.clone(),
        or_dash(l.partner_name.as_ref()),
        s.status.label().into(),
        s.id.clone(),
    ]
}
