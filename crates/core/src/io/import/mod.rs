//! CSV import: a preview that validates every row and writes nothing, and a run that writes
//! every row or none. See the [module docs](crate::io) for the matching rules.

mod lookup;
mod opportunities;
mod partners;
mod people;
mod pool;
mod row;

use serde::{Deserialize, Serialize};

use self::row::RowCtx;
use crate::domain::{Account, EnablementItem, Opportunity, Partner, Person};
use crate::error::{CoreError, Result};
use crate::io::csv_table::{read_table, Table};
use crate::io::headers::{map_headers, Columns, Schema};
use crate::io::schemas;
use crate::store::{Reader, Store, Writer};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// One partner per row.
    Partners,
    /// An LMS export: one row per person and certification.
    People,
    /// A CRM export: one row per opportunity.
    Opportunities,
}

impl ImportKind {
    pub const ALL: &'static [ImportKind] = &[
        ImportKind::Partners,
        ImportKind::People,
        ImportKind::Opportunities,
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
            ImportKind::Partners => "partners",
            ImportKind::People => "people",
            ImportKind::Opportunities => "opportunities",
        }
    }

    pub(crate) fn schema(self) -> &'static Schema {
        match self {
            ImportKind::Partners => &schemas::PARTNERS,
            ImportKind::People => &schemas::PEOPLE,
            ImportKind::Opportunities => &schemas::OPPORTUNITIES,
        }
    }
}

impl std::fmt::Display for ImportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What an import found, and (for [`run_import`]) did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    pub kind: ImportKind,
    /// Data rows in the file (rows of nothing but empty cells are skipped, not counted).
    pub rows_total: usize,
    /// Rows without errors.
    pub rows_ok: usize,
    /// Records that would be (preview) or were created: partners; people and their
    /// certifications; accounts and opportunities.
    pub created: usize,
    /// Existing records whose fields the file changes. Records it matches but leaves as they
    /// are count as neither created nor updated, and are not written.
    pub updated: usize,
    /// Every problem of every row, in file order.
    pub errors: Vec<RowError>,
    /// Each header of the file and the field it fills (None: the column is ignored).
    pub columns: Vec<ColumnMapping>,
    /// The first 10 data rows as read, cell by cell, for display.
    pub preview: Vec<Vec<String>>,
    /// True when the import went through: no row had an error and the changes are written.
    pub committed: bool,
}

/// A problem with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowError {
    /// 1-based line in the file where the row starts; the header is line 1.
    pub line: u64,
    /// The header of the column at fault, when one is.
    pub column: Option<String>,
    pub message: String,
}

/// Which field a column of the file fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ColumnMapping {
    pub header: String,
    pub field: Option<String>,
}

const PREVIEW_ROWS: usize = 10;

/// Reads and validates `data` as `kind`, and says what an import would do. Writes nothing.
pub fn preview_import(store: &Store, kind: ImportKind, data: &[u8]) -> Result<ImportReport> {
    let table = read_table(data)?;
    let (report, _) = plan(store.read(), kind, &table)?;
    Ok(report)
}

/// Imports `data` as `kind` in one transaction: when any row has an error nothing is written
/// and the report (with `committed == false`) lists every error. A file that cannot be read
/// as CSV at all is an error ([`CoreError::Csv`]).
pub fn run_import(store: &mut Store, kind: ImportKind, data: &[u8]) -> Result<ImportReport> {
    let table = read_table(data)?;
    let report = store.write(|w| {
        let (mut report, writes) = plan(w.read(), kind, &table)?;
        if report.errors.is_empty() {
            writes.apply(w)?;
            // Certifications imported may make a partner meet a badge: open its award task
            // (dated by the computer's calendar: an import happens now).
            let partners: std::collections::BTreeSet<&str> =
                writes.items.iter().map(|i| i.partner_id.as_str()).collect();
            for partner in partners {
                crate::ops::awards::open_award_tasks(w, partner, crate::time::today())?;
            }
            report.committed = true;
        }
        Ok(report)
    })?;
    tracing::info!(
        kind = %kind,
        rows = report.rows_total,
        created = report.created,
        updated = report.updated,
        errors = report.errors.len(),
        committed = report.committed,
        "import"
    );
    Ok(report)
}

