//! The rules tables (certifications, track and badge requirements, badges, R7 thresholds,
//! exchange rates, journey capabilities, the curriculum); admins edit them, and the server
//! decides who may.

use cdesk_core::domain::{ExchangeRate, R7Threshold};
use cdesk_core::ops::{self, ExchangeRateInput, R7ThresholdChange, RuleRow, RuleTable};
use cdesk_core::rules::RuleBook;

use super::St;
use crate::error::AppResult;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn rule_book(state: St<'_>) -> AppResult<RuleBook> {
    state.db.read(ops::rule_book).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_r7_threshold(state: St<'_>, change: R7ThresholdChange) -> AppResult<R7Threshold> {
    state
        .db
        .write(move |s| ops::set_r7_threshold(s, &change))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_exchange_rate(state: St<'_>, rate: ExchangeRateInput) -> AppResult<ExchangeRate> {
    state
        .db
        .write(move |s| ops::set_exchange_rate(s, &rate))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn remove_exchange_rate(state: St<'_>, currency: String) -> AppResult<()> {
    state
        .db
        .write(move |s| ops::remove_exchange_rate(s, &currency))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// Adds a row to a rules table (a blank id) or changes one, whole.
pub async fn put_rule(state: St<'_>, row: RuleRow) -> AppResult<RuleRow> {
    state.db.write(move |s| ops::put_rule(s, &row)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// Removes a row from a rules table, unless something still uses it.
pub async fn remove_rule(state: St<'_>, table: RuleTable, id: String) -> AppResult<()> {
    state
        .db
        .write(move |s| ops::remove_rule(s, table, &id))
        .await
}
