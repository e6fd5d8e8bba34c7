//! `cdesk nfr …`: NFR licence requests (seed 003): asked for a partner, verified by the Partner
//! Help Desk against its checks, sent, or refused with the reason.

use cdesk_core::ops::{self, NewNfrRequest, NfrLine, NfrStatusChange};
use clap::Subcommand;

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum NfrCmd {
    /// A partner's NFR licence requests, newest first, with the help desk's checks
    #[command(after_help = "Example:\n  cdesk nfr list Acme")]
    List {
        /// Partner id or name
        partner: String,
    },
    /// Ask for an NFR licence for a partner's licence contact
    #[command(
        after_help = "Example:\n  cdesk nfr request Acme --contact \"Ana Lima\" --email \
ana@acme.example --seats 5 --purpose \"demo lab\"\n\nThe help desk verifies that the contact works \
at the partner and that no other licence\nis under way or was sent in the last year. A partner \
with no certification yet can still\nhave one; it is encouraged to complete SA Core."
    )]
    Request {
        /// Partner id or name
        partner: String,
        /// The licence contact's name
        #[arg(long)]
        contact: String,
        /// The licence contact's email: the licence is sent there
        #[arg(long)]
        email: String,
        #[arg(long)]
        seats: Option<i64>,
        #[arg(long, default_value = "")]
        purpose: String,
        /// Who asks (default: this profile's person)
        #[arg(long, env = "CDESK_AUTHOR")]
        author: Option<String>,
        /// The day it was asked for (default: today)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// The help desk verified a request (its checks must be met)
    Verify {
        /// The request's id
        id: String,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// The licence was sent to the contact (a verified request)
    Sent {
        id: String,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// The help desk refused a request, saying why
    Refuse {
        id: String,
        #[arg(long)]
        reason: String,
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
}

pub fn run(ctx: &mut Ctx, cmd: NfrCmd) -> anyhow::Result<()> {
    let (id, status, reason, on) = match cmd {
        NfrCmd::List { partner } => {
            let lines = ops::nfr_requests(ctx.store.read(), &partner, ctx.today)?;
            return list(ctx, &lines);
        }
        NfrCmd::Request {
            partner,
            contact,
            email,
            seats,
            purpose,
            author,
            on,
        } => {
            let request = NewNfrRequest {
                partner,
                requested_by: super::note::author(ctx, author)?,
                contact_name: contact,
                contact_email: email,
                purpose,
                seats,
                requested_on: on,
            };
            let line = ops::request_nfr(&mut ctx.store, &request, ctx.today)?;
            return show(ctx, &line);
        }
        NfrCmd::Verify { id, on } => (id, "verified", None, on),
        NfrCmd::Sent { id, on } => (id, "sent", None, on),
        NfrCmd::Refuse { id, reason, on } => (id, "refused", Some(reason), on),
    };
    let change = NfrStatusChange {
        request: id,
        status: status.into(),
        reason,
        on,
    };
    let line = ops::set_nfr_status(&mut ctx.store, &change, ctx.today)?;
    show(ctx, &line)
}

fn show(ctx: &Ctx, line: &NfrLine) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(line);
    }
    let r = &line.request;
    say!(
        "NFR licence for {} <{}>, {} seat(s): {}{} ({})",
        r.contact_name,
        r.contact_email,
        r.seats,
        r.status.label().to_lowercase(),
        r.status_on.map(|d| format!(" on {d}")).unwrap_or_default(),
        r.id
    );
    if let Some(reason) = &r.refusal_reason {
        say!("  refused: {reason}");
    }
    checks(line)
}

fn checks(line: &NfrLine) -> anyhow::Result<()> {
    if !matches!(
        line.request.status,
        cdesk_core::domain::NfrStatus::Requested
    ) {
        return Ok(());
    }
    for c in &line.eligibility.checks {
        let mark = match (c.met, c.required) {
            (true, _) => "ok",
            (false, true) => "NOT MET",
            (false, false) => "note",
        };
        say!("  [{mark}] {}", c.detail);
    }
    if let Some(mail) = &line.eligibility.encouragement {
        say!("  Send with the licence:");
        for l in mail.lines() {
            say!("    {l}");
        }
    }
    Ok(())
}

fn list(ctx: &Ctx, lines: &[NfrLine]) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(&lines);
    }
    let mut t = Table::new(&["REQUESTED", "CONTACT", "SEATS", "STATUS", "ON", "ID"]);
    for l in lines {
        let r = &l.request;
        t.row(vec![
            r.requested_on.to_string(),
            format!("{} <{}>", r.contact_name, r.contact_email),
            r.seats.to_string(),
            match &r.refusal_reason {
                Some(reason) => format!("refused: {reason}"),
                None => r.status.label().to_lowercase(),
            },
            or_dash(r.status_on),
            r.id.clone(),
        ]);
    }
    t.print("no NFR licence requests")?;
    for l in lines {
        checks(l)?;
    }
    Ok(())
}
