//! `cdesk opp …`: opportunities and their R7 checks.

use cdesk_core::domain::CommandPlanLevel;
use cdesk_core::ops::{self, NewOpportunity, OpportunityChanges, OpportunityQuery};
use cdesk_core::rules::{IncumbentRight, R7Check};
use clap::{Args, Subcommand};

use crate::context::Ctx;
use crate::output::{self, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum OppCmd {
    /// Add an opportunity with its R7 facts (command plan level, custom pitch deck)
    #[command(
        after_help = "Example:\n  cdesk opp add --account Initech --name \"Initech Premium\" \
--segment smb --close 2027-01-31 \\\n        --amount 12000 --iacv 12000 --partner Acme \
--command-plan overview --pitch-deck"
    )]
    Add(Box<AddArgs>),
    /// Change an opportunity; only the options given change
    #[command(
        after_help = "Examples:\n  cdesk opp edit \"Initech Premium\" --stage proposal \
--command-plan full\n  cdesk opp edit \"Initech Premium\" --stage closed_won --reason \
\"Partner-led proof of value\""
    )]
    Edit(Box<EditArgs>),
    /// List opportunities with their R7 flags
    #[command(
        after_help = "Examples:\n  cdesk opp list --open\n  cdesk opp list --partner Acme \
--r7-gaps\n\nR7 reads what is required and whether it is there: `plan full!` is a missing \
full command plan,\n`deck!` a missing custom pitch deck."
    )]
    List {
        /// Only those a partner registered or co-sells
        #[arg(long)]
        partner: Option<String>,
        /// Leave out closed deals
        #[arg(long)]
        open: bool,
        /// Only those lacking what R7 requires
        #[arg(long)]
        r7_gaps: bool,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Account id or name
    #[arg(long)]
    pub account: String,
    #[arg(long)]
    pub name: String,
    /// smb or mid_market
    #[arg(long)]
    pub segment: String,
    /// Close date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub close: String,
    /// Amount, e.g. 12000 or $12,000.00
    #[arg(long)]
    pub amount: Option<String>,
    /// Incremental ACV
    #[arg(long)]
    pub iacv: Option<String>,
    /// ISO 4217 currency of the amounts, e.g. EUR (default: the account's)
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// qualifying (default), discovery, scoping, technical_evaluation, proposal, negotiating,
    /// closed_won, closed_lost
    #[arg(long)]
    pub stage: Option<String>,
    /// new_business (default), add_on, renewal, services_only
    #[arg(long = "type", value_name = "TYPE")]
    pub opportunity_type: Option<String>,
    /// The partner that registered the deal
    #[arg(long)]
    pub partner: Option<String>,
    /// The command plan that exists: none (default), overview, full
    #[arg(long)]
    pub command_plan: Option<String>,
    /// A custom pitch deck exists
    #[arg(long)]
    pub pitch_deck: bool,
    /// Owner (default: the account's owner)
    #[arg(long)]
    pub owner: Option<String>,
    /// The customer's understanding of what the vendor does
    #[arg(long)]
    pub understanding: Option<String>,
    /// Why the deal was won or lost (required for a closed deal)
    #[arg(long)]
    pub reason: Option<String>,
    /// A link to the custom pitch deck
    #[arg(long, value_name = "URL")]
    pub deck_url: Option<String>,
    /// The customer's understanding came via the partner
    #[arg(long)]
    pub via_partner: bool,
    /// The standard partner discount on the deal (credited back to the seller)
    #[arg(long, value_name = "AMOUNT")]
    pub discount: Option<String>,
    /// Partner services sold with the deal
    #[arg(long, value_name = "AMOUNT")]
    pub services: Option<String>,
    /// A renewal's incumbent partner (default for a renewal: the partner that sold the
    /// account's latest won deal)
    #[arg(long, value_name = "PARTNER")]
    pub incumbent: Option<String>,
    /// The customer does not want the incumbent for this renewal
    #[arg(long)]
    pub incumbent_declined: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Opportunity id or name
    pub opportunity: String,
    #[arg(long)]
    pub name: Option<String>,
    /// new_business, add_on, renewal, services_only
    #[arg(long = "type", value_name = "TYPE")]
    pub opportunity_type: Option<String>,
    /// smb or mid_market (the R7 thresholds follow it)
    #[arg(long)]
    pub segment: Option<String>,
    /// A closed stage (closed_won, closed_lost) needs --reason unless the deal has one
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long)]
    pub iacv: Option<String>,
    /// ISO 4217 currency of the amounts, e.g. EUR
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    #[arg(long, value_name = "DATE")]
    pub close: Option<String>,
    /// The partner that registered the deal; "" for none
    #[arg(long)]
    pub partner: Option<String>,
    #[arg(long)]
    pub command_plan: Option<String>,
    /// yes or no
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new(), value_name = "YES|NO")]
    pub pitch_deck: Option<bool>,
    /// A link to the custom pitch deck; "" for none
    #[arg(long, value_name = "URL")]
    pub deck_url: Option<String>,
    #[arg(long)]
    pub understanding: Option<String>,
    /// The customer's understanding came via the partner: yes or no
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new(), value_name = "YES|NO")]
    pub via_partner: Option<bool>,
    /// The standard partner discount (credited back to the seller)
    #[arg(long, value_name = "AMOUNT")]
    pub discount: Option<String>,
    /// Partner services sold with the deal
    #[arg(long, value_name = "AMOUNT")]
    pub services: Option<String>,
    /// A renewal's incumbent partner; "" for none
    #[arg(long, value_name = "PARTNER")]
    pub incumbent: Option<String>,
    /// The customer does not want the incumbent for this renewal: yes or no
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new(), value_name = "YES|NO")]
    pub incumbent_declined: Option<bool>,
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
}

