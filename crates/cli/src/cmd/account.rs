//! `cdesk account …`

use cdesk_core::ops::{self, NewAccount, TierChange};
use clap::Subcommand;

use crate::context::Ctx;
use crate::output::{self, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum AccountCmd {
    /// Add an account (a customer or prospect); untiered unless --tier is given
    #[command(
        after_help = "Example:\n  cdesk account add Initech --owner ae@vendor.example \
--partner Acme --tier tier2"
    )]
    Add {
        /// Account name (unique)
        name: String,
        /// The sales rep who owns the account
        #[arg(long, default_value = "")]
        owner: String,
        /// tier1, tier2, tier3, untiered
        #[arg(long)]
        tier: Option<String>,
        /// What the partner uncovered that bears on the tier
        #[arg(long)]
        tier_notes: Option<String>,
        /// The partner co-selling on the account
        #[arg(long)]
        partner: Option<String>,
    },
    /// Set an account's tier, with what the partner uncovered
    #[command(
        after_help = "Example:\n  cdesk account tier Initech tier1 --notes \"Partner found \
a 2,000-seat expansion\""
    )]
    Tier {
        account: String,
        tier: String,
        #[arg(long)]
        notes: Option<String>,
    },
    /// List accounts
    #[command(after_help = "Example:\n  cdesk account list --json")]
    List,
}

pub fn run(ctx: &mut Ctx, cmd: AccountCmd) -> anyhow::Result<()> {
    let account = match cmd {
        AccountCmd::Add {
            name,
            owner,
            tier,
            tier_notes,
            partner,
        } => ops::create_account(
            &mut ctx.store,
            &NewAccount {
                name,
                owner,
                tier,
                tier_notes,
                partner,
            },
        )?,
        AccountCmd::Tier {
            account,
            tier,
            notes,
        } => ops::set_account_tier(
            &mut ctx.store,
            &TierChange {
                account,
                tier,
                tier_notes: notes,
            },
        )?,
        AccountCmd::List => {
            let accounts = ops::list_accounts(ctx.store.read())?;
            if ctx.json {
                return output::json(&accounts);
            }
            let names = partner_names(ctx)?;
            let mut t = Table::new(&["NAME", "TIER", "PARTNER", "OWNER", "ID"]);
            for a in accounts {
                let partner = a.partner_id.as_ref().and_then(|id| names.get(id).cloned());
                t.row(vec![
                    a.name,
                    a.tier.label().into(),
                    output::or_dash(partner),
                    a.owner,
                    a.id,
                ]);
            }
            t.print("no accounts yet")?;
            return Ok(());
        }
    };
    if ctx.json {
        return output::json(&account);
    }
    say!(
        "saved account {} ({}, {})",
        account.name,
        account.tier.label(),
        account.id
    );
    Ok(())
}

fn partner_names(ctx: &Ctx) -> anyhow::Result<std::collections::HashMap<String, String>> {
    Ok(ctx
        .store
        .read()
        .partners(&Default::default())?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect())
}
