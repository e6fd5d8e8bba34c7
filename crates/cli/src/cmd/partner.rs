//! `cdesk partner …`

use cdesk_core::domain::Partner;
use cdesk_core::ops::{self, *};
use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::output::{self, heading, or_dash, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum PartnerCmd {
    /// Add a partner (refuses a name already in use)
    #[command(
        after_help = "Example:\n  cdesk partner add Acme --type var_vad,boutique_si \
--track select --region emea --owner cam@vendor.example --stage established"
    )]
    Add(AddArgs),
    /// List partners, optionally filtered
    #[command(
        after_help = "Examples:\n  cdesk partner list --track select --region emea\n  \
cdesk partner list --name acm --json"
    )]
    List(ListArgs),
    /// Show a partner: details, journey checklist, people, enablement plan, compliance, plans
    #[command(after_help = "Example:\n  cdesk partner show Acme")]
    Show {
        /// Partner id or name
        partner: String,
    },
    /// Change a partner's fields; only the options given change
    #[command(after_help = "Example:\n  cdesk partner edit Acme --track select --stage leading")]
    Edit(EditArgs),
    /// Tick journey capabilities (ids from `cdesk rules list journey`)
    #[command(after_help = "Example:\n  cdesk partner tick Acme onb-portal onb-deal-reg")]
    Tick {
        partner: String,
        #[arg(required = true)]
        capabilities: Vec<String>,
    },
    /// Untick journey capabilities
    #[command(after_help = "Example:\n  cdesk partner untick Acme onb-portal")]
    Untick {
        partner: String,
        #[arg(required = true)]
        capabilities: Vec<String>,
    },
    /// Grant a badge (PSP, Training Services Partner) on a date
    #[command(after_help = "Example:\n  cdesk partner badge-grant Acme psp --on 2025-03-10")]
    BadgeGrant {
        partner: String,
        /// Badge id or name
        badge: String,
        /// Granted on (YYYY-MM-DD); reviews fall in this month every year
        #[arg(long, value_name = "DATE")]
        on: String,
    },
    /// Record a badge's review; the outcome is the compliance the rules compute for that date
    #[command(
        after_help = "Examples:\n  cdesk partner badge-review Acme psp --on 2026-03-12\n  \
cdesk partner badge-review Acme psp --on 2026-03-12 --compliant yes \\\n    --reason \"two PSEs \
certified the week after; exams booked\"\n\nA non-compliant outcome gives the partner the \
badge's grace period (a quarter) to comply again, shown by a new review; after it the badge \
lapses."
    )]
    BadgeReview {
        partner: String,
        badge: String,
        #[arg(long, value_name = "DATE")]
        on: String,
        /// Override the computed outcome (yes or no); needs --reason when it differs
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new(), value_name = "YES|NO")]
        compliant: Option<bool>,
        /// Why the outcome differs from what the rules compute
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record the evidence a partner sent for a badge review
    #[command(
        after_help = "Example:\n  cdesk partner badge-evidence Acme psp --on 2026-02-10 \
--customer Initech --customer \"Globex Corp\"\n\nEvidence is due from one month before the \
review month."
    )]
    BadgeEvidence {
        partner: String,
        badge: String,
        /// Sent on (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        on: String,
        /// A customer the evidence covers (repeat for more)
        #[arg(long = "customer", value_name = "NAME", required = true)]
        customers: Vec<String>,
    },
    /// Record a PHD (partner help desk) review: the Last PHD review date, and what it found in
    /// the account notes
    #[command(
        after_help = "Example:\n  cdesk partner phd-review Acme --on 2026-12-18 --note \"Portal \
users cleaned up; two deal registrations chased\"\n\n`cdesk phd` lists the reviews due."
    )]
    PhdReview {
        partner: String,
        #[arg(long, value_name = "DATE")]
        on: String,
        /// What the review found (added to the account notes with the date)
        #[arg(long)]
        note: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Partner name (unique)
    pub name: String,
    /// Partner types, comma-separated or repeated: var_vad, dmr, global_si, regional_si,
    /// boutique_si, msp, alliance, distributor
    #[arg(
        long = "type",
        value_delimiter = ',',
        required = true,
        value_name = "TYPE"
    )]
    pub types: Vec<String>,
    /// open, select or distribution
    #[arg(long)]
    pub track: String,
    /// americas, emea, apac or public_sector
    #[arg(long)]
    pub region: String,
    /// The CAM who owns the partner
    #[arg(long)]
    pub owner: String,
    /// Journey stage: onboarding (default), established, leading, strategic
    #[arg(long)]
    pub stage: Option<String>,
    /// Account notes
    #[arg(long)]
    pub notes: Option<String>,
    /// ISO 4217 currency the partner sells in, e.g. EUR (default: USD)
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub track: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long = "type", value_name = "TYPE")]
    pub partner_type: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    /// Part of the name, ignoring case
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Partner id or name
    pub partner: String,
    /// New name
    #[arg(long)]
    pub name: Option<String>,
    /// Replaces the partner types (comma-separated)
    #[arg(long = "type", value_delimiter = ',', value_name = "TYPE")]
    pub types: Option<Vec<String>>,
    #[arg(long)]
    pub track: Option<String>,
    #[arg(long)]
    pub region: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub stage: Option<String>,
    /// Replaces the account notes
    #[arg(long)]
    pub notes: Option<String>,
    /// The day the partner was invited to become a Training Services Partner (YYYY-MM-DD);
    /// `none` withdraws it. An invitee's plan must commit to certifications (slide 19).
    #[arg(long, value_name = "DATE")]
    pub tsp_invited: Option<String>,
    /// ISO 4217 currency the partner sells in, e.g. EUR: its new plans' and accounts'
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
}

