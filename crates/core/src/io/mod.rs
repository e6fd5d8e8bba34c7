//! Import and export: CSV files in and out, and the business plan as a document to share.
//!
//! **Import** reads a CSV export (a partner list, an LMS export of certifications, a CRM export
//! of opportunities) in two steps, so a person sees what will happen before it happens:
//!
//! ```no_run
//! # use cdesk_core::{io::*, store::Store};
//! let mut store = Store::open("desk.db".as_ref())?;
//! let data = std::fs::read("partners.csv")?;
//! let preview = preview_import(&store, ImportKind::Partners, &data)?; // writes nothing
//! if preview.errors.is_empty() {
//!     let report = run_import(&mut store, ImportKind::Partners, &data)?; // all or nothing
//!     assert!(report.committed);
//! }
//! # Ok::<(), cdesk_core::CoreError>(())
//! ```
//!
//! The rules an import follows:
//! - The file is UTF-8 text (a byte order mark is fine), separated by commas, or by the
//!   semicolons or tabs its header row uses; quoted fields may span lines.
//! - Columns are found by header **name**, ignoring case, spaces and punctuation, with the
//!   aliases of common exports ("Opportunity Name", "Job Title", "Completion Date", ...).
//!   Unknown columns are ignored and listed in [`ImportReport::columns`].
//! - Every bad row is reported with its line in the file (the header is line 1) and its
//!   column; one bad row means nothing is written.
//! - An empty cell means "not given": it never erases what is stored, and a new record gets
//!   the default (e.g. a person's certification status defaults to certified).
//! - Re-importing a file updates the records it matched (partners by name, people by email or
//!   name within their partner, certifications by person, opportunities by account and name)
//!   instead of duplicating them; records the file does not change are not written at all.
//!
//! **Export** writes CSV whose headers the importer reads back, and renders a business plan as
//! Markdown or as a self-contained HTML page.

mod calendar_ics;
mod csv_table;
pub mod document;
mod export_csv;
mod headers;
mod import;
mod plan_doc;
mod review_doc;
mod schemas;

pub use calendar_ics::calendar_ics;
pub use export_csv::{export_csv, ExportKind};
pub use import::{preview_import, run_import, ColumnMapping, ImportKind, ImportReport, RowError};
pub use plan_doc::{plan_html, plan_markdown, plan_pdf};
pub use review_doc::review_document;
