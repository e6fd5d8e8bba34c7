//! How results are shown: aligned text tables for people, JSON for programs (`--json`), and
//! the few phrases (closures, review standings) that several commands print the same way.

use std::io::{IsTerminal, Write};

/// `println!` that returns an error instead of panicking when stdout is closed (`cdesk … |
/// head`); `main` ends quietly on a broken pipe.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        ::std::writeln!(::std::io::stdout().lock(), $($arg)*)?
    }};
}

use cdesk_core::rules::{GapClosure, ReviewStatus};
use serde::Serialize;

/// Prints `value` as pretty JSON on stdout.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A text table with a header row; columns are padded to their widest cell.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Cells longer than this are cut with an ellipsis so a row stays on one line.
const MAX_CELL_CHARS: usize = 60;

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// Prints the table, or `empty` when it has no rows.
    pub fn print(&self, empty: &str) -> std::io::Result<()> {
        if self.rows.is_empty() {
            say!("{empty}");
            return Ok(());
        }
        // The last column is not padded, so it is left whole: it may carry highlight codes.
        let last = self.headers.len().saturating_sub(1);
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if i < last {
                            cut(c, MAX_CELL_CHARS)
                        } else {
                            c.clone()
                        }
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(cell.chars().count());
                }
            }
        }
        let line = |cells: &[String]| {
            let last = cells.len().saturating_sub(1);
            let mut out = String::new();
            for (i, cell) in cells.iter().enumerate() {
                out.push_str(cell);
                if i < last {
                    let pad = widths[i].saturating_sub(cell.chars().count()) + 2;
                    out.push_str(&" ".repeat(pad));
                }
            }
            out.trim_end().to_string()
        };
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", line(&self.headers))?;
        for row in &rows {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

/// At most `max` characters, the last one an ellipsis when cut; newlines become spaces.
pub fn cut(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// How search hits are marked: bold on a terminal, `[..]` in a pipe or file (or NO_COLOR).
pub struct Highlight {
    pub open: &'static str,
    pub close: &'static str,
}

impl Highlight {
    pub fn for_stdout() -> Highlight {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        if color {
            Highlight {
                open: "\x1b[1m",
                close: "\x1b[0m",
            }
        } else {
            Highlight {
                open: "[",
                close: "]",
            }
        }
    }
}

/// "met", "closes 2027-03-31", "closes 2027-03-31, behind plan", "not closed by plan (short by 2)".
pub fn closure(c: &GapClosure) -> String {
    match c {
        GapClosure::Met => "met".into(),
        GapClosure::Planned { on, overdue: false } => format!("closes {on}"),
        GapClosure::Planned { on, overdue: true } => format!("closes {on}, behind plan"),
        GapClosure::NotClosed { short_by } => format!("not closed by plan (short by {short_by})"),
    }
}

pub fn review_status(s: &ReviewStatus) -> String {
    match s {
        ReviewStatus::InGoodStanding => "in good standing".into(),
        ReviewStatus::EvidenceDue => "evidence due".into(),
        ReviewStatus::EvidenceSent { on } => format!("evidence sent {on}, review to record"),
        ReviewStatus::ReviewOverdue { since } => format!("review overdue since {since}"),
        ReviewStatus::InGrace {
            until,
            compliant_now,
        } => format!(
            "in grace until {until}{}",
            if *compliant_now {
                " (compliant again: record a review)"
            } else {
                ""
            }
        ),
        ReviewStatus::Lapsed { since } => format!("lapsed {since}"),
    }
}

pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.into()
}

pub fn or_dash(value: Option<impl ToString>) -> String {
    value.map_or_else(|| "-".into(), |v| v.to_string())
}

/// A section title in text output.
pub fn heading(title: &str) -> std::io::Result<()> {
    say!("\n{title}\n{}", "-".repeat(title.chars().count()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_cut_with_an_ellipsis() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
        assert_eq!(cut("a\nb", 4), "a b", "a row stays one line");
    }
}
