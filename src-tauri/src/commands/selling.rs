//! Co-selling records: accounts (tiered) and opportunities with their R7 flags.

use cdesk_core::domain::{Account, Opportunity};
use cdesk_core::ops::{
    self, AccountChanges, AccountLine, AccountQuery, NewAccount, NewOpportunity,
    OpportunityChanges, OpportunityLine, OpportunityQuery, TierChange,
};

use super::St;
use crate::error::AppResult;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_accounts(state: St<'_>) -> AppResult<Vec<Account>> {
    state.db.read(ops::list_accounts).await
}

/// The Accounts screen: each account with its partner, pipeline, tiering need, last call and
/// next step.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn account_lines(state: St<'_>, query: AccountQuery) -> AppResult<Vec<AccountLine>> {
    state
        .db
        .read(move |r| ops::list_account_lines(r, &query))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_account(state: St<'_>, changes: AccountChanges) -> AppResult<Account> {
    state
        .db
        .write(move |s| ops::update_account(s, &changes))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_account(state: St<'_>, input: NewAccount) -> AppResult<Account> {
    state
        .db
        .write(move |s| ops::create_account(s, &input))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_account_tier(state: St<'_>, change: TierChange) -> AppResult<Account> {
    state
        .db
        .write(move |s| ops::set_account_tier(s, &change))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_opportunities(
    state: St<'_>,
    query: OpportunityQuery,
) -> AppResult<Vec<OpportunityLine>> {
    state
        .db
        .read(move |r| ops::list_opportunities(r, &query))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_opportunity(state: St<'_>, input: NewOpportunity) -> AppResult<Opportunity> {
    state
        .db
        .write(move |s| ops::create_opportunity(s, &input))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_opportunity(
    state: St<'_>,
    changes: OpportunityChanges,
) -> AppResult<Opportunity> {
    state
        .db
        .write(move |s| ops::update_opportunity(s, &changes))
        .await
}
