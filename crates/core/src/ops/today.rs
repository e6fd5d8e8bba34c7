//! The Today view: what a CAM or sales rep should look at first, computed for one date.

use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::audience::{Audience, Scope};
use super::next_steps::{lines, partner_refs, NextStepLine, PartnerRef};
use crate::domain::*;
use crate::error::Result;
use crate::rules::{
    account_needs_tier, compliance_for_all, note_lacks_via_partner_mark, opportunity_r7,
    Conversion, Converted, GapClosure, R7Check, RequirementStatus, ReviewStatus,
};
use crate::store::{NoteFilter, Reader};

/// How far ahead "due soon" looks.
pub const DUE_SOON_DAYS: u64 = 7;
/// How far ahead badge reviews are announced.
pub const REVIEW_LOOKAHEAD_DAYS: u64 = 60;
/// How many recent notes the view shows.
pub const RECENT_NOTES: usize = 10;
/// At most this many notes lacking "(ii)" are listed (the count is exact up to it).
const UNMARKED_NOTES_SHOWN: usize = 50;

/// Everything the Today view shows.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct TodaySummary {
    pub today: NaiveDate,
    /// Whose work this covers.
    pub scope: Scope,
    /// Open next steps past their due date, most overdue first.
    pub overdue_next_steps: Vec<NextStepLine>,
    /// Open next steps due from today to seven days ahead.
    pub due_soon: Vec<NextStepLine>,
    pub compliance_gaps: Vec<ComplianceGap>,
    pub badge_reviews: Vec<BadgeReviewLine>,
    /// Open deals per stage, in the base currency (US dollars).
    pub pipeline: Vec<StageTotal>,
    /// How deals in other currencies were brought into the pipeline's, in words.
    pub pipeline_conversion: Converted,
    pub r7_gaps: Vec<R7Gap>,
    pub notes_missing_mark: Vec<NoteLine>,
    pub untiered_accounts: Vec<UntieredAccount>,
    pub recent_notes: Vec<NoteLine>,
    /// Local changes not yet synced.
    pub outbox_pending: i64,
}

/// A partner whose track, or a badge it holds, is not met.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ComplianceGap {
    pub partner_id: String,
    pub partner_name: String,
    pub track: Track,
    pub track_compliant: bool,
    /// Missing certifications for the track and held badges: (name, how many).
    pub missing: Vec<MissingCertification>,
    /// Held badges out of compliance, by name.
    pub badges_at_risk: Vec<String>,
    /// When the enablement plan closes all of it, or that it does not.
    pub closure: GapClosure,
}

/// A number of people still to certify in one certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MissingCertification {
    pub certification: String,
    pub count: i64,
}

/// A held badge whose review is near or overdue, that is in its grace period, or that lapsed
/// lately.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BadgeReviewLine {
    pub partner_id: String,
    pub partner_name: String,
    pub badge_id: String,
    pub badge_name: String,
    pub next_review: NaiveDate,
    pub status: ReviewStatus,
}

/// Open opportunities in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct StageTotal {
    pub stage: OpportunityStage,
    pub count: usize,
    pub amount: Money,
}

/// An open opportunity lacking what R7 requires.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct R7Gap {
    pub opportunity_id: String,
    pub opportunity_name: String,
    pub account_id: String,
    pub account_name: String,
    /// The partner on the deal (registered, else co-selling), where it is edited.
    pub partner_id: Option<String>,
    pub amount: Money,
    /// The currency of `amount`: the deal's.
    pub currency: Currency,
    pub check: R7Check,
}

/// A note as a line of a list (no body: bodies can be megabytes).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteLine {
    pub id: String,
    pub title: String,
    pub via_partner: bool,
    pub partner_name: Option<String>,
    pub author: String,
    pub occurred_at: crate::time::Timestamp,
}

/// An untiered account that R7 says must be tiered: a customer (CARR above zero) or a prospect
/// with open opportunities.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UntieredAccount {
    pub account_id: String,
    pub account_name: String,
    pub open_opportunities: usize,
    pub carr: Money,
    /// The currency of `carr`: the account's.
    pub currency: Currency,
}