pub fn run(ctx: &mut Ctx, cmd: PartnerCmd) -> anyhow::Result<()> {
    let saved = match cmd {
        PartnerCmd::Add(a) => ops::create_partner(
            &mut ctx.store,
            &NewPartner {
                name: a.name,
                partner_types: a.types,
                track: a.track,
                region: a.region,
                owner: a.owner,
                stage: a.stage,
                account_notes: a.notes,
                currency: a.currency,
            },
        )?,
        PartnerCmd::List(a) => return list(ctx, a),
        PartnerCmd::Show { partner } => return show(ctx, &partner),
        PartnerCmd::Edit(a) => ops::update_partner(
            &mut ctx.store,
            &PartnerChanges {
                partner: a.partner,
                name: a.name,
                partner_types: a.types,
                track: a.track,
                region: a.region,
                owner: a.owner,
                stage: a.stage,
                account_notes: a.notes,
                tsp_invited_on: a
                    .tsp_invited
                    .map(|d| if d == "none" { String::new() } else { d }),
                currency: a.currency,
            },
        )?,
        PartnerCmd::Tick {
            partner,
            capabilities,
        } => tick(ctx, partner, capabilities, true)?,
        PartnerCmd::Untick {
            partner,
            capabilities,
        } => tick(ctx, partner, capabilities, false)?,
        PartnerCmd::BadgeGrant { partner, badge, on } => ops::grant_badge(
            &mut ctx.store,
            &BadgeGrantInput {
                partner,
                badge,
                granted_on: on,
            },
        )?,
        PartnerCmd::BadgeReview {
            partner,
            badge,
            on,
            compliant,
            reason,
        } => ops::record_badge_review(
            &mut ctx.store,
            &BadgeReviewInput {
                partner,
                badge,
                reviewed_on: on,
                compliant,
                override_reason: reason,
            },
            ctx.today,
        )?,
        PartnerCmd::BadgeEvidence {
            partner,
            badge,
            on,
            customers,
        } => ops::record_badge_evidence(
            &mut ctx.store,
            &BadgeEvidenceInput {
                partner,
                badge,
                sent_on: on,
                customers,
            },
            ctx.today,
        )?,
        PartnerCmd::PhdReview { partner, on, note } => ops::record_phd_review(
            &mut ctx.store,
            &PhdReviewInput {
                partner,
                reviewed_on: on,
                note,
            },
            ctx.today,
        )?,
    };
    print_saved(ctx, &saved)
}

fn tick(ctx: &mut Ctx, partner: String, ids: Vec<String>, ticked: bool) -> anyhow::Result<Partner> {
    let ticks = CapabilityTicks {
        partner,
        capabilities: ids,
        ticked,
    };
    Ok(ops::set_capabilities(&mut ctx.store, &ticks)?)
}

fn print_saved(ctx: &Ctx, p: &Partner) -> anyhow::Result<()> {
    if ctx.json {
        return output::json(p);
    }
    say!("saved partner {} ({})", p.name, p.id);
    Ok(())
}

