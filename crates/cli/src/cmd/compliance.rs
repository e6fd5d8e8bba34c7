//! `cdesk compliance`: each partner against its track and badges.

use cdesk_core::ops;
use cdesk_core::rules::{PartnerCompliance, RequirementStatus};
use clap::Args;

use crate::context::Ctx;
use crate::output::{self, closure, Table};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk compliance --gaps\n  cdesk compliance --partner Acme\n  \
cdesk compliance --gaps --json | jq '.[].partner_name'\n\n\
REQUIRED VS CERTIFIED reads `certified/required` per certification; CLOSES says the date by which\n\
the enablement plan closes the gap, or that it does not."
)]
pub struct ComplianceArgs {
    /// Only this partner (id or name); shows badges it does not hold too
    #[arg(long)]
    pub partner: Option<String>,
    /// Only partners with a gap (track, or a badge they hold)
    #[arg(long)]
    pub gaps: bool,
}

pub fn run(ctx: &Ctx, a: &ComplianceArgs) -> anyhow::Result<()> {
    let shown = ops::compliance_report(ctx.store.read(), a.partner.as_deref(), a.gaps, ctx.today)?;
    if ctx.json {
        return output::json(&shown);
    }
    let mut t = Table::new(&[
        "PARTNER",
        "TRACK / BADGE",
        "REQUIRED VS CERTIFIED",
        "MISSING",
        "CLOSES",
    ]);
    for c in &shown {
        for row in rows(c, a.partner.is_some()) {
            t.row(row);
        }
    }
    t.print(if a.gaps {
        "no partner has a gap"
    } else {
        "no partners"
    })?;
    Ok(())
}

fn counts(reqs: &[RequirementStatus]) -> (String, String) {
    let have: Vec<String> = reqs
        .iter()
        .map(|r| format!("{} {}/{}", r.certification_name, r.certified, r.required))
        .collect();
    let missing: Vec<String> = reqs
        .iter()
        .filter(|r| r.missing > 0)
        .map(|r| format!("{} {}", r.missing, r.certification_name))
        .collect();
    let or_none = |v: Vec<String>, none: &str| {
        if v.is_empty() {
            none.to_string()
        } else {
            v.join(", ")
        }
    };
    (or_none(have, "no requirements"), or_none(missing, "-"))
}

/// One row for the track, one per held badge (per badge, held or not, with `all_badges`).
fn rows(c: &PartnerCompliance, all_badges: bool) -> Vec<Vec<String>> {
    let (have, missing) = counts(&c.track.requirements);
    let mut out = vec![vec![
        c.partner_name.clone(),
        format!("{} track", c.track.track),
        have,
        missing,
        closure(&c.track.closure),
    ]];
    for b in c.badges.iter().filter(|b| b.held || all_badges) {
        let (have, mut missing) = counts(&b.requirements);
        if b.requires_track_compliance && !c.track.compliant {
            missing = if missing == "-" {
                "track".into()
            } else {
                format!("{missing}, track")
            };
        }
        let label = if b.held {
            b.badge_name.clone()
        } else {
            format!("{} (not held)", b.badge_name)
        };
        out.push(vec![
            String::new(),
            label,
            have,
            missing,
            closure(&b.closure),
        ]);
    }
    out
}

/// One partner's compliance, as in `partner show`.
pub fn print_partner(c: &PartnerCompliance, all_badges: bool) -> anyhow::Result<()> {
    let mut t = Table::new(&[
        "TRACK / BADGE",
        "REQUIRED VS CERTIFIED",
        "MISSING",
        "CLOSES",
    ]);
    for mut row in rows(c, all_badges) {
        row.remove(0);
        t.row(row);
    }
    t.print("")?;
    Ok(())
}
