//! Percentiles, the results table, and `docs/sync-benchmarks.md`.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

/// Order statistics of a set of durations, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Stats {
    pub samples: usize,
    pub min: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Stats {
    pub fn of(samples: &[Duration]) -> Stats {
        assert!(!samples.is_empty(), "no samples");
        let mut ms: Vec<f64> = samples.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        // Nearest rank: the smallest sample with at least p% of the samples at or below it.
        let rank =
            |p: f64| ms[((p / 100.0 * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Stats {
            samples: ms.len(),
            min: ms[0],
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: ms[ms.len() - 1],
            mean: ms.iter().sum::<f64>() / ms.len() as f64,
        }
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// What a row is held to.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// The value must be below `limit`.
    Below { limit: f64 },
    /// Reported, not held to anything.
    None,
}

/// One line of the results table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub scenario: &'static str,
    pub what: String,
    pub value: f64,
    pub unit: &'static str,
    pub target: Target,
    /// How the value was taken and what it is made of.
    pub detail: String,
    /// The 1-minute load average when the row was measured.
    pub load_average: f64,
}

impl Row {
    pub fn met(&self) -> Option<bool> {
        match self.target {
            Target::Below { limit } => Some(self.value < limit),
            Target::None => None,
        }
    }

    fn target_text(&self) -> String {
        match self.target {
            Target::Below { limit } => format!("< {} {}", number(limit), self.unit),
            Target::None => "—".into(),
        }
    }

    fn met_text(&self) -> &'static str {
        match self.met() {
            Some(true) => "yes",
            Some(false) => "**NO**",
            None => "",
        }
    }
}

fn number(v: f64) -> String {
    if v == v.trunc() || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The table as Markdown (also readable as plain text).
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| # | what | measured | target | met | load avg | how / breakdown |\n\
         | --- | --- | ---: | --- | --- | ---: | --- |\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} {} | {} | {} | {:.2} | {} |\n",
            r.scenario,
            r.what,
            number(r.value),
            r.unit,
            r.target_text(),
            r.met_text(),
            r.load_average,
            r.detail
        ));
    }
    out
}

/// Everything a run produced, for the JSON block of the report.
#[derive(Debug, Serialize)]
pub struct Run {
    pub command: String,
    pub started_uptime: String,
    pub finished_uptime: String,
    pub total_seconds: f64,
    pub machine: Vec<(String, String)>,
    pub rows: Vec<Row>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

const BEGIN: &str =
    "<!-- syncbench:begin (written by `cargo bench -p cdesk-server --bench sync`) -->";
const END: &str = "<!-- syncbench:end -->";

/// Writes the run between the markers of `path`, keeping the hand-written text around them
/// (a new file gets a short header).
pub fn write_markdown(path: &Path, run: &Run) -> std::io::Result<()> {
    let mut generated = format!(
        "{BEGIN}\n\n## Latest run\n\n```sh\n{}\n```\n\n",
        run.command
    );
    generated.push_str(&format!(
        "- started: `{}`\n- finished: `{}` ({:.0} s in all)\n",
        run.started_uptime, run.finished_uptime, run.total_seconds
    ));
    for (k, v) in &run.machine {
        generated.push_str(&format!("- {k}: {v}\n"));
    }
    generated.push('\n');
    generated.push_str(&table(&run.rows));
    generated.push_str("\n<details><summary>Raw results (JSON)</summary>\n\n```json\n");
    generated.push_str(&serde_json::to_string_pretty(run).expect("the run as JSON"));
    generated.push_str("\n```\n\n</details>\n\n");
    generated.push_str(END);
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let text = match (existing.find(BEGIN), existing.find(END)) {
        (Some(b), Some(e)) if b < e => format!(
            "{}{generated}{}",
            &existing[..b],
            &existing[e + END.len()..]
        ),
        _ => format!("# Sync benchmarks\n\n{generated}\n"),
    };
    std::fs::write(path, text)
}
