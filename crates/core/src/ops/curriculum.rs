//! The channel sales enablement curriculum (seed 004) and each of a partner's people's progress
//! through it: a module counts as done when its enablement line is completed ("certified").

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::*;
use crate::error::Result;
use crate::store::Reader;

/// The curriculum's levels, in the order a person takes them.
pub const CURRICULUM_LEVELS: [&str; 2] = ["core", "advanced"];

/// How far one person is through one level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LevelProgress {
    /// `core` or `advanced`.
    pub level: String,
    pub modules: usize,
    pub done: usize,
    /// Planned or in progress, not yet done.
    pub planned: usize,
    pub minutes: i64,
    pub minutes_done: i64,
    pub points: i64,
    pub points_done: i64,
    /// The next module not done nor planned, in curriculum order.
    pub next_module: Option<String>,
}

/// One person's progress, level by level.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PersonCurriculum {
    pub person_id: String,
    pub name: String,
    pub levels: Vec<LevelProgress>,
}

/// Each of a partner's people's progress through the curriculum, as of `today`.
pub fn curriculum_progress(
    reader: Reader<'_>,
    partner: &str,
    today: NaiveDate,
) -> Result<Vec<PersonCurriculum>> {
    let partner = reader.resolve_partner(partner)?;
    let modules = reader.rule_book()?.curriculum_modules;
    let items = reader.enablement_items(&partner.id)?;
    Ok(reader
        .people(&partner.id)?
        .into_iter()
        .map(|person| {
            let status_of = |module: &CurriculumModule| {
                items
                    .iter()
                    .filter(|i| {
                        i.person_id == person.id && i.module_id.as_deref() == Some(&module.id)
                    })
                    .map(|i| i.effective_status(today))
                    .max_by_key(|s| match s {
                        EnablementStatus::Certified => 3,
                        EnablementStatus::InProgress => 2,
                        EnablementStatus::Planned => 1,
                        EnablementStatus::Lapsed => 0,
                    })
            };
            let levels = CURRICULUM_LEVELS
                .iter()
                .map(|level| {
                    let mut p = LevelProgress {
                        level: level.to_string(),
                        ..Default::default()
                    };
                    for module in modules.iter().filter(|m| m.level == *level) {
                        let minutes = module.minutes.unwrap_or(0);
                        let points = module.points.unwrap_or(0);
                        p.modules += 1;
                        p.minutes += minutes;
                        p.points += points;
                        match status_of(module) {
                            Some(EnablementStatus::Certified) => {
                                p.done += 1;
                                p.minutes_done += minutes;
                                p.points_done += points;
                            }
                            Some(EnablementStatus::Planned | EnablementStatus::InProgress) => {
                                p.planned += 1
                            }
                            _ if p.next_module.is_none() => {
                                p.next_module = Some(module.title.clone())
                            }
                            _ => {}
                        }
                    }
                    p
                })
                .collect();
            PersonCurriculum {
                person_id: person.id,
                name: person.name,
                levels,
            }
        })
        .collect())
}
