//! CSV export. Headers are the ones the importer reads first, dates are `YYYY-MM-DD`, money
//! plain numbers (`12500.00`) beside the ISO 4217 code of their currency, values as labels: an
//! exported file imports back unchanged.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::domain::Money;
use crate::error::{CoreError, Result};
use crate::io::headers::Schema;
use crate::io::schemas;
use crate::store::{PartnerFilter, Reader};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Every partner.
    Partners,
    /// Every partner's people, one row per person and certification (a person without one
    /// gets a row of their own). Curriculum modules are not part of the file.
    People,
    /// Every opportunity.
    Opportunities,
}

impl ExportKind {
    pub const ALL: &'static [ExportKind] = &[
        ExportKind::Partners,
        ExportKind::People,
        ExportKind::Opportunities,
    ];

    /// `partners`, `people` or `opportunities`, ignoring case.
    pub fn parse(text: &str) -> Result<Self> {
        let wanted = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.code().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| {
                CoreError::invalid(
                    "kind",
                    format!("{wanted:?} is not one of: partners, people, opportunities"),
                )
            })
    }

    pub fn code(self) -> &'static str {
        match self {
            ExportKind::Partners => "partners",
            ExportKind::People => "people",
            ExportKind::Opportunities => "opportunities",
        }
    }
}

impl std::fmt::Display for ExportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Writes every record of `kind` as CSV to `out`; returns the number of data rows.
pub fn export_csv(
    reader: Reader<'_>,
    kind: ExportKind,
    out: &mut dyn std::io::Write,
) -> Result<usize> {
    let mut csv = csv::Writer::from_writer(out);
    let rows = match kind {
        ExportKind::Partners => partners(reader, &mut csv)?,
        ExportKind::People => people(reader, &mut csv)?,
        ExportKind::Opportunities => opportunities(reader, &mut csv)?,
    };
    csv.flush()?;
    Ok(rows)
}

type Out<'a> = csv::Writer<&'a mut dyn std::io::Write>;

fn write_headers(csv: &mut Out<'_>, schema: &Schema, fields: &[&str]) -> Result<()> {
    csv.write_record(fields.iter().map(|f| schema.header(f)))
        .map_err(write_error)
}

fn partners(reader: Reader<'_>, csv: &mut Out<'_>) -> Result<usize> {
    write_headers(
        csv,
        &schemas::PARTNERS,
        &[
            "name",
            "partner_types",
            "track",
            "region",
            "owner",
            "journey_stage",
            "account_notes",
            "currency",
            "last_phd_review",
        ],
    )?;
    let all = reader.partners(&PartnerFilter::default())?;
    for p in &all {
        let types: Vec<&str> = p.partner_types.iter().map(|t| t.label()).collect();
        csv.write_record([
            p.name.as_str(),
            &types.join("; "),
            p.track.label(),
            p.region.label(),
            &p.owner,
            p.journey_stage.label(),
            &p.account_notes,
            p.currency.as_str(),
            &optional(p.last_phd_review),
        ])
        .map_err(write_error)?;
    }
    Ok(all.len())
}

fn people(reader: Reader<'_>, csv: &mut Out<'_>) -> Result<usize> {
    write_headers(
        csv,
        &schemas::PEOPLE,
        &[
            "partner",
            "name",
            "email",
            "role",
            "certification",
            "status",
            "completed_on",
            "expires_on",
            "target_date",
        ],
    )?;
    let book = reader.rule_book()?;
    let by_partner = reader.enablement_items_by_partner()?;
    let mut rows = 0;
    for partner in reader.partners(&PartnerFilter::default())? {
        let items = by_partner
            .get(&partner.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for person in reader.people(&partner.id)? {
            let mut certifications = items
                .iter()
                .filter(|i| i.person_id == person.id)
                .filter_map(|i| i.certification_id.as_deref().map(|c| (i, c)))
                .peekable();
            let person_cells = [
                partner.name.as_str(),
                &person.name,
                &person.email,
                &person.role,
            ];
            if certifications.peek().is_none() {
                // The person still travels, with no certification.
                let mut cells: Vec<&str> = person_cells.to_vec();
                cells.extend(["", "", "", "", ""]);
                csv.write_record(cells).map_err(write_error)?;
                rows += 1;
            }
            for (item, certification) in certifications {
                let mut cells: Vec<String> = person_cells.iter().map(|s| s.to_string()).collect();
                cells.extend([
                    book.certification_name(certification).to_string(),
                    item.status.label().to_string(),
                    optional(item.completed_on),
                    optional(item.expires_on),
                    optional(item.target_date),
                ]);
                csv.write_record(cells).map_err(write_error)?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}

fn opportunities(reader: Reader<'_>, csv: &mut Out<'_>) -> Result<usize> {
    write_headers(
        csv,
        &schemas::OPPORTUNITIES,
        &[
            "name",
            "account",
            "opportunity_type",
            "stage",
            "amount",
            "iacv",
            "currency",
            "segment",
            "close_date",
            "registered_partner",
            "win_loss_reason",
            "owner",
            "customer_understanding",
            "command_plan",
            "has_pitch_deck",
            "pitch_deck_url",
            "understanding_via_partner",
            "partner_discount",
            "services_attach",
        ],
    )?;
    let accounts: HashMap<String, String> = reader
        .accounts()?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let partners: HashMap<String, String> = reader
        .partners(&PartnerFilter::default())?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let all = reader.opportunities(None)?;
    for o in &all {
        let partner = o
            .registered_partner_id
            .as_ref()
            .map(|id| partners.get(id).unwrap_or(id).as_str())
            .unwrap_or("");
        csv.write_record([
            o.name.as_str(),
            accounts.get(&o.account_id).unwrap_or(&o.account_id),
            o.opportunity_type.label(),
            o.stage.label(),
            &plain_dollars(o.amount),
            &plain_dollars(o.iacv),
            o.currency.as_str(),
            o.segment.label(),
            &o.close_date.to_string(),
            partner,
            &o.win_loss_reason,
            &o.owner,
            &o.customer_understanding,
            o.command_plan.label(),
            if o.has_pitch_deck { "yes" } else { "no" },
            &o.pitch_deck_url,
            if o.understanding_via_partner {
                "yes"
            } else {
                "no"
            },
            &plain_dollars(o.partner_discount),
            &plain_dollars(o.services_attach),
        ])
        .map_err(write_error)?;
    }
    Ok(all.len())
}

/// `12500.00`: no currency sign or grouping, so spreadsheets read it as a number.
pub(crate) fn plain_dollars(m: Money) -> String {
    let sign = if m.cents() < 0 { "-" } else { "" };
    let abs = m.cents().unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn optional(date: Option<chrono::NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn write_error(e: csv::Error) -> CoreError {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => CoreError::Io(io),
        other => CoreError::Csv(format!("cannot write the file: {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_dollars_have_two_decimals_and_no_grouping() {
        assert_eq!(plain_dollars(Money(1_250_000)), "12500.00");
        assert_eq!(plain_dollars(Money(5)), "0.05");
        assert_eq!(plain_dollars(Money(-150)), "-1.50");
    }

    #[test]
    fn export_kinds_parse_like_import_kinds() {
        assert_eq!(
            ExportKind::parse(" OPPORTUNITIES ").unwrap(),
            ExportKind::Opportunities
        );
        assert!(ExportKind::parse("notes").is_err());
    }
}