fn note_line(n: CallNote, partners: &HashMap<String, PartnerRef>) -> NoteLine {
    NoteLine {
        partner_name: n
            .partner_id
            .as_ref()
            .and_then(|id| partners.get(id).map(|p| p.name.clone())),
        id: n.id,
        title: n.title,
        via_partner: n.via_partner,
        author: n.author,
        occurred_at: n.occurred_at,
    }
}

/// How many recent notes are read to find the [`RECENT_NOTES`] in a narrower scope.
const RECENT_NOTES_SCANNED: usize = 500;

/// The Today view as of `today`, for `audience`.
pub fn today_summary(
    reader: Reader<'_>,
    today: NaiveDate,
    audience: &Audience,
) -> Result<TodaySummary> {
    let names = partner_refs(reader)?;
    let soon = today + Days::new(DUE_SOON_DAYS);
    let due: Vec<NextStep> = reader
        .open_next_steps_due_by(soon)?
        .into_iter()
        .filter(|s| audience.step(s))
        .collect();
    let (overdue, due_soon): (Vec<NextStep>, Vec<NextStep>) =
        due.into_iter().partition(|s| s.is_overdue(today));

    let (compliance_gaps, badge_reviews) = compliance_views(reader, today, audience)?;
    let (pipeline, pipeline_conversion, r7_gaps, untiered_accounts) =
        selling_views(reader, audience)?;

    let note_in_view = |n: &CallNote| audience.note(n);
    let notes_missing_mark = reader
        .via_partner_notes_without_mark(UNMARKED_NOTES_SHOWN)?
        .into_iter()
        .filter(note_lacks_via_partner_mark)
        .filter(note_in_view)
        .map(|n| note_line(n, &names))
        .collect();
    let scanned = if audience.scope == Scope::Everyone {
        RECENT_NOTES
    } else {
        RECENT_NOTES_SCANNED
    };
    let recent_notes = reader
        .notes(&NoteFilter {
            limit: scanned,
            ..NoteFilter::default()
        })?
        .into_iter()
        .filter(note_in_view)
        .take(RECENT_NOTES)
        .map(|n| note_line(n, &names))
        .collect();

    Ok(TodaySummary {
        today,
        scope: audience.scope,
        overdue_next_steps: lines(overdue, &names, today),
        due_soon: lines(due_soon, &names, today),
        compliance_gaps,
        badge_reviews,
        pipeline,
        pipeline_conversion,
        r7_gaps,
        notes_missing_mark,
        untiered_accounts,
        recent_notes,
        outbox_pending: reader.outbox_len()?,
    })
}

fn compliance_views(
    reader: Reader<'_>,
    today: NaiveDate,
    audience: &Audience,
) -> Result<(Vec<ComplianceGap>, Vec<BadgeReviewLine>)> {
    let horizon = today + Days::new(REVIEW_LOOKAHEAD_DAYS);
    let mut gaps = Vec::new();
    let mut reviews = Vec::new();
    for c in compliance_for_all(reader, &Default::default(), today)?
        .into_iter()
        .filter(|c| audience.partner(Some(&c.partner_id)))
    {
        for badge in c.badges.iter().filter(|b| b.held) {
            let Some(review) = badge.review else { continue };
            let show = match review.status {
                ReviewStatus::Lapsed { since } => since + Days::new(REVIEW_LOOKAHEAD_DAYS) > today,
                status => status.needs_action() || review.next_review <= horizon,
            };
            if show {
                reviews.push(BadgeReviewLine {
                    partner_id: c.partner_id.clone(),
                    partner_name: c.partner_name.clone(),
                    badge_id: badge.badge_id.clone(),
                    badge_name: badge.badge_name.clone(),
                    next_review: review.next_review,
                    status: review.status,
                });
            }
        }
        if !c.has_gap() {
            continue;
        }
        let at_risk: Vec<_> = c.badges.iter().filter(|b| b.held && !b.compliant).collect();
        // Per certification, the strictest requirement among the track and the held badges
        // at risk: they count the same people, so meeting the strictest meets them all, and
        // its closure date is the one that matters.
        let mut strictest: BTreeMap<&str, &RequirementStatus> = BTreeMap::new();
        let requirements = c
            .track
            .requirements
            .iter()
            .chain(at_risk.iter().flat_map(|b| b.requirements.iter()));
        for r in requirements {
            let slot = strictest.entry(r.certification_id.as_str()).or_insert(r);
            if r.required > slot.required {
                *slot = r;
            }
        }
        let missing = strictest
            .values()
            .filter(|r| r.missing > 0)
            .map(|r| MissingCertification {
                certification: r.certification_name.clone(),
                count: r.missing,
            })
            .collect();
        let closure = GapClosure::all(strictest.values().map(|r| r.closure));
        gaps.push(ComplianceGap {
            track: c.track.track,
            track_compliant: c.track.compliant,
            missing,
            badges_at_risk: at_risk.iter().map(|b| b.badge_name.clone()).collect(),
            closure,
            partner_id: c.partner_id.clone(),
            partner_name: c.partner_name.clone(),
        });
    }
    reviews.sort_by_key(|r| r.next_review);
    Ok((gaps, reviews))
}

