//! Demo co-selling: a partner's accounts, opportunities, call notes and next steps.

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};

use super::partners::PartnerData;
use super::rng::Rng;
use super::text::Filler;
use super::words::*;
use crate::domain::*;
use crate::rules::r7;
use crate::rules::RuleBook;

/// How far back call notes go.
const NOTE_HISTORY_DAYS: i64 = 540;

/// The accounts a partner co-sells on, and their opportunities.
pub(super) fn accounts_and_opportunities(
    rng: &mut Rng,
    data: &PartnerData,
    book: &RuleBook,
    today: NaiveDate,
    names: &mut HashSet<String>,
) -> (Vec<Account>, Vec<Opportunity>) {
    let partner = &data.partner;
    let count = match partner.track {
        Track::Select => rng.between(4, 10),
        Track::Open => rng.between(2, 6),
        Track::Distribution => rng.between(1, 3),
    };
    let mut accounts = Vec::new();
    let mut opportunities = Vec::new();
    for _ in 0..count {
        let name = account_name(rng, names);
        let created = rng.time_within(today, -900, -30);
        let tier = *rng.pick_weighted(&[
            (Tier::Tier1, 15),
            (Tier::Tier2, 30),
            (Tier::Tier3, 35),
            (Tier::Untiered, 20),
        ]);
        let tier_notes = if rng.chance(0.3) {
            format!("Partner uncovered {}.", rng.pick(UNCOVERED))
        } else {
            String::new()
        };
        let mut account = Account {
            id: rng.id(created),
            name,
            tier,
            tier_notes,
            partner_id: Some(partner.id.clone()),
            owner: rng.pick(account_executives(partner.region)).to_string(),
            carr: Money::default(),
            currency: partner.currency.clone(),
            created_at: created,
            updated_at: created,
        };
        let segment = if rng.chance(0.55) {
            Segment::Smb
        } else {
            Segment::MidMarket
        };
        let deals = *rng.pick_weighted(&[(0, 20), (1, 40), (2, 30), (3, 10)]);
        let first = opportunities.len();
        for _ in 0..deals {
            opportunities.push(opportunity(rng, partner, &account, segment, book, today));
        }
        // What it won is what it pays now: a customer's CARR.
        account.carr = opportunities[first..]
            .iter()
            .filter(|o| o.stage == OpportunityStage::ClosedWon)
            .map(|o| o.amount)
            .sum();
        accounts.push(account);
    }
    (accounts, opportunities)
}

/// A customer name from the word lists, unique within the demo.
fn account_name(rng: &mut Rng, taken: &mut HashSet<String>) -> String {
    rng.unique_name(taken, |rng| {
        format!(
            "{} {}{}",
            rng.pick(ACCOUNT_FIRST),
            rng.pick(ACCOUNT_INDUSTRY),
            rng.pick(ACCOUNT_SUFFIX)
        )
    })
}

