//! The OS notification for next steps due today or overdue: once at start, again when a sync
//! brings in new ones, and on the hourly check when the day changes — never twice for the same
//! day and the same counts.

use cdesk_core::ops::{self, NextStepQuery};
use chrono::NaiveDate;
use parking_lot::Mutex;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;
use crate::today;

/// What was last notified, so the same news is not repeated.
#[derive(Default)]
pub struct Notified(Mutex<Option<(NaiveDate, usize, usize)>>);

/// Open next steps due by today that are the person's to see to (Today's default scope):
/// (overdue, due today).
fn counts(app: &AppHandle, today: NaiveDate) -> Option<(usize, usize)> {
    let state = app.try_state::<AppState>()?;
    let query = NextStepQuery {
        due_by: Some(today.to_string()),
        ..NextStepQuery::default()
    };
    let lines = state
        .db
        .with_reader(|r| {
            let audience = ops::Audience::of(r, ops::Scope::default_for(r)?)?;
            let mut lines = ops::list_next_steps(r, &query, today)?;
            lines.retain(|l| audience.step(&l.step));
            Ok(lines)
        })
        .map_err(|e| tracing::warn!(error = %e, "could not count due next steps"))
        .ok()?;
    let overdue = lines.iter().filter(|l| l.days_overdue > 0).count();
    Some((overdue, lines.len() - overdue))
}

/// The notification's text, or None when nothing is due.
pub fn message(overdue: usize, due_today: usize) -> Option<String> {
    let steps = |n: usize| if n == 1 { "next step" } else { "next steps" };
    match (overdue, due_today) {
        (0, 0) => None,
        (o, 0) => Some(format!("{o} {} overdue", steps(o))),
        (0, d) => Some(format!("{d} {} due today", steps(d))),
        (o, d) => Some(format!("{o} {} overdue and {d} due today", steps(o))),
    }
}

/// Notifies about due next steps unless this exact news was already given today.
/// Call from a blocking thread.
pub fn due_next_steps(app: &AppHandle) {
    let today = today::local();
    let Some((overdue, due_today)) = counts(app, today) else {
        return;
    };
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    {
        let mut last = state.notified.0.lock();
        if *last == Some((today, overdue, due_today)) {
            return;
        }
        *last = Some((today, overdue, due_today));
    }
    let Some(body) = message(overdue, due_today) else {
        return;
    };
    let shown = app
        .notification()
        .builder()
        .title("Channel Desk")
        .body(body)
        .show();
    if let Err(e) = shown {
        // No notification service (a bare X session, a CI machine): the Today view says it too.
        tracing::info!(error = %e, "no OS notification shown");
    }
}

/// Checks at start and then hourly (the day may change while the app stays open).
pub fn watch(app: AppHandle) {
    let spawned = std::thread::Builder::new()
        .name("due-notifier".into())
        .spawn(move || loop {
            due_next_steps(&app);
            std::thread::sleep(std::time::Duration::from_secs(3600));
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no due next step notifications");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_counts_overdue_first_and_is_silent_when_nothing_is_due() {
        assert_eq!(message(0, 0), None);
        assert_eq!(message(1, 0).as_deref(), Some("1 next step overdue"));
        assert_eq!(message(0, 3).as_deref(), Some("3 next steps due today"));
        assert_eq!(
            message(2, 1).as_deref(),
            Some("2 next steps overdue and 1 due today")
        );
    }
}