fn list(ctx: &Ctx, a: ListArgs) -> anyhow::Result<()> {
    let query = PartnerQuery {
        track: a.track,
        region: a.region,
        stage: a.stage,
        partner_type: a.partner_type,
        owner: a.owner,
        name: a.name,
    };
    let lines = ops::list_partner_lines(ctx.store.read(), &query, ctx.today)?;
    if ctx.json {
        return output::json(&lines);
    }
    let plan = format!(
        "PLAN FY{:02}",
        lines.first().map_or(0, |l| l.fiscal_year.rem_euclid(100))
    );
    let mut t = Table::new(&[
        "NAME",
        "TRACK",
        "REGION",
        "STAGE",
        "TYPES",
        "OWNER",
        "COMPLIANCE",
        &plan,
        "WON OF TARGET",
        "NEXT REVIEW",
        "LAST NOTE",
    ]);
    for l in &lines {
        let p = &l.partner;
        let types: Vec<&str> = p.partner_types.iter().map(|t| t.label()).collect();
        t.row(vec![
            p.name.clone(),
            p.track.label().into(),
            p.region.label().into(),
            p.journey_stage.label().into(),
            types.join(", "),
            p.owner.clone(),
            compliance(&l.compliance),
            l.plan_status.map_or("no plan", |s| s.label()).into(),
            match l.arr_target {
                Some(target) => format!("{} of {target}", l.arr_won),
                None => format!("{} (no target)", l.arr_won),
            },
            l.next_review.as_ref().map_or_else(
                || "-".into(),
                |r| {
                    format!(
                        "{} {} ({})",
                        r.on,
                        r.badge_name,
                        output::review_status(&r.status)
                    )
                },
            ),
            l.last_note.as_ref().map_or_else(
                || "-".into(),
                |n| format!("{} {}", n.occurred_at.date(), output::cut(&n.title, 40)),
            ),
        ]);
    }
    t.print("no partners match")?;
    Ok(())
}

/// "compliant", "gap: 2 missing, closes 2027-03-15".
fn compliance(c: &ComplianceStatus) -> String {
    match c {
        ComplianceStatus::Compliant => "compliant".into(),
        ComplianceStatus::Gap { missing, closure } => {
            format!("gap: {missing} missing, {}", output::closure(closure))
        }
    }
}

fn show(ctx: &Ctx, partner: &str) -> anyhow::Result<()> {
    let d = ops::partner_detail(ctx.store.read(), partner, ctx.today)?;
    if ctx.json {
        return output::json(&d);
    }
    let p = &d.partner;
    let types: Vec<&str> = p.partner_types.iter().map(|t| t.label()).collect();
    say!("{}  ({})", p.name, p.id);
    say!(
        "  types:       {}{}",
        types.join(", "),
        if d.solution_provider {
            " (Solution Provider)"
        } else {
            ""
        }
    );
    say!("  track:       {}", p.track);
    say!("  region:      {}", p.region);
    say!("  stage:       {}", p.journey_stage);
    say!("  owner:       {}", p.owner);
    say!("  currency:    {} ({})", p.currency, p.currency.name());
    say!("  PHD review:  {}", or_dash(p.last_phd_review));
    if let Some(on) = p.tsp_invited_on {
        say!("  invited to become a Training Services Partner on {on}");
    }
    if !p.account_notes.is_empty() {
        say!("  notes:       {}", output::cut(&p.account_notes, 200));
    }
    for b in d.compliance.badges.iter().filter(|b| b.held) {
        let review = b.review.map(|r| {
            format!(
                ", review {} ({}), evidence from {}",
                r.next_review.format("%Y-%m"),
                output::review_status(&r.status),
                r.evidence_from
            )
        });
        say!(
            "  badge:       {} granted {}{}",
            b.badge_name,
            or_dash(b.granted_on),
            review.unwrap_or_default()
        );
        for e in &b.evidence {
            say!(
                "               evidence sent {}: {}",
                e.sent_on,
                e.customers.join(", ")
            );
        }
        for r in &b.history {
            let outcome = if r.compliant {
                "compliant"
            } else {
                "not compliant"
            };
            match &r.override_reason {
                Some(why) => say!(
                    "               reviewed {}: {outcome} (the rules found {}; {why})",
                    r.reviewed_on,
                    if r.computed_compliant {
                        "compliant"
                    } else {
                        "not compliant"
                    }
                ),
                None => say!("               reviewed {}: {outcome}", r.reviewed_on),
            }
        }
    }
    heading("Compliance")?;
    super::compliance::print_partner(&d.compliance, true)?;

    heading(&format!("Journey checklist ({})", p.journey_stage))?;
    for c in d
        .checklist
        .iter()
        .filter(|c| c.stage == p.journey_stage || c.ticked)
    {
        say!(
            "  [{}] {:<22} {}",
            if c.ticked { "x" } else { " " },
            c.id,
            c.label
        );
    }

    heading("People and enablement")?;
    super::cert::print_plan(&d.enablement, &d.people)?;

    heading("Business plans")?;
    let mut t = Table::new(&["FY", "STATUS", "ARR TARGET"]);
    for plan in &d.plans {
        t.row(vec![
            format!("FY{}", plan.fiscal_year % 100),
            plan.status.label().into(),
            plan.total_arr_target.to_string(),
        ]);
    }
    t.print("  no business plans")?;
    Ok(())
}
