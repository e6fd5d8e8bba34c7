//! The OS notification of the day's work (next steps due or overdue, badge awards to give,
//! PHD reviews due, badge evidence, reviews, grace endings and certification dates falling
//! today), for the person's default scope: once at start, again when a sync brings in new
//! work, and on the hourly check when the day changes; never the same news twice in a day.

use cdesk_core::ops;
use chrono::NaiveDate;
use parking_lot::Mutex;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;
use crate::today;

/// What was last notified, so the same news is not repeated.
#[derive(Default)]
pub struct Notified(Mutex<Option<(NaiveDate, String)>>);

/// The reminder line for the person's default scope (Today's), or None when nothing is due.
fn message(app: &AppHandle, today: NaiveDate) -> Option<String> {
    let state = app.try_state::<AppState>()?;
    state
        .db
        .with_reader(|r| {
            let audience = ops::Audience::of(r, ops::Scope::default_for(r)?)?;
            Ok(ops::reminders(r, &audience, today)?)
        })
        .map_err(|e| tracing::warn!(error = %e, "could not gather the reminders"))
        .ok()?
        .message()
}

/// Notifies about the day's work unless this exact news was already given today.
/// Call from a blocking thread.
pub fn remind(app: &AppHandle) {
    let today = today::local();
    let Some(body) = message(app, today) else {
        return;
    };
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    {
        let mut last = state.notified.0.lock();
        if last.as_ref() == Some(&(today, body.clone())) {
            return;
        }
        *last = Some((today, body.clone()));
    }
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
            remind(&app);
            std::thread::sleep(std::time::Duration::from_secs(3600));
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "no due next step notifications");
    }
}
