//! `cdesk calendar`: the dates to work to, as an iCalendar file.

use std::path::Path;

use anyhow::Context as _;
use cdesk_core::ops;

use crate::context::Ctx;
use crate::output;
use crate::say;

pub fn run(
    ctx: &Ctx,
    out: Option<&Path>,
    scope: Option<ops::Scope>,
    person: Option<String>,
) -> anyhow::Result<()> {
    let audience = super::summary::audience(ctx, scope, person)?;
    let events = ops::calendar_events(ctx.store.read(), &audience, ctx.today)?;
    let ics = cdesk_core::io::calendar_ics(&events, chrono::Utc::now());
    if let Some(path) = out {
        std::fs::write(path, &ics).with_context(|| format!("writing {}", path.display()))?;
    }
    if ctx.json {
        return output::json(&serde_json::json!({
            "out": out, "events": events,
        }));
    }
    match out {
        Some(path) => say!("wrote {} events to {}", events.len(), path.display()),
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), ics.as_bytes())?,
    }
    Ok(())
}
