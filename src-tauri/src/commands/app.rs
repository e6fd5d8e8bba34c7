//! About the app and its data: where the database is, today's date, the vocabularies the forms
//! offer, and demo data for a first look.

use cdesk_core::demo::{self, DemoSize, DemoSummary, FISCAL_YEAR_START_MONTH};
use cdesk_core::domain::plan::fiscal_year_of;
use cdesk_core::domain::*;
use chrono::NaiveDate;
use serde::Serialize;

use super::St;
use crate::db::blocking;
use crate::error::{AppError, AppResult};
use crate::today;

/// What the UI needs to know at start.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database: String,
    /// The person's local date.
    pub today: NaiveDate,
    pub fiscal_year: i32,
    /// Who notes are logged as: the signed-in account, else the computer's user name.
    pub user: String,
    pub partner_count: i64,
    /// The rules tables are editable here: an admin signed in, or nobody ever signed in.
    pub may_edit_rules: bool,
}

/// One value of a closed vocabulary: the stable code and the label a person reads.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

/// Every closed vocabulary the forms offer, in the core's order.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Vocabulary {
    pub partner_types: Vec<Choice>,
    pub tracks: Vec<Choice>,
    pub regions: Vec<Choice>,
    pub stages: Vec<Choice>,
    pub enablement_statuses: Vec<Choice>,
    pub plan_statuses: Vec<Choice>,
    pub mdf_statuses: Vec<Choice>,
    pub service_offerings: Vec<Choice>,
    pub segments: Vec<Choice>,
    pub tiers: Vec<Choice>,
    pub opportunity_types: Vec<Choice>,
    pub opportunity_stages: Vec<Choice>,
    pub command_plan_levels: Vec<Choice>,
    pub next_step_statuses: Vec<Choice>,
    pub r7_requirements: Vec<Choice>,
    pub r7_metrics: Vec<Choice>,
    pub nfr_statuses: Vec<Choice>,
    /// The curriculum's levels, in the order a person takes them.
    pub curriculum_levels: Vec<Choice>,
    /// ISO 4217 currencies in use: code and English name.
    pub currencies: Vec<Choice>,
}

macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| Choice {
                code: v.code().to_string(),
                label: v.label().to_string(),
            })
            .collect()
    };
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn app_info(state: St<'_>) -> AppResult<AppInfo> {
    let data_dir = state.data_dir.display().to_string();
    let database = state.db.path().display().to_string();
    let today = today::local();
    let (author, partner_count, may_edit_rules) = state
        .db
        .read(|r| {
            Ok((
                r.default_author()?,
                r.partner_count()?,
                cdesk_core::ops::may_edit_rules(r)?,
            ))
        })
        .await?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir,
        database,
        today,
        fiscal_year: fiscal_year_of(today, FISCAL_YEAR_START_MONTH),
        user: author.unwrap_or_else(|| "me".into()),
        partner_count,
        may_edit_rules,
    })
}

/// Answers once every page of the database has been read and checked, which runs after the
/// first screen shows (a second or so at 100,000 notes): an error when the check found damage
/// ([`AppError::Damaged`]), so the UI offers the backups.
#[tauri::command]
#[specta::specta]
pub async fn database_checked(state: St<'_>) -> AppResult<()> {
    let db = std::sync::Arc::clone(&state.db);
    blocking(move || db.unusable().map_or(Ok(()), Err)).await
}

#[tauri::command]
#[specta::specta]
pub fn vocabulary() -> Vocabulary {
    Vocabulary {
        partner_types: choices!(PartnerType),
        tracks: choices!(Track),
        regions: choices!(Region),
        stages: choices!(JourneyStage),
        enablement_statuses: choices!(EnablementStatus),
        plan_statuses: choices!(PlanStatus),
        mdf_statuses: choices!(MdfStatus),
        service_offerings: choices!(ServiceOffering),
        segments: choices!(Segment),
        tiers: choices!(Tier),
        opportunity_types: choices!(OpportunityType),
        opportunity_stages: choices!(OpportunityStage),
        command_plan_levels: choices!(CommandPlanLevel),
        next_step_statuses: choices!(NextStepStatus),
        r7_requirements: choices!(R7Requirement),
        r7_metrics: choices!(R7Metric),
        nfr_statuses: choices!(NfrStatus),
        curriculum_levels: cdesk_core::ops::CURRICULUM_LEVELS
            .iter()
            .map(|level| Choice {
                code: level.to_string(),
                label: level[..1].to_uppercase() + &level[1..],
            })
            .collect(),
        currencies: Currency::all()
            .into_iter()
            .map(|c| Choice {
                label: c.name(),
                code: c.0,
            })
            .collect(),
    }
}

/// Fills an empty database with realistic demo data (refused once there are partners).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn load_demo_data(state: St<'_>, partners: u32, notes: u32) -> AppResult<DemoSummary> {
    let today = today::local();
    let size = DemoSize {
        partners: partners as usize,
        notes: notes as usize,
    };
    let has_partners = state.db.read(|r| r.partner_count()).await? > 0;
    if has_partners {
        return Err(AppError::Invalid(
            "demo data goes into an empty database only; this one already has partners".into(),
        ));
    }
    state
        .db
        .write(move |s| demo::generate(s, size, 7, today))
        .await
}
