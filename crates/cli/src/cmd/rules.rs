//! `cdesk rules list`: the program's rules tables, as shipped or as synced; `cdesk rules rate`:
//! the exchange rates an admin keeps.

use cdesk_core::ops::{self, ExchangeRateInput, RuleRow, RuleTable};
use cdesk_core::rules::RuleBook;
use clap::{Subcommand, ValueEnum};

use crate::context::Ctx;
use crate::output::{self, heading, or_dash, Table};

#[derive(Debug, Subcommand)]
pub enum RulesCmd {
    /// Show the rules tables (all, or one)
    #[command(
        after_help = "Examples:\n  cdesk rules list\n  cdesk rules list r7\n  \
cdesk rules list journey --json"
    )]
    List {
        /// Only this table
        #[arg(value_enum)]
        table: Option<RulesTable>,
    },
    /// Set the exchange rate of a currency (admins): US dollars for one unit
    #[command(
        after_help = "Examples:\n  cdesk rules rate EUR 1.0845\n  cdesk rules rate JPY 0.006712 \
--as-of 2026-12-01\n\nSums across currencies (plan against actuals, the roll-up, the accounts' \
pipeline)\nconvert with these rates and say so; amounts in a currency without one are left out."
    )]
    Rate {
        /// ISO 4217 code, e.g. EUR
        currency: String,
        /// US dollars for one unit, e.g. 1.0845
        usd_per_unit: String,
        /// The day the rate was taken (default: today)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
    },
    /// Remove the exchange rate of a currency (admins)
    RemoveRate {
        /// ISO 4217 code, e.g. EUR
        currency: String,
    },
    /// Add a row to a rules table, or change one by its id, whole (admins)
    #[command(after_help = "Examples:\n  cdesk rules put track-requirement \
'{\"track\":\"open\",\"certification_id\":\"pse\",\"count\":1}'\n  cdesk rules put certification \
'{\"name\":\"Security Specialist\",\"validity_months\":24,\"sort_order\":5}'\n  cdesk rules put badge \
'{\"id\":\"psp\",\"name\":\"PSP\",\"requires_track_compliance\":true,\"review_every_months\":12,\
\"evidence_lead_months\":1,\"grace_months\":3}'\n\nThe row is JSON with the fields `cdesk rules list --json` shows; \
without an id it is added.\nA row that repeats another, or names a certification or badge not in \
the rules, is refused.")]
    Put {
        #[arg(value_enum)]
        table: RowTable,
        /// The row, as JSON
        row: String,
    },
    /// Remove a row from a rules table by its id (admins); a certification, badge or module
    /// still used is kept
    #[command(after_help = "Example:\n  cdesk rules remove track-requirement 6f1c…")]
    Remove {
        #[arg(value_enum)]
        table: RowTable,
        id: String,
    },
}

/// A rules table a row is put in or removed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowTable {
    Certification,
    TrackRequirement,
    Badge,
    BadgeRequirement,
    R7Threshold,
    ExchangeRate,
    JourneyCapability,
    CurriculumModule,
}

impl From<RowTable> for RuleTable {
    fn from(t: RowTable) -> Self {
        match t {
            RowTable::Certification => RuleTable::Certification,
            RowTable::TrackRequirement => RuleTable::TrackRequirement,
            RowTable::Badge => RuleTable::Badge,
            RowTable::BadgeRequirement => RuleTable::BadgeRequirement,
            RowTable::R7Threshold => RuleTable::R7Threshold,
            RowTable::ExchangeRate => RuleTable::ExchangeRate,
            RowTable::JourneyCapability => RuleTable::JourneyCapability,
            RowTable::CurriculumModule => RuleTable::CurriculumModule,
        }
    }
}

