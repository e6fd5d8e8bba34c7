//! The partner review (QBR): shown in the app and exported as HTML or PDF for the partner.

use cdesk_core::io::document::{to_html, to_pdf};
use cdesk_core::io::review_document;
use cdesk_core::ops::{self, PartnerReview};
use serde::Deserialize;
use tauri::AppHandle;

use super::export::{self, Export, ExportTarget};
use super::St;
use crate::error::AppResult;
use crate::{paths, today};

/// The document format of an exported review.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReviewFormat {
    Html,
    Pdf,
}

/// The review of a partner for a quarter ("Q3", "Q3 FY27"; this quarter when none).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn partner_review(
    state: St<'_>,
    partner: String,
    quarter: Option<String>,
) -> AppResult<PartnerReview> {
    let today = today::local();
    state
        .db
        .read(move |r| review(r, &partner, quarter.as_deref(), today))
        .await
}

/// Exports the review as a document; returns where it was written, or None when the person
/// cancelled the save dialog.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn export_review(
    state: St<'_>,
    app: AppHandle,
    partner: String,
    quarter: Option<String>,
    format: ReviewFormat,
    target: ExportTarget,
) -> AppResult<Option<String>> {
    let today = today::local();
    let export = state
        .db
        .read(move |r| {
            let review = review(r, &partner, quarter.as_deref(), today)?;
            let document = review_document(&review);
            let (bytes, kind) = match format {
                ReviewFormat::Html => (to_html(&document).into_bytes(), ("Web page", "html")),
                ReviewFormat::Pdf => (to_pdf(&document)?, ("PDF document", "pdf")),
            };
            Ok(Export {
                title: "Export partner review",
                file_name: export::file_name(
                    &review.partner_name,
                    &format!("{} partner review", review.quarter.label()),
                    kind.1,
                ),
                kind,
                bytes,
            })
        })
        .await?;
    export::save(app, paths::exports(&state.data_dir), export, target).await
}

fn review(
    r: cdesk_core::store::Reader<'_>,
    partner: &str,
    quarter: Option<&str>,
    today: chrono::NaiveDate,
) -> cdesk_core::Result<PartnerReview> {
    let quarter = quarter
        .filter(|q| !q.trim().is_empty())
        .map(|q| ops::parse_quarter(q, today))
        .transpose()?;
    ops::partner_review(r, partner, quarter, today)
}