/// An opportunity whose amount sits near the R7 thresholds of its segment: some exactly on a
/// threshold (not over it), some just over, most within a factor of two either way.
fn opportunity(
    rng: &mut Rng,
    partner: &Partner,
    account: &Account,
    segment: Segment,
    book: &RuleBook,
    today: NaiveDate,
) -> Opportunity {
    let mut anchors: Vec<i64> = book
        .r7_thresholds
        .iter()
        .filter(|t| t.segment == segment)
        .map(|t| t.threshold.cents())
        .collect();
    anchors.sort_unstable();
    anchors.dedup();
    if anchors.is_empty() {
        anchors.push(Money::from_dollars(10_000).cents());
    }
    let anchor = *rng.pick(&anchors);
    let amount = match rng.below(20) {
        0..=2 => anchor,
        3 => anchor + 100,
        _ => (anchor * rng.between(40, 200) / 100 / 5_000).max(1) * 5_000,
    };
    let opportunity_type = *rng.pick_weighted(&[
        (OpportunityType::NewBusiness, 50),
        (OpportunityType::AddOn, 30),
        (OpportunityType::Renewal, 20),
    ]);
    let iacv_percent = match opportunity_type {
        OpportunityType::NewBusiness => rng.between(80, 100),
        OpportunityType::AddOn => rng.between(60, 100),
        OpportunityType::Renewal => rng.between(0, 25),
        OpportunityType::ServicesOnly => 0,
    };
    let iacv = amount * iacv_percent / 100 / 1_000 * 1_000;
    let stage = *rng.pick_weighted(&[
        (OpportunityStage::Qualifying, 12),
        (OpportunityStage::Discovery, 14),
        (OpportunityStage::Scoping, 10),
        (OpportunityStage::TechnicalEvaluation, 10),
        (OpportunityStage::Proposal, 10),
        (OpportunityStage::Negotiating, 8),
        (OpportunityStage::ClosedWon, 20),
        (OpportunityStage::ClosedLost, 16),
    ]);
    let close_date = if stage.is_closed() {
        today - Duration::days(rng.between(1, 400))
    } else {
        // Mostly ahead; some have slipped past their close date.
        today + Duration::days(rng.between(-20, 200))
    };
    let usd = |cents| {
        book.rates()
            .in_base_or_as_is(Money(cents), &account.currency)
    };
    let (plan_required, deck_required) =
        r7::requirements(&book.r7_thresholds, segment, usd(amount), usd(iacv));
    let diligent = rng.chance(0.7);
    let command_plan = if diligent {
        plan_required
    } else {
        *rng.pick(CommandPlanLevel::ALL).min(&plan_required)
    };
    let win_loss_reason = match stage {
        OpportunityStage::ClosedWon => WIN_LOSS[rng.below(3)].to_string(),
        OpportunityStage::ClosedLost => WIN_LOSS[3 + rng.below(WIN_LOSS.len() - 3)].to_string(),
        _ => String::new(),
    };
    let created = rng.time_within(account.created_at.date(), 0, 25);
    let product = rng.pick(PRODUCTS);
    let seats = rng.between(2, 60) * 25;
    let id = rng.id(created);
    let registered_partner_id = rng.chance(0.65).then(|| partner.id.clone());
    let customer_understanding = if rng.chance(0.4) {
        rng.pick(UNDERSTANDING).to_string()
    } else {
        String::new()
    };
    let has_pitch_deck = (diligent && deck_required) || rng.chance(0.1);
    Opportunity {
        // A registered deal carries the standard partner discount (15 %) and, on bigger
        // deals, the partner's services.
        partner_discount: Money(if registered_partner_id.is_some() {
            amount * 15 / 100
        } else {
            0
        }),
        services_attach: Money(if registered_partner_id.is_some() && amount >= 2_000_000 {
            amount / 10 / 100_000 * 100_000
        } else {
            0
        }),
        pitch_deck_url: if has_pitch_deck {
            format!("https://decks.vendor.example/{id}")
        } else {
            String::new()
        },
        understanding_via_partner: registered_partner_id.is_some()
            && !customer_understanding.is_empty(),
        // A renewal's incumbent is the partner co-selling the account, which sold it.
        incumbent_partner_id: (opportunity_type == OpportunityType::Renewal)
            .then(|| partner.id.clone()),
        incumbent_declined_by_customer: false,
        id,
        account_id: account.id.clone(),
        name: format!("{} - {product} ({seats} seats)", account.name),
        opportunity_type,
        stage,
        amount: Money(amount),
        currency: account.currency.clone(),
        iacv: Money(iacv),
        segment,
        close_date,
        registered_partner_id,
        win_loss_reason,
        customer_understanding,
        command_plan,
        has_pitch_deck,
        owner: account.owner.clone(),
        created_at: created,
        updated_at: created,
    }
}