/// The row typed on the command line, as the core takes it: a row without an id is a new one.
fn parse_row(table: RowTable, text: &str) -> anyhow::Result<RuleRow> {
    let mut row: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("row: not JSON ({e}); e.g. '{{\"name\":\"PSE\"}}'"))?;
    let fields = row
        .as_object_mut()
        .ok_or_else(|| anyhow::anyhow!("row: give a JSON object of the row's fields"))?;
    fields.entry("id").or_insert_with(|| "".into());
    let table = serde_json::to_value(RuleTable::from(table))?;
    serde_json::from_value(serde_json::json!({ "table": table, "row": row }))
        .map_err(|e| anyhow::anyhow!("row: {e}"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesTable {
    Certifications,
    Tracks,
    Badges,
    R7,
    Rates,
    Journey,
    Curriculum,
}

pub fn run(ctx: &mut Ctx, cmd: RulesCmd) -> anyhow::Result<()> {
    let table = match cmd {
        RulesCmd::List { table } => table,
        RulesCmd::Put { table, row } => {
            let saved = ops::put_rule(&mut ctx.store, &parse_row(table, &row)?)?;
            if ctx.json {
                return output::json(&saved);
            }
            let value = serde_json::to_value(&saved)?;
            crate::say!(
                "saved {} {}",
                value["table"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('_', " "),
                value["row"]["id"].as_str().unwrap_or_default()
            );
            return Ok(());
        }
        RulesCmd::Remove { table, id } => {
            ops::remove_rule(&mut ctx.store, table.into(), &id)?;
            if ctx.json {
                return output::json(&serde_json::json!({ "removed": id }));
            }
            crate::say!("removed {id}");
            return Ok(());
        }
        RulesCmd::Rate {
            currency,
            usd_per_unit,
            as_of,
        } => {
            let input = ExchangeRateInput {
                currency,
                usd_per_unit,
                as_of,
            };
            let rate = ops::set_exchange_rate(&mut ctx.store, &input)?;
            if ctx.json {
                return output::json(&rate);
            }
            crate::say!(
                "1 {} = {} USD as of {}",
                rate.currency,
                rate.usd_per_unit,
                rate.as_of
            );
            return Ok(());
        }
        RulesCmd::RemoveRate { currency } => {
            ops::remove_exchange_rate(&mut ctx.store, &currency)?;
            if ctx.json {
                return output::json(&serde_json::json!({ "removed": currency.trim() }));
            }
            crate::say!(
                "removed the exchange rate of {}",
                currency.trim().to_uppercase()
            );
            return Ok(());
        }
    };
    let book = ctx.store.read().rule_book()?;
    if ctx.json {
        return json(&book, table);
    }
    let show = |t: RulesTable| table.is_none_or(|only| only == t);
    if show(RulesTable::Certifications) {
        heading("Certifications")?;
        let mut t = Table::new(&["ID", "NAME", "VALID (MONTHS)"]);
        for c in &book.certifications {
            t.row(vec![
                c.id.clone(),
                c.name.clone(),
                or_dash(c.validity_months),
            ]);
        }
        t.print("none")?;
        heading("Badge reviews")?;
        let mut t = Table::new(&["BADGE", "REVIEWED EVERY", "EVIDENCE BEFORE", "GRACE"]);
        for b in &book.badges {
            t.row(vec![
                b.name.clone(),
                format!("{} months", b.review_every_months),
                format!("{} month(s)", b.evidence_lead_months),
                format!("{} months", b.grace_months),
            ]);
        }
        t.print("none")?;
    }
    if show(RulesTable::Tracks) {
        heading("Track requirements (people certified)")?;
        let mut t = Table::new(&["TRACK", "CERTIFICATION", "COUNT"]);
        for r in &book.track_requirements {
            let cert = book.certification_name(&r.certification_id).to_string();
            t.row(vec![r.track.label().into(), cert, r.count.to_string()]);
        }
        t.print("none")?;
    }
    if show(RulesTable::Badges) {
        heading("Badges and their requirements")?;
        let mut t = Table::new(&["BADGE", "NEEDS TRACK COMPLIANCE", "CERTIFICATION", "COUNT"]);
        for b in &book.badges {
            let reqs: Vec<_> = book
                .badge_requirements
                .iter()
                .filter(|r| r.badge_id == b.id)
                .collect();
            let track = output::yes_no(b.requires_track_compliance);
            if reqs.is_empty() {
                t.row(vec![b.name.clone(), track.clone(), "-".into(), "-".into()]);
            }
            for r in reqs {
                let cert = book.certification_name(&r.certification_id).to_string();
                t.row(vec![
                    b.name.clone(),
                    track.clone(),
                    cert,
                    r.count.to_string(),
                ]);
            }
        }
        t.print("none")?;
    }
    if show(RulesTable::R7) {
        heading("R7 thresholds (strictly over)")?;
        let mut t = Table::new(&["SEGMENT", "REQUIRES", "WHEN", "OVER"]);
        for r in &book.r7_thresholds {
            t.row(vec![
                r.segment.label().into(),
                r.requirement.label().into(),
                r.metric.label().into(),
                r.threshold.to_string(),
            ]);
        }
        t.print("none")?;
    }
    if show(RulesTable::Rates) {
        heading("Exchange rates (US dollars for one unit)")?;
        let mut t = Table::new(&["CURRENCY", "NAME", "USD", "AS OF"]);
        for r in &book.exchange_rates {
            t.row(vec![
                r.currency.to_string(),
                r.currency.name(),
                r.usd_per_unit.to_string(),
                r.as_of.to_string(),
            ]);
        }
        t.print("none: amounts are summed only within one currency")?;
    }
    if show(RulesTable::Journey) {
        heading("Journey capabilities")?;
        let mut t = Table::new(&["STAGE", "ID", "AREA", "CAPABILITY"]);
        for c in &book.journey_capabilities {
            t.row(vec![
                c.stage.label().into(),
                c.id.clone(),
                c.area.clone(),
                c.label.clone(),
            ]);
        }
        t.print("none")?;
    }
    if show(RulesTable::Curriculum) {
        heading("Sales enablement curriculum")?;
        let mut t = Table::new(&[
            "LEVEL", "SECTION", "TITLE", "KIND", "MINUTES", "POINTS", "ID",
        ]);
        for m in &book.curriculum_modules {
            t.row(vec![
                m.level.clone(),
                m.section.clone(),
                m.title.clone(),
                m.kind.clone(),
                or_dash(m.minutes),
                or_dash(m.points),
                m.id.clone(),
            ]);
        }
        t.print("none")?;
    }
    Ok(())
}

fn json(book: &RuleBook, table: Option<RulesTable>) -> anyhow::Result<()> {
    match table {
        None => output::json(book),
        Some(RulesTable::Certifications) => output::json(&book.certifications),
        Some(RulesTable::Tracks) => output::json(&book.track_requirements),
        Some(RulesTable::Badges) => output::json(&serde_json::json!({
            "badges": book.badges,
            "badge_requirements": book.badge_requirements,
        })),
        Some(RulesTable::R7) => output::json(&book.r7_thresholds),
        Some(RulesTable::Rates) => output::json(&book.exchange_rates),
        Some(RulesTable::Journey) => output::json(&book.journey_capabilities),
        Some(RulesTable::Curriculum) => output::json(&book.curriculum_modules),
    }
}