type SellingViews = (Vec<StageTotal>, Converted, Vec<R7Gap>, Vec<UntieredAccount>);

fn selling_views(reader: Reader<'_>, audience: &Audience) -> Result<SellingViews> {
    let book = reader.rule_book()?;
    let accounts: Vec<Account> = reader.accounts()?;
    let by_id: HashMap<&str, &Account> = accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let account_in_view =
        |a: &Account| audience.partner(a.partner_id.as_deref()) || audience.person(&a.owner);
    let deal_in_view = |o: &Opportunity| {
        audience.person(&o.owner)
            || audience.partner(o.registered_partner_id.as_deref())
            || by_id
                .get(o.account_id.as_str())
                .is_some_and(|a| account_in_view(a))
    };
    let account_names: HashMap<&str, &str> = accounts
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let opportunities = reader.opportunities(None)?;

    let mut by_stage: BTreeMap<OpportunityStage, (usize, Money)> = BTreeMap::new();
    let mut conversion = Conversion::new(&book.exchange_rates, Currency::default());
    let mut open_by_account: HashMap<&str, usize> = HashMap::new();
    let mut r7_gaps = Vec::new();
    for o in opportunities
        .iter()
        .filter(|o| !o.stage.is_closed() && deal_in_view(o))
    {
        let slot = by_stage.entry(o.stage).or_default();
        slot.0 += 1;
        slot.1 += conversion
            .convert(o.amount, o.currency.as_str())
            .unwrap_or_default();
        *open_by_account.entry(o.account_id.as_str()).or_default() += 1;
        let check = opportunity_r7(&book.r7_thresholds, book.rates(), o);
        if check.has_gap() {
            r7_gaps.push(R7Gap {
                opportunity_id: o.id.clone(),
                opportunity_name: o.name.clone(),
                account_id: o.account_id.clone(),
                partner_id: o.registered_partner_id.clone().or_else(|| {
                    by_id
                        .get(o.account_id.as_str())
                        .and_then(|a| a.partner_id.clone())
                }),
                account_name: account_names
                    .get(o.account_id.as_str())
                    .copied()
                    .unwrap_or("")
                    .into(),
                amount: o.amount,
                currency: o.currency.clone(),
                check,
            });
        }
    }
    let pipeline = by_stage
        .into_iter()
        .map(|(stage, (count, amount))| StageTotal {
            stage,
            count,
            amount,
        })
        .collect();
    let untiered = accounts
        .iter()
        .filter(|a| account_in_view(a))
        .filter_map(|a| {
            let open = open_by_account.get(a.id.as_str()).copied().unwrap_or(0);
            account_needs_tier(a, open).then(|| UntieredAccount {
                account_id: a.id.clone(),
                account_name: a.name.clone(),
                open_opportunities: open,
                carr: a.carr,
                currency: a.currency.clone(),
            })
        })
        .collect();
    Ok((pipeline, conversion.finish(), r7_gaps, untiered))
}
