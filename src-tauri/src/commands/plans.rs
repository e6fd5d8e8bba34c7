//! Business plans: one per partner and fiscal year; status; export to Markdown, HTML or PDF.

use cdesk_core::domain::BusinessPlan;
use cdesk_core::io::{plan_html, plan_markdown, plan_pdf};
use cdesk_core::ops::{self, PlanChanges};
use cdesk_core::CoreError;
use serde::Deserialize;
use tauri::AppHandle;

use super::export::{self, Export, ExportTarget};
use super::St;
use crate::error::AppResult;
use crate::paths;

/// The document format of an exported plan.
#[derive(Debug, Clone, Copy, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DocFormat {
    Markdown,
    Html,
    Pdf,
}

impl DocFormat {
    fn extension(self) -> &'static str {
        match self {
            DocFormat::Markdown => "md",
            DocFormat::Html => "html",
            DocFormat::Pdf => "pdf",
        }
    }
}

/// `Acme Cloud - FY27 business plan.md`
fn file_name(partner: &str, fiscal_year: i32, format: DocFormat) -> String {
    export::file_name(
        partner,
        &format!("FY{:02} business plan", fiscal_year % 100),
        format.extension(),
    )
}

/// The plan of a partner for a fiscal year, or None when there is none yet.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn get_plan(
    state: St<'_>,
    partner: String,
    fiscal_year: i32,
) -> AppResult<Option<BusinessPlan>> {
    state
        .db
        .read(
            move |r| match ops::plan_for(r, &partner, Some(fiscal_year)) {
                Ok(plan) => Ok(Some(plan)),
                Err(CoreError::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            },
        )
        .await
}

/// The plan of a partner for a fiscal year against its closed-won deals (none needed).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn plan_actuals(
    state: St<'_>,
    partner: String,
    fiscal_year: i32,
) -> AppResult<ops::PlanActuals> {
    let today = crate::today::local();
    state
        .db
        .read(move |r| ops::plan_actuals(r, &partner, fiscal_year, today))
        .await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn save_plan(state: St<'_>, changes: PlanChanges) -> AppResult<BusinessPlan> {
    state.db.write(move |s| ops::save_plan(s, &changes)).await
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_plan_status(
    state: St<'_>,
    partner: String,
    fiscal_year: i32,
    status: String,
) -> AppResult<BusinessPlan> {
    state
        .db
        .write(move |s| ops::set_plan_status(s, &partner, fiscal_year, &status))
        .await
}

/// Exports a plan as a document; returns where it was written, or None when the person
/// cancelled the save dialog. The webview gets no file-system access: the file is written here.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn export_plan(
    state: St<'_>,
    app: AppHandle,
    partner: String,
    fiscal_year: i32,
    format: DocFormat,
    target: ExportTarget,
) -> AppResult<Option<String>> {
    let (name, document) = state
        .db
        .read(move |r| {
            let plan = ops::plan_for(r, &partner, Some(fiscal_year))?;
            let partner_name = r.partner(&plan.partner_id)?.name;
            let doc = match format {
                DocFormat::Markdown => plan_markdown(r, &plan)?.into_bytes(),
                DocFormat::Html => plan_html(r, &plan)?.into_bytes(),
                DocFormat::Pdf => plan_pdf(r, &plan)?,
            };
            Ok((file_name(&partner_name, fiscal_year, format), doc))
        })
        .await?;
    let export = Export {
        title: "Export business plan",
        file_name: name,
        kind: (
            match format {
                DocFormat::Markdown => "Markdown",
                DocFormat::Html => "Web page",
                DocFormat::Pdf => "PDF document",
            },
            format.extension(),
        ),
        bytes: document,
    };
    export::save(app, paths::exports(&state.data_dir), export, target).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_file_name_is_readable_and_safe() {
        assert_eq!(
            file_name("Acme / Cloud", 2027, DocFormat::Markdown),
            "Acme _ Cloud - FY27 business plan.md"
        );
        assert_eq!(
            file_name("R&D Partners", 2030, DocFormat::Html),
            "R&D Partners - FY30 business plan.html"
        );
    }
}
