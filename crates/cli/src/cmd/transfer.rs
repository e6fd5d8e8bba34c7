//! `cdesk import …` and `cdesk export …`: CSV in and out (cdesk_core::io).

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context as _;
use cdesk_core::io::{self, ExportKind, ImportKind, ImportReport};
use cdesk_core::CoreError;
use clap::Args;

use crate::context::Ctx;
use crate::output::{self, or_dash, Table};
use crate::say;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk import partners partners.csv --preview\n  \
cdesk import people lms-export.csv\n  crm-export | cdesk import opportunities -\n\n\
Columns are found by header name (common export names are understood). One bad row means\n\
nothing is written: every problem is listed with its line and column, and cdesk exits with 2.\n\
Importing a file again updates what it matched instead of duplicating it."
)]
pub struct ImportArgs {
    /// partners, people (one row per person and certification) or opportunities
    pub kind: String,
    /// The CSV file, or `-` for stdin
    pub file: String,
    /// Show what would happen (columns, first rows, problems) and write nothing
    #[arg(long)]
    pub preview: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk export partners --out partners.csv\n  \
cdesk export opportunities > pipeline.csv\n\n\
The CSV headers are the ones `cdesk import` reads back. With --json and no --out, the CSV is\n\
printed inside a JSON object."
)]
pub struct ExportArgs {
    /// partners, people or opportunities
    pub kind: String,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn read_input(file: &str) -> anyhow::Result<Vec<u8>> {
    if file == "-" {
        let mut data = Vec::new();
        std::io::stdin()
            .read_to_end(&mut data)
            .context("reading the CSV from stdin")?;
        return Ok(data);
    }
    std::fs::read(file).with_context(|| format!("reading {file}"))
}

pub fn import(ctx: &mut Ctx, a: &ImportArgs) -> anyhow::Result<()> {
    let kind = ImportKind::parse(&a.kind)?;
    let data = read_input(&a.file)?;
    let report = if a.preview {
        io::preview_import(&ctx.store, kind, &data)?
    } else {
        io::run_import(&mut ctx.store, kind, &data)?
    };
    if ctx.json {
        output::json(&report)?;
    } else {
        print_report(&report, a.preview)?;
    }
    if !a.preview && !report.committed {
        return Err(CoreError::invalid(
            "import",
            format!(
                "{} of {} rows have problems; nothing was written",
                report.rows_total - report.rows_ok,
                report.rows_total
            ),
        )
        .into());
    }
    Ok(())
}

fn print_report(r: &ImportReport, preview: bool) -> anyhow::Result<()> {
    let verb = if preview { "would create" } else { "created" };
    let verb2 = if preview { "would update" } else { "updated" };
    say!(
        "{} rows, {} without problems: {verb} {}, {verb2} {}{}",
        r.rows_total,
        r.rows_ok,
        r.created,
        r.updated,
        if preview {
            " (preview: nothing written)"
        } else {
            ""
        }
    );
    let mut columns = Table::new(&["COLUMN", "FILLS"]);
    for c in &r.columns {
        columns.row(vec![
            c.header.clone(),
            or_dash(c.field.as_ref()).replace('-', "(ignored)"),
        ]);
    }
    say!();
    columns.print("no columns")?;
    if preview && !r.preview.is_empty() {
        let headers: Vec<&str> = r.columns.iter().map(|c| c.header.as_str()).collect();
        let mut rows = Table::new(&headers);
        r.preview.iter().for_each(|row| rows.row(row.clone()));
        say!();
        rows.print("")?;
    }
    if !r.errors.is_empty() {
        let mut errors = Table::new(&["LINE", "COLUMN", "PROBLEM"]);
        for e in &r.errors {
            errors.row(vec![
                e.line.to_string(),
                or_dash(e.column.as_ref()),
                e.message.clone(),
            ]);
        }
        say!();
        errors.print("")?;
    }
    Ok(())
}

pub fn export(ctx: &Ctx, a: &ExportArgs) -> anyhow::Result<()> {
    let kind = ExportKind::parse(&a.kind)?;
    let mut csv = Vec::new();
    let rows = io::export_csv(ctx.store.read(), kind, &mut csv)?;
    let out = a.out.as_ref().map(|p| p.display().to_string());
    if let Some(path) = &a.out {
        std::fs::write(path, &csv).with_context(|| format!("writing {}", path.display()))?;
    }
    if ctx.json {
        let csv_text = out
            .is_none()
            .then(|| String::from_utf8_lossy(&csv).into_owned());
        return output::json(&serde_json::json!({
            "kind": a.kind.trim().to_lowercase(), "rows": rows, "out": out, "csv": csv_text,
        }));
    }
    match out {
        Some(path) => say!("exported {rows} rows to {path}"),
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &csv)?,
    }
    Ok(())
}