pub fn run(ctx: &mut Ctx, cmd: OppCmd) -> anyhow::Result<()> {
    let opp = match cmd {
        OppCmd::Add(a) => ops::create_opportunity(
            &mut ctx.store,
            &NewOpportunity {
                account: a.account,
                name: a.name,
                segment: a.segment,
                close_date: a.close,
                opportunity_type: a.opportunity_type,
                stage: a.stage,
                amount: a.amount,
                iacv: a.iacv,
                currency: a.currency,
                registered_partner: a.partner,
                command_plan: a.command_plan,
                has_pitch_deck: a.pitch_deck,
                owner: a.owner,
                customer_understanding: a.understanding,
                win_loss_reason: a.reason,
                pitch_deck_url: a.deck_url,
                understanding_via_partner: a.via_partner,
                partner_discount: a.discount,
                services_attach: a.services,
                incumbent_partner: a.incumbent,
                incumbent_declined_by_customer: a.incumbent_declined,
            },
        )?,
        OppCmd::Edit(a) => ops::update_opportunity(
            &mut ctx.store,
            &OpportunityChanges {
                opportunity: a.opportunity,
                name: a.name,
                opportunity_type: a.opportunity_type,
                segment: a.segment,
                stage: a.stage,
                amount: a.amount,
                iacv: a.iacv,
                currency: a.currency,
                close_date: a.close,
                registered_partner: a.partner,
                command_plan: a.command_plan,
                has_pitch_deck: a.pitch_deck,
                pitch_deck_url: a.deck_url,
                customer_understanding: a.understanding,
                understanding_via_partner: a.via_partner,
                partner_discount: a.discount,
                services_attach: a.services,
                incumbent_partner: a.incumbent,
                incumbent_declined_by_customer: a.incumbent_declined,
                owner: a.owner,
                win_loss_reason: a.reason,
            },
        )?,
        OppCmd::List {
            partner,
            open,
            r7_gaps,
        } => {
            let query = OpportunityQuery {
                partner,
                account: None,
                open_only: open,
                r7_gaps_only: r7_gaps,
            };
            return list(ctx, &query);
        }
    };
    if ctx.json {
        return output::json(&opp);
    }
    say!(
        "saved opportunity {} ({}, {})",
        opp.name,
        opp.stage.label(),
        opp.id
    );
    Ok(())
}

/// `plan full!` when a required full plan is missing, `plan overview` when met, and so on.
pub fn r7_flags(check: &R7Check) -> String {
    let mut flags = Vec::new();
    if check.command_plan_required != CommandPlanLevel::None {
        let level = check.command_plan_required.code();
        let bang = if check.command_plan_missing { "!" } else { "" };
        flags.push(format!("plan {level}{bang}"));
    }
    if check.pitch_deck_required {
        flags.push(
            if check.pitch_deck_missing {
                "deck!"
            } else {
                "deck"
            }
            .to_string(),
        );
    }
    if flags.is_empty() {
        "-".into()
    } else {
        flags.join(", ")
    }
}

/// `late` for an open deal past its close date, `no step` for one without an open next step,
/// `FRR Acme` while a renewal's incumbent holds the first right of refusal (`FRR Acme
/// passed over!` when another partner registered it).
fn attention_flags(a: ops::DealAttention, incumbent: Option<&IncumbentRight>) -> String {
    let mut flags: Vec<String> = [(a.past_close_date, "late"), (a.no_next_step, "no step")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, flag)| flag.to_string())
        .collect();
    if let Some(i) = incumbent.filter(|i| i.first_right_of_refusal) {
        let passed = if i.passed_over { " passed over!" } else { "" };
        flags.push(format!("FRR {}{passed}", i.partner_name));
    }
    if flags.is_empty() {
        "-".into()
    } else {
        flags.join(", ")
    }
}

fn list(ctx: &Ctx, query: &OpportunityQuery) -> anyhow::Result<()> {
    let lines = ops::list_opportunities(ctx.store.read(), query)?;
    if ctx.json {
        return output::json(&lines);
    }
    let mut t = Table::new(&[
        "NAME",
        "ACCOUNT",
        "STAGE",
        "SEGMENT",
        "AMOUNT",
        "IACV",
        "CLOSE",
        "R7",
        "ATTENTION",
    ]);
    for l in lines {
        let o = &l.opportunity;
        t.row(vec![
            o.name.clone(),
            l.account_name.clone(),
            o.stage.label().into(),
            o.segment.label().into(),
            o.currency.format(o.amount),
            o.currency.format(o.iacv),
            o.close_date.to_string(),
            r7_flags(&l.r7),
            attention_flags(l.attention, l.incumbent.as_ref()),
        ]);
    }
    t.print("no opportunities match")?;
    Ok(())
}
