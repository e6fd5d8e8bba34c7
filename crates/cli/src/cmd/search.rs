//! `cdesk search QUERY`

use clap::Args;
use serde::Serialize;

use crate::context::Ctx;
use crate::output::{self, Highlight, Table};

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  cdesk search acme\n  cdesk search '\"pitch deck\" -lost'\n\n\
Words match anywhere (the last one as a prefix); \"…\" is a phrase; -word excludes. Anything\n\
typed is safe: operators and stray quotes are just text. Hits are bold on a terminal, [like\n\
this] otherwise."
)]
pub struct SearchArgs {
    /// What to look for
    pub query: String,
    /// At most this many hits
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// A hit as `--json` prints it: the core's hit plus the snippet as marked text.
#[derive(Serialize)]
struct JsonHit<'a> {
    #[serde(flatten)]
    hit: &'a cdesk_core::store::search::SearchHit,
    snippet_text: String,
}

pub fn run(ctx: &Ctx, a: &SearchArgs) -> anyhow::Result<()> {
    let hits = ctx.store.read().search(&a.query, a.limit)?;
    if ctx.json {
        let out: Vec<JsonHit> = hits
            .iter()
            .map(|hit| JsonHit {
                hit,
                snippet_text: hit.snippet_marked("[", "]"),
            })
            .collect();
        return output::json(&out);
    }
    let mark = Highlight::for_stdout();
    let mut t = Table::new(&["KIND", "TITLE", "SNIPPET"]);
    for hit in &hits {
        let kind = serde_json::to_value(hit.kind)?
            .as_str()
            .unwrap_or("")
            .replace('_', " ");
        // The snippet is the last column and is not cut, so highlight codes never break.
        let snippet: String = hit.snippet_marked(mark.open, mark.close).replace('\n', " ");
        t.row(vec![kind, hit.title.clone(), snippet]);
    }
    t.print("no matches")?;
    Ok(())
}