/// The records an import writes, in an order that satisfies their references.
#[derive(Default)]
pub(super) struct Writes {
    pub partners: Vec<Partner>,
    pub people: Vec<Person>,
    pub items: Vec<EnablementItem>,
    pub accounts: Vec<Account>,
    pub opportunities: Vec<Opportunity>,
    pub created: usize,
    pub updated: usize,
}

impl Writes {
    /// Takes the new and changed records of `pool`, counting them.
    fn take<T: Clone + PartialEq>(&mut self, pool: pool::Pool<T>) -> Vec<T> {
        let changes = pool.into_changes();
        self.created += changes.created;
        self.updated += changes.updated;
        changes.records
    }

    fn apply(&self, w: &mut Writer<'_>) -> Result<()> {
        for p in &self.partners {
            w.put(p)?;
        }
        for p in &self.people {
            w.put(p)?;
        }
        for i in &self.items {
            w.put(i)?;
        }
        for a in &self.accounts {
            w.put(a)?;
        }
        for o in &self.opportunities {
            w.put(o)?;
        }
        Ok(())
    }
}

/// Validates every row of `table` against what `reader` holds and works out the writes.
fn plan(reader: Reader<'_>, kind: ImportKind, table: &Table) -> Result<(ImportReport, Writes)> {
    let columns = map_headers(kind.schema(), &table.headers)?;
    let mut errors = Vec::new();
    let (rows_ok, writes) = match kind {
        ImportKind::Partners => {
            let mut rows = partners::PartnerRows::load(reader)?;
            let ok = each_row(table, &columns, &mut errors, |r| rows.row(r))?;
            (ok, rows.finish())
        }
        ImportKind::People => {
            let mut rows = people::PeopleRows::load(reader)?;
            let ok = each_row(table, &columns, &mut errors, |r| rows.row(r))?;
            (ok, rows.finish())
        }
        ImportKind::Opportunities => {
            let mut rows = opportunities::OpportunityRows::load(reader)?;
            let ok = each_row(table, &columns, &mut errors, |r| rows.row(r))?;
            (ok, rows.finish())
        }
    };
    let report = ImportReport {
        kind,
        rows_total: table.records.len(),
        rows_ok,
        created: writes.created,
        updated: writes.updated,
        errors,
        columns: columns.mapping.clone(),
        preview: table
            .records
            .iter()
            .take(PREVIEW_ROWS)
            .map(|r| r.cells.clone())
            .collect(),
        committed: false,
    };
    Ok((report, writes))
}

/// Runs `plan_row` on every readable record, collecting row errors; returns the rows that had
/// none.
fn each_row(
    table: &Table,
    columns: &Columns,
    errors: &mut Vec<RowError>,
    mut plan_row: impl FnMut(&mut RowCtx<'_>) -> Result<()>,
) -> Result<usize> {
    let mut ok = 0;
    for record in &table.records {
        if let Some(problem) = &record.problem {
            errors.push(RowError {
                line: record.line,
                column: None,
                message: problem.clone(),
            });
            continue;
        }
        let mut ctx = RowCtx::new(record.line, &record.cells, columns);
        plan_row(&mut ctx)?;
        let row_errors = ctx.into_errors();
        if row_errors.is_empty() {
            ok += 1;
        }
        errors.extend(row_errors);
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_from_their_codes_ignoring_case() {
        assert_eq!(ImportKind::parse("People").unwrap(), ImportKind::People);
        let err = ImportKind::parse("deals").unwrap_err().to_string();
        assert!(err.contains("partners, people, opportunities"), "{err}");
    }

    #[test]
    fn the_kind_serializes_as_its_code() {
        let json = serde_json::to_string(&ImportKind::Opportunities).unwrap();
        assert_eq!(json, "\"opportunities\"");
    }
}
