//! `cdesk phd`: the Partner Help Desk's reviews due.

use cdesk_core::ops;
use cdesk_core::rules::PhdCadence;

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};

pub fn run(ctx: &Ctx, scope: Option<ops::Scope>, person: Option<String>) -> anyhow::Result<()> {
    let audience = super::summary::audience(ctx, scope, person)?;
    let due = ops::phd_reviews(ctx.store.read(), &audience, ctx.today)?;
    if ctx.json {
        return output::json(&due);
    }
    let mut t = Table::new(&["PARTNER", "TRACK", "CADENCE", "LAST REVIEW", "DUE"]);
    for l in &due {
        t.row(vec![
            l.partner_name.clone(),
            l.track.to_string(),
            match l.cadence {
                PhdCadence::Weekly => "weekly (onboarding)",
                PhdCadence::Monthly => "monthly",
                PhdCadence::Quarterly => "quarterly",
            }
            .into(),
            or_dash(l.last_review),
            if l.overdue {
                format!("{} (overdue)", l.due_on)
            } else {
                l.due_on.to_string()
            },
        ]);
    }
    t.print("no PHD review due")?;
    Ok(())
}
