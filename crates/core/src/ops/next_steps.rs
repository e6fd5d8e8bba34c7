//! Next steps: tasks agreed on a call, with an owner and a due date. Overdue partner tasks are
//! flagged; the channel manager is the one to chase them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{input, resolve};
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::store::{Reader, Store};
use crate::time::Timestamp;
use cdesk_domain::DomainError;

/// Stands for "no due limit" in a date comparison done as text (`NaiveDate::MAX` prints as
/// `+262142-12-31`, which sorts before every real date).
const FAR_FUTURE: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a real date");

/// A next step as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewNextStep {
    pub description: String,
    pub owner: String,
    /// `YYYY-MM-DD`
    pub due_on: String,
    /// The due date was agreed with the partner.
    pub agreed_with_partner: bool,
}

impl NewNextStep {
    /// The domain record, with `field` (e.g. `next_steps[2]`) prefixed to any error.
    pub(crate) fn to_next_step(&self, field: &str) -> Result<NextStep> {
        let due = input::date(&format!("{field}.due_on"), &self.due_on)?;
        let mut step = NextStep::new(&self.description, &self.owner, due);
        step.agreed_with_partner = self.agreed_with_partner;
        step.validate().map_err(|e| match e {
            DomainError::Invalid { field: f, message } => {
                CoreError::invalid(format!("{field}.{f}"), message)
            }
        })?;
        Ok(step)
    }
}

/// A next step on its own, on a partner, an opportunity or an existing note.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NewStandaloneNextStep {
    #[serde(flatten)]
    pub step: NewNextStep,
    pub partner: Option<String>,
    pub opportunity: Option<String>,
    /// A note's id: the step takes the note's partner and opportunity.
    pub note: Option<String>,
}

/// A next step with the partner's name, and how late it is.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NextStepLine {
    pub step: NextStep,
    pub partner_name: Option<String>,
    /// The partner's channel manager (CAM): the one who chases a partner's task.
    pub channel_manager: Option<String>,
    /// Days past the due date (0 when not overdue).
    pub days_overdue: i64,
}

/// Which next steps to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct NextStepQuery {
    /// A partner's steps (all statuses unless `status` says); else open steps of everyone.
    pub partner: Option<String>,
    /// open, done or cancelled.
    #[cfg_attr(feature = "specta", specta(type = Option<NextStepStatus>))]
    pub status: Option<String>,
    /// Only steps due on or before this date.
    pub due_by: Option<String>,
}

/// Adds a next step outside a note-taking session.
pub fn add_next_step(store: &mut Store, input: &NewStandaloneNextStep) -> Result<NextStep> {
    let mut step = input.step.to_next_step("next_step")?;
    store.write(|w| {
        let reader = w.read();
        if let Some(id) = input.note.as_deref().filter(|n| !n.trim().is_empty()) {
            let note = reader.note(id)?;
            step.note_id = Some(note.id);
            step.partner_id = note.partner_id;
            step.opportunity_id = note.opportunity_id;
        }
        if let Some(key) = input
            .opportunity
            .as_deref()
            .filter(|k| !k.trim().is_empty())
        {
            step.opportunity_id = Some(resolve::opportunity(reader, key, None)?.id);
        }
        if let Some(key) = input.partner.as_deref().filter(|k| !k.trim().is_empty()) {
            step.partner_id = Some(reader.resolve_partner(key)?.id);
        }
        if step.partner_id.is_none() && step.opportunity_id.is_none() && step.note_id.is_none() {
            return Err(CoreError::invalid(
                "partner",
                "link the next step to a partner, an opportunity or a note",
            ));
        }
        w.put(&step)?;
        Ok(step)
    })
}

/// Marks a next step done (recording when) or reopens it. Done on an award task grants its
/// badge on `today`.
pub fn set_next_step_done(
    store: &mut Store,
    id: &str,
    done: bool,
    today: NaiveDate,
) -> Result<NextStep> {
    store.write(|w| {
        let mut step = w.read().next_step(id)?;
        if done {
            step.status = NextStepStatus::Done;
            step.done_at = Some(Timestamp::now());
            super::awards::grant_awarded_badge(w, &step, today)?;
        } else {
            step.status = NextStepStatus::Open;
            step.done_at = None;
        }
        w.put(&step)?;
        w.read().next_step(&step.id)
    })
}

/// Chasing a partner's overdue task: who asks, and the new date agreed for it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct UpdateRequest {
    /// The next step's id.
    pub step: String,
    /// The new due date, `YYYY-MM-DD`; today or later.
    pub due_on: String,
    /// Who asked (the note's author).
    pub author: String,
    /// What was said, if anything beyond the request.
    pub message: Option<String>,
}

/// The chase, logged: the note that records it and the step with its new date.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RequestedUpdate {
    pub note: CallNote,
    pub step: NextStep,
}

