//! `cdesk review`: the partner review (QBR) of a quarter, as a document to send the partner.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use cdesk_core::io::document::{to_html, to_pdf};
use cdesk_core::io::review_document;
use cdesk_core::ops;
use clap::{Args, ValueEnum};

use crate::context::Ctx;
use crate::output;
use crate::say;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// A self-contained HTML page
    Html,
    /// A PDF on A4 pages
    Pdf,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The partner, by name or id
    pub partner: String,
    /// Q1 to Q4, optionally with a fiscal year: Q3, "Q3 FY27" (default: this quarter)
    #[arg(long)]
    pub quarter: Option<String>,
    /// html or pdf (default: from the extension of --out, else html)
    #[arg(long, value_enum)]
    pub format: Option<ReviewFormat>,
    /// Write the document here instead of to standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, args: &ReviewArgs) -> anyhow::Result<()> {
    let quarter = args
        .quarter
        .as_deref()
        .map(|q| ops::parse_quarter(q, ctx.today))
        .transpose()?;
    let review = ops::partner_review(ctx.store.read(), &args.partner, quarter, ctx.today)?;
    let format = args
        .format
        .unwrap_or_else(|| format_of(args.out.as_deref()));
    let document = review_document(&review);
    let bytes = match format {
        ReviewFormat::Html => to_html(&document).into_bytes(),
        ReviewFormat::Pdf => to_pdf(&document)?,
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?
        }
        None if ctx.json => {}
        None if format == ReviewFormat::Pdf && std::io::stdout().is_terminal() => {
            anyhow::bail!(
                "a PDF is not for the terminal: give --out FILE.pdf or redirect the output"
            )
        }
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes)?,
    }
    if ctx.json {
        return output::json(&serde_json::json!({
            "review": review,
            "format": format.to_possible_value().map(|v| v.get_name().to_string()),
            "out": args.out.as_ref().map(|p| p.display().to_string()),
        }));
    }
    if let Some(path) = &args.out {
        say!(
            "wrote the {} review of {} to {}",
            review.quarter.label(),
            review.partner_name,
            path.display()
        );
    }
    Ok(())
}

fn format_of(out: Option<&Path>) -> ReviewFormat {
    match out.and_then(Path::extension).and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("pdf") => ReviewFormat::Pdf,
        _ => ReviewFormat::Html,
    }
}
