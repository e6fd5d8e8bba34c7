//! `cdesk demo`: fill an empty database with realistic demo data (cdesk_core::demo).

use cdesk_core::demo::{self, DemoSize};
use cdesk_core::CoreError;
use clap::Args;

use crate::context::Ctx;
use crate::output::{self, Table};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  cdesk --data-dir /tmp/demo demo\n  \
cdesk --data-dir /tmp/big demo --partners 2000 --notes 100000 --seed 7\n\n\
The same seed and --today give the same data. Only for an empty database: it refuses one\n\
that already has partners.")]
pub struct DemoArgs {
    /// How many partners (people, plans, accounts and opportunities follow from it)
    #[arg(long, default_value_t = 50)]
    pub partners: usize,
    /// How many call notes
    #[arg(long, default_value_t = 2_000)]
    pub notes: usize,
    /// Random seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(ctx: &mut Ctx, a: &DemoArgs) -> anyhow::Result<()> {
    let existing = ctx.store.read().partner_count()?;
    if existing > 0 {
        return Err(CoreError::invalid(
            "demo",
            format!(
                "the database already has {existing} partners; demo data goes into an empty \
                 one (pick another --data-dir)"
            ),
        )
        .into());
    }
    let size = DemoSize {
        partners: a.partners,
        notes: a.notes,
    };
    let summary = demo::generate(&mut ctx.store, size, a.seed, ctx.today)?;
    if ctx.json {
        return output::json(&summary);
    }
    let mut t = Table::new(&["RECORDS", "WRITTEN"]);
    for (kind, n) in [
        ("partners", summary.partners),
        ("people", summary.people),
        ("enablement items", summary.enablement_items),
        ("business plans", summary.plans),
        ("accounts", summary.accounts),
        ("opportunities", summary.opportunities),
        ("call notes", summary.notes),
        ("next steps", summary.next_steps),
    ] {
        t.row(vec![kind.into(), n.to_string()]);
    }
    t.print("")?;
    Ok(())
}