/// Asks the partner for an update on an open task: logs the chase as a note on the partner (on
/// the step's deal too) and moves the step to the new date, in one change. R7: the channel
/// manager chases a partner's overdue tasks.
pub fn request_update(
    store: &mut Store,
    input: &UpdateRequest,
    today: NaiveDate,
) -> Result<RequestedUpdate> {
    let due = input::date("due_on", &input.due_on)?;
    if due < today {
        return Err(CoreError::invalid(
            "due_on",
            format!("{due} has passed; the new date is today or later"),
        ));
    }
    store.write(|w| {
        let reader = w.read();
        let mut step = reader.next_step(&input.step)?;
        if step.status != NextStepStatus::Open {
            return Err(CoreError::invalid(
                "step",
                format!(
                    "“{}” is {}, not open",
                    step.description,
                    step.status.label()
                ),
            ));
        }
        let Some(partner_id) = step.partner_id.clone() else {
            return Err(CoreError::invalid(
                "step",
                format!("“{}” is not a partner's task", step.description),
            ));
        };
        let partner = reader.partner(&partner_id)?;
        let late = (today - step.due_on).num_days();
        let mut body = format!(
            "Asked {} for an update on “{}”, due {}{}. New date: {due}.",
            partner.name,
            step.description,
            step.due_on,
            if late > 0 {
                format!(" ({late} days overdue)")
            } else {
                String::new()
            },
        );
        if let Some(message) = input
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            body = format!("{body}\n\n{message}");
        }
        // A title holds at most 500 characters; a long description is cut in it, whole in the body.
        let what: String = step.description.chars().take(200).collect();
        let mut note = CallNote::new(&format!("Update requested: {what}"), &body, &input.author);
        note.partner_id = Some(partner_id);
        note.opportunity_id = step.opportunity_id.clone();
        if let Some(o) = &step.opportunity_id {
            note.account_id = Some(reader.opportunity(o)?.account_id);
        }
        step.due_on = due;
        w.put(&note)?;
        w.put(&step)?;
        Ok(RequestedUpdate {
            note,
            step: w.read().next_step(&step.id)?,
        })
    })
}

/// A partner's name and channel manager, to show next to its records.
#[derive(Debug, Clone)]
pub(crate) struct PartnerRef {
    pub name: String,
    pub owner: String,
}

/// Every partner's [`PartnerRef`], by id.
pub(crate) fn partner_refs(reader: Reader<'_>) -> Result<HashMap<String, PartnerRef>> {
    Ok(reader
        .partners(&Default::default())?
        .into_iter()
        .map(|p| {
            let r = PartnerRef {
                name: p.name,
                owner: p.owner,
            };
            (p.id, r)
        })
        .collect())
}

pub(crate) fn lines(
    steps: Vec<NextStep>,
    partners: &HashMap<String, PartnerRef>,
    today: NaiveDate,
) -> Vec<NextStepLine> {
    steps
        .into_iter()
        .map(|step| NextStepLine {
            partner_name: step
                .partner_id
                .as_ref()
                .and_then(|id| partners.get(id).map(|p| p.name.clone())),
            channel_manager: step
                .partner_id
                .as_ref()
                .and_then(|id| partners.get(id).map(|p| p.owner.clone())),
            days_overdue: if step.is_overdue(today) {
                (today - step.due_on).num_days()
            } else {
                0
            },
            step,
        })
        .collect()
}

/// Next steps as asked, soonest due first.
pub fn list_next_steps(
    reader: Reader<'_>,
    query: &NextStepQuery,
    today: NaiveDate,
) -> Result<Vec<NextStepLine>> {
    let status = input::optional("status", query.status.as_deref(), NextStepStatus::parse)?;
    let due_by = input::optional_date("due_by", query.due_by.as_deref())?;
    let steps = match query.partner.as_deref().filter(|p| !p.trim().is_empty()) {
        Some(key) => {
            let partner = reader.resolve_partner(key)?;
            let mut steps = reader.next_steps_for_partner(&partner.id)?;
            steps.sort_by(|a, b| (a.due_on, &a.id).cmp(&(b.due_on, &b.id)));
            steps
        }
        None => {
            if status.is_some_and(|s| s != NextStepStatus::Open) {
                return Err(CoreError::invalid(
                    "status",
                    "done and cancelled steps are listed per partner; name the partner",
                ));
            }
            reader.open_next_steps_due_by(due_by.unwrap_or(FAR_FUTURE))?
        }
    };
    let steps = steps
        .into_iter()
        .filter(|s| status.is_none_or(|st| s.status == st))
        .filter(|s| due_by.is_none_or(|d| s.due_on <= d))
        .collect();
    Ok(lines(steps, &partner_refs(reader)?, today))
}

/// Open next steps past their due date, most overdue first.
pub fn overdue_next_steps(reader: Reader<'_>, today: NaiveDate) -> Result<Vec<NextStepLine>> {
    let steps = reader.overdue_next_steps(today)?;
    Ok(lines(steps, &partner_refs(reader)?, today))
}
