//! Partners: the list, one partner's page, creating and editing, journey ticks, badges and
//! PHD reviews.

use cdesk_core::domain::Partner;
use cdesk_core::ops::{
    self, Audience, BadgeEvidenceInput, BadgeGrantInput, BadgeReviewInput, CapabilityTicks,
    NewPartner, PartnerChanges, PartnerDetail, PartnerLine, PartnerQuery, PhdReviewInput, Scope,
};
use cdesk_core::rules::PhdDue;

use super::St;
use crate::error::AppResult;
use crate::today;

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn list_partners(state: St<'_>, query: PartnerQuery) -> AppResult<Vec<Partner>> {
    state.db.read(move |r| ops::list_partners(r, &query)).await
}

/// The partners list as a CAM scans it: each partner with its compliance, this fiscal year's
/// plan and closed-won ARR against the target, next badge review and last note.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn partner_lines(state: St<'_>, query: PartnerQuery) -> AppResult<Vec<PartnerLine>> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::list_partner_lines(r, &query, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn partner_detail(state: St<'_>, partner: String) -> AppResult<PartnerDetail> {
    let today = today::local();
    state
        .db
        .read(move |r| ops::partner_detail(r, &partner, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn create_partner(state: St<'_>, input: NewPartner) -> AppResult<Partner> {
    state
        .db
        .write(move |s| ops::create_partner(s, &input))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn update_partner(state: St<'_>, changes: PartnerChanges) -> AppResult<Partner> {
    state
        .db
        .write(move |s| ops::update_partner(s, &changes))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_capabilities(state: St<'_>, ticks: CapabilityTicks) -> AppResult<Partner> {
    state
        .db
        .write(move |s| ops::set_capabilities(s, &ticks))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn grant_badge(state: St<'_>, grant: BadgeGrantInput) -> AppResult<Partner> {
    state.db.write(move |s| ops::grant_badge(s, &grant)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn record_badge_review(state: St<'_>, review: BadgeReviewInput) -> AppResult<Partner> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::record_badge_review(s, &review, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn record_badge_evidence(
    state: St<'_>,
    evidence: BadgeEvidenceInput,
) -> AppResult<Partner> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::record_badge_evidence(s, &evidence, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// Records a PHD review: the Last PHD review date and a line in the account notes.
pub async fn record_phd_review(state: St<'_>, review: PhdReviewInput) -> AppResult<Partner> {
    let today = today::local();
    state
        .db
        .write(move |s| ops::record_phd_review(s, &review, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
/// The PHD reviews due for `scope`'s partners (the profile's default scope when `None`).
pub async fn phd_reviews(state: St<'_>, scope: Option<Scope>) -> AppResult<Vec<PhdDue>> {
    let today = today::local();
    state
        .db
        .read(move |r| {
            let scope = match scope {
                Some(scope) => scope,
                None => Scope::default_for(r)?,
            };
            ops::phd_reviews(r, &Audience::of(r, scope)?, today)
        })
        .await
}