/// `count` call notes about a partner's business, with the next steps agreed on them.
pub(super) fn notes(
    rng: &mut Rng,
    data: &PartnerData,
    accounts: &[Account],
    opportunities: &[Opportunity],
    count: usize,
    today: NaiveDate,
) -> (Vec<CallNote>, Vec<NextStep>) {
    let partner = &data.partner;
    let people: Vec<String> = data.people.iter().map(|p| p.name.clone()).collect();
    let mut notes = Vec::with_capacity(count);
    let mut steps = Vec::new();
    for _ in 0..count {
        let account = (!accounts.is_empty() && rng.chance(0.85)).then(|| rng.pick(accounts));
        let opportunity = account.and_then(|a| {
            let deals: Vec<&Opportunity> = opportunities
                .iter()
                .filter(|o| o.account_id == a.id)
                .collect();
            (!deals.is_empty() && rng.chance(0.5)).then(|| *rng.pick(&deals))
        });
        let customer = match account {
            Some(a) => a.name.as_str(),
            None if !accounts.is_empty() => rng.pick(accounts).name.as_str(),
            None => "a prospect",
        };
        let filler = Filler {
            partner: &partner.name,
            customer,
            people: &people,
            region: partner.region,
            today,
        };
        // Recent weeks are busier than last year.
        let days_back = rng
            .between(0, NOTE_HISTORY_DAYS)
            .min(rng.between(0, NOTE_HISTORY_DAYS));
        let occurred = rng.time_on(today - Duration::days(days_back));
        let created = crate::time::Timestamp(occurred.0 + Duration::minutes(rng.between(5, 240)));
        let author = if rng.chance(0.7) {
            rng.pick(account_executives(partner.region)).to_string()
        } else {
            partner.owner.clone()
        };
        let title_template = *rng.pick(NOTE_TITLES);
        let title = filler.fill(rng, title_template);
        let sentences = rng.between(2, 5) as usize;
        let body = filler.sentences(rng, NOTE_SENTENCES, sentences, " ");
        let mut note = CallNote {
            id: rng.id(created),
            title,
            body,
            via_partner: false,
            partner_id: Some(partner.id.clone()),
            account_id: account.map(|a| a.id.clone()),
            opportunity_id: opportunity.map(|o| o.id.clone()),
            author: author.clone(),
            occurred_at: occurred,
            created_at: created,
            updated_at: created,
        };
        if rng.chance(0.2) {
            note.mark_via_partner();
        }
        let agreed = match rng.below(100) {
            0..=59 => 0,
            60..=89 => 1,
            _ => 2,
        };
        for _ in 0..agreed {
            steps.push(next_step(rng, &filler, &note, &author, &people, today));
        }
        notes.push(note);
    }
    (notes, steps)
}

/// A next step agreed on `note`: due a few days to a month later, done or still open (and
/// then overdue when its date has passed), owned by the rep, the CAM or a partner person.
fn next_step(
    rng: &mut Rng,
    filler: &Filler<'_>,
    note: &CallNote,
    author: &str,
    people: &[String],
    today: NaiveDate,
) -> NextStep {
    let noted_on = note.occurred_at.date();
    let due_on = noted_on + Duration::days(rng.between(2, 30));
    let partner_owned = !people.is_empty() && rng.chance(0.35);
    let owner = if partner_owned {
        rng.pick(people).clone()
    } else {
        author.to_string()
    };
    let status = if due_on >= today {
        if rng.chance(0.08) {
            NextStepStatus::Done
        } else {
            NextStepStatus::Open
        }
    } else {
        let overdue_days = (today - due_on).num_days();
        let open_share = if overdue_days > 90 { 3 } else { 15 };
        *rng.pick_weighted(&[
            (NextStepStatus::Done, 100 - open_share - 7),
            (NextStepStatus::Cancelled, 7),
            (NextStepStatus::Open, open_share),
        ])
    };
    let done_at = (status == NextStepStatus::Done).then(|| {
        let done_on =
            (due_on + Duration::days(rng.between(-3, 5))).clamp(noted_on, today.max(noted_on));
        rng.time_on(done_on).max(note.created_at)
    });
    let template = *rng.pick(NEXT_STEPS);
    let description = filler.fill(rng, template);
    let updated = done_at.unwrap_or(note.created_at);
    NextStep {
        id: rng.id(note.created_at),
        description,
        owner,
        due_on,
        agreed_with_partner: partner_owned || rng.chance(0.4),
        status,
        note_id: Some(note.id.clone()),
        partner_id: note.partner_id.clone(),
        opportunity_id: note.opportunity_id.clone(),
        award_badge_id: None,
        done_at,
        created_at: note.created_at,
        updated_at: updated,
    }
}
