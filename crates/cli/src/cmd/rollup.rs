//! `cdesk rollup`: a manager's view per CAM.

use cdesk_core::domain::plan::{fiscal_year_of, FISCAL_YEAR_START_MONTH};
use cdesk_core::ops::{self, Audience, Scope};

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};

pub fn run(
    ctx: &Ctx,
    year: Option<i32>,
    scope: Option<Scope>,
    partners: bool,
) -> anyhow::Result<()> {
    let reader = ctx.store.read();
    let year = year.unwrap_or_else(|| fiscal_year_of(ctx.today, FISCAL_YEAR_START_MONTH));
    let audience = Audience::of(reader, scope.unwrap_or(Scope::Team))?;
    let r = ops::rollup(reader, ctx.today, year, &audience)?;
    if ctx.json {
        return output::json(&r);
    }
    let money = |m| r.currency.format(m);
    let mut t = Table::new(&[
        "CAM",
        "PARTNERS",
        "GAPS",
        "AGREED",
        "WON / TARGET",
        "PIPELINE",
        "OVERDUE",
    ]);
    for c in &r.cams {
        t.row(vec![
            c.cam.clone(),
            c.partners.to_string(),
            c.compliance_gaps.to_string(),
            c.plans_agreed.to_string(),
            format!("{} / {}", money(c.arr_won), money(c.arr_target)),
            money(c.open_pipeline),
            c.overdue_tasks.to_string(),
        ]);
        if partners {
            for l in &c.lines {
                t.row(vec![
                    format!("  {}", l.partner_name),
                    l.track.label().into(),
                    if l.compliance_gap { "gap" } else { "-" }.into(),
                    or_dash(l.plan_status.map(|s| s.label().to_string())),
                    format!(
                        "{} / {}",
                        money(l.arr_won),
                        or_dash(l.arr_target.map(money))
                    ),
                    money(l.open_pipeline),
                    l.overdue_tasks.to_string(),
                ]);
            }
        }
    }
    t.print(&format!("no partners in view for FY{}", year % 100))?;
    for line in &r.conversion.lines {
        crate::say!("{line}");
    }
    Ok(())
}
