//! `cdesk account …`

use cdesk_core::ops::{self, AccountChanges, AccountQuery, NewAccount, TierChange};
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
        /// Current ARR, e.g. 48000 or $48,000
        #[arg(long, value_name = "AMOUNT")]
        carr: Option<String>,
        /// ISO 4217 currency of the CARR and new deals, e.g. EUR (default: the partner's)
        #[arg(long, value_name = "CODE")]
        currency: Option<String>,
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
    /// Change an account; only the options given change
    #[command(
        after_help = "Examples:\n  cdesk account edit Initech --carr 48000 --tier tier2 \
--tier-notes \"Partner found 400 developers\"\n  cdesk account edit Initech --partner \"\""
    )]
    Edit {
        /// Account id or name
        account: String,
        /// A new name (unique)
        #[arg(long)]
        name: Option<String>,
        /// tier1, tier2, tier3, untiered
        #[arg(long)]
        tier: Option<String>,
        /// What the partner uncovered that bears on the tier
        #[arg(long)]
        tier_notes: Option<String>,
        /// Current ARR, e.g. 48000 or $48,000
        #[arg(long, value_name = "AMOUNT")]
        carr: Option<String>,
        /// The co-selling partner; "" for none
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// ISO 4217 currency of the CARR and new deals, e.g. EUR
        #[arg(long, value_name = "CODE")]
        currency: Option<String>,
    },
    /// List accounts with partner, tier, CARR, open pipeline, last call and next step
    #[command(
        after_help = "Examples:\n  cdesk account list --partner Acme\n  cdesk account list \
--needs-tier --json\n\nTIER reads `untiered!` where R7 wants a tier: a customer with CARR \
above 0,\nor a prospect with an open opportunity. CARR and OPEN are in the account's currency; \
open deals\nin another are converted with the exchange rates in the rules."
    )]
    List {
        /// Only those a partner co-sells
        #[arg(long)]
        partner: Option<String>,
        /// Only those a sales rep owns
        #[arg(long)]
        owner: Option<String>,
        /// Only those R7 wants tiered
        #[arg(long)]
        needs_tier: bool,
    },
}

pub fn run(ctx: &mut Ctx, cmd: AccountCmd) -> anyhow::Result<()> {
    let account = match cmd {
        AccountCmd::Add {
            name,
            owner,
            tier,
            tier_notes,
            partner,
            carr,
            currency,
        } => ops::create_account(
            &mut ctx.store,
            &NewAccount {
                name,
                owner,
                tier,
                tier_notes,
                partner,
                carr,
                currency,
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
        AccountCmd::Edit {
            account,
            name,
            tier,
            tier_notes,
            carr,
            partner,
            owner,
            currency,
        } => ops::update_account(
            &mut ctx.store,
            &AccountChanges {
                account,
                name,
                tier,
                tier_notes,
                carr,
                partner,
                owner,
                currency,
            },
        )?,
        AccountCmd::List {
            partner,
            owner,
            needs_tier,
        } => {
            let query = AccountQuery {
                partner,
                owner,
                needs_tier_only: needs_tier,
            };
            let lines = ops::list_account_lines(ctx.store.read(), &query)?;
            if ctx.json {
                return output::json(&lines);
            }
            let mut t = Table::new(&[
                "NAME",
                "TIER",
                "PARTNER",
                "CARR",
                "OPEN",
                "LAST CALL",
                "NEXT STEP",
                "OWNER",
            ]);
            for l in lines {
                let a = l.account;
                let tier = if l.needs_tier {
                    format!("{}!", a.tier.code())
                } else {
                    a.tier.code().to_string()
                };
                t.row(vec![
                    a.name,
                    tier,
                    output::or_dash(l.partner_name),
                    a.currency.format(a.carr),
                    format!("{} ({})", a.currency.format(l.open_pipeline), l.open_deals),
                    output::or_dash(l.last_note.map(|n| n.occurred_at.date().to_string())),
                    output::or_dash(
                        l.next_step
                            .map(|s| format!("{} {}", s.due_on, s.description)),
                    ),
                    a.owner,
                ]);
            }
            t.print("no accounts match")?;
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
