//! `cdesk summary` (and `cdesk` alone): the Today view as text.

use cdesk_core::ops::{self, TodaySummary};

use super::next_step::step_row;
use super::opp::r7_flags;
use crate::context::Ctx;
use crate::output::{self, closure, heading, or_dash, review_status, Table};
use crate::say;

/// Whose work `--scope` and `--as` name: by default this profile's person and its default scope.
pub fn audience(
    ctx: &Ctx,
    scope: Option<ops::Scope>,
    person: Option<String>,
) -> anyhow::Result<ops::Audience> {
    let reader = ctx.store.read();
    let scope = match scope {
        Some(scope) => scope,
        None => ops::Scope::default_for(reader)?,
    };
    let me = match person.filter(|p| !p.trim().is_empty()) {
        Some(p) => Some(p),
        None => reader.default_author()?,
    };
    Ok(ops::Audience::for_person(reader, scope, me)?)
}

pub fn run(ctx: &Ctx, scope: Option<ops::Scope>, person: Option<String>) -> anyhow::Result<()> {
    let audience = audience(ctx, scope, person)?;
    let t = ops::today_summary(ctx.store.read(), ctx.today, &audience)?;
    if ctx.json {
        return output::json(&t);
    }
    say!("Channel Desk, today {}", t.today);
    next_steps(&t)?;
    compliance(&t)?;
    selling(&t)?;
    notes(&t)?;
    say!("\n{} local change(s) waiting to sync.", t.outbox_pending);
    Ok(())
}

fn next_steps(t: &TodaySummary) -> anyhow::Result<()> {
    let headers = [
        "DUE",
        "LATE",
        "DESCRIPTION",
        "OWNER",
        "PARTNER",
        "STATUS",
        "ID",
    ];
    heading(&format!(
        "Overdue next steps ({}): chase these",
        t.overdue_next_steps.len()
    ))?;
    let mut table = Table::new(&headers);
    t.overdue_next_steps
        .iter()
        .for_each(|l| table.row(step_row(l)));
    table.print("nothing overdue")?;

    heading(&format!(
        "Due in the next {} days ({})",
        ops::DUE_SOON_DAYS,
        t.due_soon.len()
    ))?;
    let mut table = Table::new(&headers);
    t.due_soon.iter().for_each(|l| table.row(step_row(l)));
    table.print("nothing due soon")?;
    Ok(())
}

fn compliance(t: &TodaySummary) -> anyhow::Result<()> {
    heading(&format!(
        "Partners with compliance gaps ({})",
        t.compliance_gaps.len()
    ))?;
    let mut table = Table::new(&["PARTNER", "TRACK", "MISSING", "BADGES AT RISK", "CLOSES"]);
    for g in &t.compliance_gaps {
        let missing: Vec<String> = g
            .missing
            .iter()
            .map(|m| format!("{} {}", m.count, m.certification))
            .collect();
        table.row(vec![
            g.partner_name.clone(),
            format!(
                "{}{}",
                g.track,
                if g.track_compliant { "" } else { " (not met)" }
            ),
            missing.join(", "),
            or_dash(Some(g.badges_at_risk.join(", ")).filter(|b| !b.is_empty())),
            closure(&g.closure),
        ]);
    }
    table.print("every partner meets its track and badges")?;

    heading(&format!(
        "Badge reviews in the next {} days, and grace periods ({})",
        ops::REVIEW_LOOKAHEAD_DAYS,
        t.badge_reviews.len()
    ))?;
    let mut table = Table::new(&["PARTNER", "BADGE", "NEXT REVIEW", "STANDING"]);
    for r in &t.badge_reviews {
        table.row(vec![
            r.partner_name.clone(),
            r.badge_name.clone(),
            r.next_review.to_string(),
            review_status(&r.status),
        ]);
    }
    table.print("no reviews coming up")?;
    Ok(())
}

fn selling(t: &TodaySummary) -> anyhow::Result<()> {
    heading("Pipeline (open opportunities)")?;
    let mut table = Table::new(&["STAGE", "COUNT", "AMOUNT"]);
    for s in &t.pipeline {
        table.row(vec![
            s.stage.label().into(),
            s.count.to_string(),
            s.amount.to_string(),
        ]);
    }
    table.print("no open opportunities")?;

    heading(&format!("Opportunities with R7 gaps ({})", t.r7_gaps.len()))?;
    let mut table = Table::new(&["OPPORTUNITY", "ACCOUNT", "AMOUNT", "R7"]);
    for g in &t.r7_gaps {
        table.row(vec![
            g.opportunity_name.clone(),
            g.account_name.clone(),
            g.amount.to_string(),
            r7_flags(&g.check),
        ]);
    }
    table.print("every open opportunity has what R7 requires")?;

    heading(&format!(
        "Untiered accounts with open opportunities ({})",
        t.untiered_accounts.len()
    ))?;
    let mut table = Table::new(&["ACCOUNT", "OPEN OPPORTUNITIES"]);
    for a in &t.untiered_accounts {
        table.row(vec![
            a.account_name.clone(),
            a.open_opportunities.to_string(),
        ]);
    }
    table.print("every account with an open opportunity is tiered")?;
    Ok(())
}

fn notes(t: &TodaySummary) -> anyhow::Result<()> {
    let line = |n: &ops::NoteLine| {
        vec![
            n.occurred_at.0.format("%Y-%m-%d").to_string(),
            n.title.clone(),
            or_dash(n.partner_name.as_ref()),
            n.id.clone(),
        ]
    };
    heading(&format!(
        "Via-partner notes lacking \"(ii)\" ({})",
        t.notes_missing_mark.len()
    ))?;
    let mut table = Table::new(&["WHEN", "TITLE", "PARTNER", "ID"]);
    t.notes_missing_mark.iter().for_each(|n| table.row(line(n)));
    table.print("none")?;

    heading("Recent notes")?;
    let mut table = Table::new(&["WHEN", "TITLE", "PARTNER", "ID"]);
    t.recent_notes.iter().for_each(|n| table.row(line(n)));
    table.print("no notes yet")?;
    Ok(())
}
