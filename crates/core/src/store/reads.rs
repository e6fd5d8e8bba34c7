//! Queries, by area. Listing queries are paged or bounded so lists stay fast at 100,000 notes.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::entity::{get, require, select};
use super::Reader;
use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::RuleBook;
use crate::time::Timestamp;
use rusqlite::OptionalExtension;

/// Filters for the partners list; `None` means any.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PartnerFilter {
    pub track: Option<Track>,
    pub region: Option<Region>,
    pub stage: Option<JourneyStage>,
    pub partner_type: Option<PartnerType>,
    pub owner: Option<String>,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
}

/// What plan against actuals needs of a deal (see [`Reader::for_each_deal_closing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealFacts<'a> {
    pub opportunity_type: OpportunityType,
    pub stage: OpportunityStage,
    pub iacv: Money,
    pub services_attach: Money,
    /// The currency of `iacv` and `services_attach`.
    pub currency: &'a str,
}

impl<'a> DealFacts<'a> {
    pub fn of(deal: &'a Opportunity) -> Self {
        DealFacts {
            opportunity_type: deal.opportunity_type,
            stage: deal.stage,
            iacv: deal.iacv,
            services_attach: deal.services_attach,
            currency: deal.currency.as_str(),
        }
    }
}

/// An account's open deals: how many, and their amount summed per currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenDeals {
    pub count: usize,
    pub amounts: Vec<(String, Money)>,
}

/// Which notes to list, newest first, a page at a time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteFilter {
    pub partner_id: Option<String>,
    pub account_id: Option<String>,
    pub opportunity_id: Option<String>,
    /// Continue after this note (keyset paging: the last note of the previous page).
    pub before: Option<NoteCursor>,
    pub limit: usize,
}

/// Where a page of notes ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteCursor {
    pub occurred_at: String,
    pub id: String,
}

fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Reader<'_> {
    // --- partners -------------------------------------------------------------------------

    pub fn partner(&self, id: &str) -> Result<Partner> {
        require(self.conn, id)
    }

    /// A partner by id, or by exact name ignoring case; names that match several are refused.
    pub fn resolve_partner(&self, key: &str) -> Result<Partner> {
        if let Some(p) = get::<Partner>(self.conn, key)? {
            return Ok(p);
        }
        let mut found: Vec<Partner> =
            select(self.conn, "name = ? COLLATE NOCASE", [key.trim()], "name")?;
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(CoreError::NotFound {
                entity: "partner",
                id: key.to_string(),
            }),
            n => Err(CoreError::invalid(
                "partner",
                format!("{n} partners are named {key:?}; use the id"),
            )),
        }
    }

    pub fn partners(&self, f: &PartnerFilter) -> Result<Vec<Partner>> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut params: Vec<String> = Vec::new();
        if let Some(t) = f.track {
            clauses.push("track = ?".into());
            params.push(t.code().into());
        }
        if let Some(r) = f.region {
            clauses.push("region = ?".into());
            params.push(r.code().into());
        }
        if let Some(s) = f.stage {
            clauses.push("journey_stage = ?".into());
            params.push(s.code().into());
        }
        if let Some(t) = f.partner_type {
            clauses.push("EXISTS (SELECT 1 FROM json_each(partner_types) WHERE value = ?)".into());
            params.push(t.code().into());
        }
        if let Some(o) = &f.owner {
            clauses.push("owner = ? COLLATE NOCASE".into());
            params.push(o.trim().into());
        }
        if let Some(n) = f.name_contains.as_deref().filter(|n| !n.trim().is_empty()) {
            clauses.push("name LIKE ? ESCAPE '\\'".into());
            params.push(like_pattern(n.trim()));
        }
        select(
            self.conn,
            &clauses.join(" AND "),
            rusqlite::params_from_iter(params),
            "name COLLATE NOCASE, id",
        )
    }

    pub fn partner_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM partners", [], |r| r.get(0))?)
    }

    // --- enablement -----------------------------------------------------------------------

    pub fn person(&self, id: &str) -> Result<Person> {
        require(self.conn, id)
    }

    pub fn people(&self, partner_id: &str) -> Result<Vec<Person>> {
        select(
            self.conn,
            "partner_id = ?",
            [partner_id],
            "name COLLATE NOCASE, id",
        )
    }

    /// A person at a partner by id, email or exact name (ignoring case).
    pub fn resolve_person(&self, partner_id: &str, key: &str) -> Result<Person> {
        if let Some(p) = get::<Person>(self.conn, key)? {
            return Ok(p);
        }
        let key = key.trim();
        let mut found: Vec<Person> = select(
            self.conn,
            "partner_id = ? AND (email = ?2 COLLATE NOCASE OR name = ?2 COLLATE NOCASE)",
            (partner_id, key),
            "name",
        )?;
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(CoreError::NotFound {
                entity: "person",
                id: key.to_string(),
            }),
            n => Err(CoreError::invalid(
                "person",
                format!("{n} people match {key:?}; use the email or id"),
            )),
        }
    }

    pub fn enablement_item(&self, id: &str) -> Result<EnablementItem> {
        require(self.conn, id)
    }

    pub fn enablement_items(&self, partner_id: &str) -> Result<Vec<EnablementItem>> {
        select(
            self.conn,
            "partner_id = ?",
            [partner_id],
            "coalesce(target_date, '9999'), id",
        )
    }

    /// Every enablement item, grouped by partner id: what compliance for all partners needs.
    pub fn enablement_items_by_partner(
        &self,
    ) -> Result<std::collections::HashMap<String, Vec<EnablementItem>>> {
        let all: Vec<EnablementItem> = select(self.conn, "1 = 1", [], "partner_id")?;
        let mut map: std::collections::HashMap<String, Vec<EnablementItem>> = Default::default();
        for item in all {
            map.entry(item.partner_id.clone()).or_default().push(item);
        }
        Ok(map)
    }

    /// A partner's NFR licence requests, newest first.
    pub fn nfr_requests(&self, partner_id: &str) -> Result<Vec<NfrRequest>> {
        select(
            self.conn,
            "partner_id = ?",
            [partner_id],
            "requested_on DESC, created_at DESC, id",
        )
    }

    pub fn nfr_request(&self, id: &str) -> Result<NfrRequest> {
        require(self.conn, id)
    }

    // --- rules ----------------------------------------------------------------------------

    /// A count from `sql` (a `SELECT count(*) ...` with one `?`): how many records still name a
    /// rules row.
    pub(crate) fn count_where(&self, sql: &str, id: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(sql, [id], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// All rules tables at once.
    pub fn rule_book(&self) -> Result<RuleBook> {
        Ok(RuleBook {
            certifications: select(self.conn, "1 = 1", [], "sort_order, id")?,
            track_requirements: select(self.conn, "1 = 1", [], "track, certification_id")?,
            badges: select(self.conn, "1 = 1", [], "id")?,
            badge_requirements: select(self.conn, "1 = 1", [], "badge_id, certification_id")?,
            r7_thresholds: select(self.conn, "1 = 1", [], "segment, requirement")?,
            exchange_rates: select(self.conn, "1 = 1", [], "currency")?,
            journey_capabilities: select(self.conn, "1 = 1", [], "sort_order, id")?,
            curriculum_modules: select(self.conn, "1 = 1", [], "sort_order, id")?,
        })
    }

    /// A certification by id or name (ignoring case): `pse`, `PSE`, `Sales Core`.
    pub fn resolve_certification(&self, key: &str) -> Result<Certification> {
        let key = key.trim();
        let all: Vec<Certification> = select(self.conn, "1 = 1", [], "sort_order")?;
        let norm = |s: &str| {
            s.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        };
        let wanted = norm(key);
        all.into_iter()
            .find(|c| {
                norm(&c.id) == wanted
                    || norm(&c.name) == wanted
                    || c.name
                        .split(['(', ')'])
                        .any(|part| !part.trim().is_empty() && norm(part) == wanted)
            })
            .ok_or_else(|| CoreError::NotFound {
                entity: "certification",
                id: key.to_string(),
            })
    }

    // --- business plans -------------------------------------------------------------------

    pub fn business_plan(
        &self,
        partner_id: &str,
        fiscal_year: i32,
    ) -> Result<Option<BusinessPlan>> {
        Ok(select::<BusinessPlan>(
            self.conn,
            "partner_id = ? AND fiscal_year = ?",
            (partner_id, fiscal_year),
            "id",
        )?
        .pop())
    }

    /// Every partner's plan for one fiscal year.
    pub fn business_plans_for_year(&self, fiscal_year: i32) -> Result<Vec<BusinessPlan>> {
        select(self.conn, "fiscal_year = ?", [fiscal_year], "partner_id")
    }

    pub fn business_plans(&self, partner_id: &str) -> Result<Vec<BusinessPlan>> {
        select(
            self.conn,
            "partner_id = ?",
            [partner_id],
            "fiscal_year DESC",
        )
    }

    // --- co-selling -----------------------------------------------------------------------

    pub fn account(&self, id: &str) -> Result<Account> {
        require(self.conn, id)
    }

    /// An account by id or exact name (ignoring case).
    pub fn find_account(&self, key: &str) -> Result<Option<Account>> {
        if let Some(a) = get::<Account>(self.conn, key)? {
            return Ok(Some(a));
        }
        Ok(
            select::<Account>(self.conn, "name = ? COLLATE NOCASE", [key.trim()], "id")?
                .into_iter()
                .next(),
        )
    }

    pub fn accounts(&self) -> Result<Vec<Account>> {
        select(self.conn, "1 = 1", [], "name COLLATE NOCASE, id")
    }

    pub fn opportunity(&self, id: &str) -> Result<Opportunity> {
        require(self.conn, id)
    }

    /// Opportunities, optionally only those a partner registered or co-sells (through the
    /// account), most recently closing last.
    pub fn opportunities(&self, partner_id: Option<&str>) -> Result<Vec<Opportunity>> {
        match partner_id {
            None => select(self.conn, "1 = 1", [], "close_date, name"),
            Some(p) => select(
                self.conn,
                "registered_partner_id = ?1
                 OR account_id IN (SELECT id FROM accounts WHERE partner_id = ?1)",
                [p],
                "close_date, name",
            ),
        }
    }

    /// An opportunity by id, or by exact name (ignoring case) within an account.
    pub fn find_opportunity(&self, account_id: &str, key: &str) -> Result<Option<Opportunity>> {
        if let Some(o) = get::<Opportunity>(self.conn, key)? {
            return Ok(Some(o));
        }
        Ok(select::<Opportunity>(
            self.conn,
            "account_id = ? AND name = ? COLLATE NOCASE",
            (account_id, key.trim()),
            "id",
        )?
        .into_iter()
        .next())
    }

    pub fn note(&self, id: &str) -> Result<CallNote> {
        require(self.conn, id)
    }

    /// A page of notes, newest first.
    pub fn notes(&self, f: &NoteFilter) -> Result<Vec<CallNote>> {
        let mut clauses = vec!["1 = 1".to_string()];
        let mut params: Vec<String> = Vec::new();
        for (col, v) in [
            ("partner_id", &f.partner_id),
            ("account_id", &f.account_id),
            ("opportunity_id", &f.opportunity_id),
        ] {
            if let Some(v) = v {
                clauses.push(format!("{col} = ?"));
                params.push(v.clone());
            }
        }
        if let Some(c) = &f.before {
            clauses.push("(occurred_at, id) < (?, ?)".into());
            params.push(c.occurred_at.clone());
            params.push(c.id.clone());
        }
        let limit = if f.limit == 0 { 50 } else { f.limit.min(1000) };
        select(
            self.conn,
            &clauses.join(" AND "),
            rusqlite::params_from_iter(params),
            &format!("occurred_at DESC, id DESC LIMIT {limit}"),
        )
    }

    pub fn note_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM call_notes", [], |r| r.get(0))?)
    }

    pub fn next_step(&self, id: &str) -> Result<NextStep> {
        require(self.conn, id)
    }

    /// The award task of a partner's badge, if one was ever opened (open or done).
    pub fn award_task(&self, partner_id: &str, badge_id: &str) -> Result<Option<NextStep>> {
        get(self.conn, &NextStep::award_task_id(partner_id, badge_id))
    }

    /// Every open next step, soonest due first.
    pub fn open_next_steps(&self) -> Result<Vec<NextStep>> {
        select(self.conn, "status = 'open'", [], "due_on, id")
    }

    /// Open next steps due on or before `until`, soonest first (overdue ones come first).
    pub fn open_next_steps_due_by(&self, until: NaiveDate) -> Result<Vec<NextStep>> {
        select(
            self.conn,
            "status = 'open' AND due_on <= ?",
            [until.to_string()],
            "due_on, id",
        )
    }

    /// Open next steps past their due date as of `today`.
    pub fn overdue_next_steps(&self, today: NaiveDate) -> Result<Vec<NextStep>> {
        select(
            self.conn,
            "status = 'open' AND due_on < ?",
            [today.to_string()],
            "due_on, id",
        )
    }

    /// How many open next steps of each partner are past due on `today`.
    pub fn overdue_counts_by_partner(
        &self,
        today: NaiveDate,
    ) -> Result<std::collections::HashMap<String, usize>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT partner_id, count(*) FROM next_steps
              WHERE status = 'open' AND due_on < ?1 AND partner_id IS NOT NULL
              GROUP BY partner_id",
        )?;
        let rows = stmt.query_map([today.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as usize))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn next_steps_for_partner(&self, partner_id: &str) -> Result<Vec<NextStep>> {
        select(
            self.conn,
            "partner_id = ?1 OR note_id IN (SELECT id FROM call_notes WHERE partner_id = ?1)",
            [partner_id],
            "status, due_on, id",
        )
    }

    pub fn next_steps_for_note(&self, note_id: &str) -> Result<Vec<NextStep>> {
        select(self.conn, "note_id = ?", [note_id], "due_on, id")
    }

    /// Each account's latest call note (on the account or on one of its deals): id, title and
    /// when the call happened. One index seek per account on `call_notes(account_id,
    /// occurred_at)`, rather than visiting every note.
    pub fn last_note_per_account(
        &self,
    ) -> Result<std::collections::HashMap<String, (String, String, crate::time::Timestamp)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.account_id, n.id, n.title, n.occurred_at
               FROM accounts a
               JOIN call_notes n ON n.seq = (
                    SELECT seq FROM call_notes WHERE account_id = a.id
                     ORDER BY occurred_at DESC, seq DESC LIMIT 1)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (account, id, title, at) = row?;
            let at = crate::time::Timestamp::parse("occurred_at", &at)?;
            out.insert(account, (id, title, at));
        }
        Ok(out)
    }

    /// Each account's open deals (not closed won or lost): how many, and their amount per
    /// currency.
    pub fn open_deals_per_account(&self) -> Result<std::collections::HashMap<String, OpenDeals>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT account_id, currency, count(*), sum(amount) FROM opportunities
              WHERE stage NOT IN (?1, ?2) GROUP BY account_id, currency",
        )?;
        let mut rows = stmt.query([
            OpportunityStage::ClosedWon.code(),
            OpportunityStage::ClosedLost.code(),
        ])?;
        let mut out: std::collections::HashMap<String, OpenDeals> = Default::default();
        while let Some(r) = rows.next()? {
            let open = out.entry(r.get::<_, String>(0)?).or_default();
            open.count += r.get::<_, i64>(2)? as usize;
            open.amounts.push((r.get(1)?, Money(r.get(3)?)));
        }
        Ok(out)
    }

    /// Calls `each` for every deal closing from `first` to `last` (both included), once for
    /// each partner it counts for: the one that registered it and the one co-selling its
    /// account, once when they are the same. Only the columns plan against actuals sums are
    /// read, borrowed from the row; the accounts' partners are read once, not joined per deal.
    pub fn for_each_deal_closing(
        &self,
        first: NaiveDate,
        last: NaiveDate,
        mut each: impl FnMut(&str, DealFacts<'_>),
    ) -> Result<()> {
        let co_selling = self.account_partners()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT registered_partner_id, account_id, opportunity_type, stage, iacv,
                    services_attach, currency
               FROM opportunities WHERE close_date BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query([first.to_string(), last.to_string()])?;
        while let Some(r) = rows.next()? {
            let registered = text_ref(r, 0)?;
            let account = text_ref(r, 1)?.unwrap_or_default();
            let deal = DealFacts {
                opportunity_type: OpportunityType::parse(
                    "opportunity_type",
                    text_ref(r, 2)?.unwrap_or_default(),
                )?,
                stage: OpportunityStage::parse("stage", text_ref(r, 3)?.unwrap_or_default())?,
                iacv: Money(r.get(4)?),
                services_attach: Money(r.get(5)?),
                currency: text_ref(r, 6)?.unwrap_or_default(),
            };
            if let Some(p) = registered {
                each(p, deal);
            }
            if let Some(p) = co_selling
                .get(account)
                .filter(|c| Some(c.as_str()) != registered)
            {
                each(p, deal);
            }
        }
        Ok(())
    }

    /// Each partner's latest call note (one a note names the partner on): id, title, the
    /// start of its body (at most 400 characters) and when the call happened. One index seek
    /// per partner on `call_notes(partner_id, occurred_at)`.
    pub fn last_note_per_partner(
        &self,
    ) -> Result<std::collections::HashMap<String, (String, String, String, crate::time::Timestamp)>>
    {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.partner_id, n.id, n.title, substr(n.body, 1, 400), n.occurred_at
               FROM partners p
               JOIN call_notes n ON n.seq = (
                    SELECT seq FROM call_notes WHERE partner_id = p.id
                     ORDER BY occurred_at DESC, seq DESC LIMIT 1)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (partner, id, title, body, at) = row?;
            let at = crate::time::Timestamp::parse("occurred_at", &at)?;
            out.insert(partner, (id, title, body, at));
        }
        Ok(out)
    }

    /// Deals closed won with a close date from `first` to `last` (both included), on the
    /// `opportunities(stage, close_date)` index.
    pub fn closed_won_between(
        &self,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<Vec<Opportunity>> {
        select(
            self.conn,
            "stage = ?1 AND close_date BETWEEN ?2 AND ?3",
            [
                OpportunityStage::ClosedWon.code().to_string(),
                first.to_string(),
                last.to_string(),
            ],
            "close_date, id",
        )
    }

    /// The co-selling partner of every account that has one: account id to partner id.
    pub fn account_partners(&self) -> Result<std::collections::HashMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, partner_id FROM accounts WHERE partner_id IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each account's soonest open next step (on one of its deals, or agreed on a note about
    /// it): description and due date.
    pub fn next_step_per_account(
        &self,
    ) -> Result<std::collections::HashMap<String, (String, NaiveDate)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT acct, description, min(due_on) FROM (
               SELECT COALESCE(o.account_id, n.account_id) AS acct, s.description, s.due_on
                 FROM next_steps s
                 LEFT JOIN opportunities o ON o.id = s.opportunity_id
                 LEFT JOIN call_notes n ON n.id = s.note_id
                WHERE s.status = 'open')
              WHERE acct IS NOT NULL GROUP BY acct",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let (account, description, due) = row?;
            out.insert(
                account,
                (description, crate::time::parse_date("due_on", &due)?),
            );
        }
        Ok(out)
    }

    /// The opportunities with an open next step: on the deal itself, or agreed on a call note
    /// about the deal.
    pub fn opportunities_with_open_steps(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.opportunity_id FROM next_steps s
              WHERE s.status = 'open' AND s.opportunity_id IS NOT NULL
             UNION
             SELECT n.opportunity_id FROM next_steps s JOIN call_notes n ON n.id = s.note_id
              WHERE s.status = 'open' AND n.opportunity_id IS NOT NULL",
        )?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }

    /// The day of `partner`'s latest call note on `account`, if any.
    pub fn last_call_on_account(
        &self,
        partner_id: &str,
        account_id: &str,
    ) -> Result<Option<NaiveDate>> {
        let at: Option<String> = self.conn.query_row(
            "SELECT max(occurred_at) FROM call_notes WHERE account_id = ?1 AND partner_id = ?2",
            [account_id, partner_id],
            |r| r.get(0),
        )?;
        at.map(|t| Ok(Timestamp::parse("occurred_at", &t)?.date()))
            .transpose()
    }

    /// The partner that sold `account`'s latest closed-won deal: the one that registered it,
    /// or else the one co-selling the account.
    pub fn partner_of_last_won_deal(&self, account_id: &str) -> Result<Option<String>> {
        let found = self
            .conn
            .query_row(
                "SELECT coalesce(o.registered_partner_id, a.partner_id)
                   FROM opportunities o JOIN accounts a ON a.id = o.account_id
                  WHERE o.account_id = ?1 AND o.stage = 'closed_won'
                  ORDER BY o.close_date DESC, o.id DESC LIMIT 1",
                [account_id],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?;
        Ok(found.flatten())
    }
}

/// Column `i` of `row` as text borrowed from the row (`None` for NULL), without a copy.
fn text_ref<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>> {
    let value = row.get_ref(i)?;
    value.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, value.data_type(), Box::new(e)).into()
    })
}
