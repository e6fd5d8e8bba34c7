//! Award tasks (seed 003): when a partner first meets a badge's requirements, its CAM gets a
//! task, due within 7 calendar days, to award it: confirm the practitioners, email the
//! partner, show the badge in the Partner Locator. Marking the task done grants the badge;
//! granting the badge by hand closes the task.

use chrono::{Days, NaiveDate};

use crate::domain::{BadgeGrant, NextStep, NextStepStatus};
use crate::error::Result;
use crate::rules::partner_compliance;
use crate::store::Writer;
use crate::time::Timestamp;

/// Calendar days the CAM has to award a badge once the partner meets it.
pub const AWARD_WITHIN_DAYS: u64 = 7;

/// What the CAM does to award a badge, as the task's description.
fn award_description(badge: &str, partner: &str) -> String {
    format!(
        "Award {badge} to {partner}: confirm the certified practitioners with the Partner Help \
         Desk; email the partner the award; show the badge in the Partner Locator"
    )
}

/// Opens an award task for each badge `partner_id` meets today and does not hold, unless one
/// was opened before (the first time only). A badge without certification requirements of
/// its own (Training Services Partner, by invitation) is never "met" by certifying people.
/// Returns the tasks opened.
pub(crate) fn open_award_tasks(
    w: &mut Writer<'_>,
    partner_id: &str,
    today: NaiveDate,
) -> Result<Vec<NextStep>> {
    let (partner, due) = {
        let r = w.read();
        let book = r.rule_book()?;
        let partner = r.partner(partner_id)?;
        let items = r.enablement_items(partner_id)?;
        let mut due = Vec::new();
        for b in partner_compliance(&partner, &items, &book, today)
            .badges
            .into_iter()
            .filter(|b| b.compliant && !b.held && !b.requirements.is_empty())
        {
            if r.award_task(partner_id, &b.badge_id)?.is_none() {
                due.push(b);
            }
        }
        (partner, due)
    };
    let mut opened = Vec::new();
    for b in due {
        let mut task = NextStep::new(
            &award_description(&b.badge_name, &partner.name),
            &partner.owner,
            today + Days::new(AWARD_WITHIN_DAYS),
        );
        task.id = NextStep::award_task_id(&partner.id, &b.badge_id);
        task.partner_id = Some(partner.id.clone());
        task.award_badge_id = Some(b.badge_id.clone());
        w.put(&task)?;
        opened.push(task);
    }
    Ok(opened)
}

/// Grants the badge of a done award task, on the day it was done, unless already held.
pub(crate) fn grant_awarded_badge(
    w: &mut Writer<'_>,
    task: &NextStep,
    today: NaiveDate,
) -> Result<()> {
    let (Some(badge), Some(partner_id)) = (&task.award_badge_id, &task.partner_id) else {
        return Ok(());
    };
    let mut partner = w.read().partner(partner_id)?;
    if partner.badges.iter().any(|g| &g.badge_id == badge) {
        return Ok(());
    }
    partner.badges.push(BadgeGrant::new(badge, today));
    w.put(&partner)?;
    Ok(())
}

/// Closes the open award task of a badge just granted by hand.
pub(crate) fn close_award_task(w: &mut Writer<'_>, partner_id: &str, badge_id: &str) -> Result<()> {
    if let Some(mut task) = w.read().award_task(partner_id, badge_id)? {
        if task.status == NextStepStatus::Open {
            task.status = NextStepStatus::Done;
            task.done_at = Some(Timestamp::now());
            w.put(&task)?;
        }
    }
    Ok(())
}
