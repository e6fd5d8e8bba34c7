//! People CSV (an LMS export): one row per person and certification. A person is matched by
//! email, else by name, within their partner and created once; a certification by person.

use std::collections::{HashMap, HashSet};

use super::lookup::{key, Certifications, PartnerIndex};
use super::pool::Pool;
use super::row::RowCtx;
use super::Writes;
use crate::domain::{EnablementItem, EnablementStatus, Person};
use crate::error::Result;
use crate::io::headers::normalize;
use crate::store::Reader;
use crate::time::parse_date;

pub(super) struct PeopleRows<'r> {
    reader: Reader<'r>,
    partners: PartnerIndex,
    certifications: Certifications<'r>,
    /// Partners whose people and items are in the pools.
    loaded: HashSet<String>,
    people: Pool<Person>,
    /// (partner id, email key) -> person.
    by_email: HashMap<(String, String), usize>,
    /// (partner id, name key) -> people.
    by_name: HashMap<(String, String), Vec<usize>>,
    items: Pool<EnablementItem>,
    /// (person id, certification id) -> item.
    item_of: HashMap<(String, String), usize>,
    item_line: HashMap<usize, u64>,
}

impl<'r> PeopleRows<'r> {
    pub fn load(reader: Reader<'r>) -> Result<Self> {
        Ok(PeopleRows {
            reader,
            partners: PartnerIndex::load(reader)?,
            certifications: Certifications::load(reader)?,
            loaded: HashSet::new(),
            people: Pool::new(),
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            items: Pool::new(),
            item_of: HashMap::new(),
            item_line: HashMap::new(),
        })
    }

    pub fn row(&mut self, row: &mut RowCtx<'_>) -> Result<()> {
        let partner_id = match row.require("partner").map(|p| self.partners.resolve(p)) {
            Some(Ok(id)) => Some(id),
            Some(Err(message)) => {
                row.fail("partner", message);
                None
            }
            None => None,
        };
        let name = full_name(row);
        let email = row.get("email");
        let role = row.get("role");
        let certification = match row.get("certification") {
            Some(text) => match self.certifications.resolve(text)? {
                Ok(id) => Some(id),
                Err(message) => {
                    row.fail("certification", message);
                    None
                }
            },
            None => None,
        };
        let status = row.parse("status", parse_status);
        let completed_on = row.parse("completed_on", |t| parse_date("completed_on", t));
        let expires_on = row.parse("expires_on", |t| parse_date("expires_on", t));
        let target_date = row.parse("target_date", |t| parse_date("target_date", t));
        let (Some(partner_id), Some(name)) = (partner_id, name) else {
            return Ok(());
        };
        if row.has_errors() {
            return Ok(());
        }
        self.load_partner(&partner_id)?;

        let Some(found) = self.match_person(row, &partner_id, &name, email) else {
            return Ok(());
        };
        let mut person = match found {
            Some(i) => self.people.get(i).clone(),
            None => Person::new(&partner_id, &name, "", ""),
        };
        person.name = name.clone();
        if let Some(e) = email {
            person.email = e.to_string();
        }
        if let Some(r) = role {
            person.role = r.to_string();
        }
        if let Err(e) = person.validate() {
            row.invalid_record(e, &[]);
            return Ok(());
        }

        let mut planned_item = None;
        if let Some(cert) = certification {
            let item_key = (person.id.clone(), cert.clone());
            let existing = self.item_of.get(&item_key).copied();
            if let Some(first) = existing.and_then(|i| self.item_line.get(&i)) {
                let named = row.get("certification").unwrap_or(&cert);
                let message = format!("{named:?} for this person is already on line {first}");
                row.fail("certification", message);
                return Ok(());
            }
            let mut item = match existing {
                Some(i) => self.items.get(i).clone(),
                None => {
                    let mut item =
                        EnablementItem::plan_certification(&partner_id, &person.id, &cert, None);
                    item.status = EnablementStatus::Certified;
                    item
                }
            };
            if let Some(s) = status {
                item.status = s;
            }
            if completed_on.is_some() {
                item.completed_on = completed_on;
            }
            if expires_on.is_some() {
                item.expires_on = expires_on;
            }
            if target_date.is_some() {
                item.target_date = target_date;
            }
            if let Err(e) = item.validate() {
                row.invalid_record(e, &[]);
                return Ok(());
            }
            planned_item = Some((item_key, existing, item));
        }

        let person_index = match found {
            Some(i) => {
                self.people.set(i, person);
                i
            }
            None => self.people.created(person),
        };
        self.index_person(person_index);
        if let Some((item_key, existing, item)) = planned_item {
            let i = match existing {
                Some(i) => {
                    self.items.set(i, item);
                    i
                }
                None => {
                    let i = self.items.created(item);
                    self.item_of.insert(item_key, i);
                    i
                }
            };
            self.item_line.insert(i, row.line);
        }
        Ok(())
    }

    pub fn finish(self) -> Writes {
        let mut writes = Writes::default();
        writes.people = writes.take(self.people);
        writes.items = writes.take(self.items);
        writes
    }

    /// Brings a partner's stored people and certifications into the pools, once.
    fn load_partner(&mut self, partner_id: &str) -> Result<()> {
        if !self.loaded.insert(partner_id.to_string()) {
            return Ok(());
        }
        for person in self.reader.people(partner_id)? {
            let i = self.people.stored(person);
            self.index_person(i);
        }
        for item in self.reader.enablement_items(partner_id)? {
            if let Some(cert) = item.certification_id.clone() {
                let item_key = (item.person_id.clone(), cert);
                let i = self.items.stored(item);
                // Two stored items for one person and certification: update the first.
                self.item_of.entry(item_key).or_insert(i);
            }
        }
        Ok(())
    }

    fn index_person(&mut self, i: usize) {
        let p = self.people.get(i);
        if !p.email.trim().is_empty() {
            self.by_email
                .entry((p.partner_id.clone(), key(&p.email)))
                .or_insert(i);
        }
        let list = self
            .by_name
            .entry((p.partner_id.clone(), key(&p.name)))
            .or_default();
        if !list.contains(&i) {
            list.push(i);
        }
    }

    /// `Some(Some(i))`: the row is person `i`; `Some(None)`: a new person; `None`: the row
    /// cannot tell which person it is (the error is recorded).
    fn match_person(
        &self,
        row: &mut RowCtx<'_>,
        partner_id: &str,
        name: &str,
        email: Option<&str>,
    ) -> Option<Option<usize>> {
        if let Some(e) = email {
            if let Some(&i) = self.by_email.get(&(partner_id.to_string(), key(e))) {
                return Some(Some(i));
            }
        }
        // By name, unless the namesake has another email: then it is another person.
        let namesakes: Vec<usize> = self
            .by_name
            .get(&(partner_id.to_string(), key(name)))
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                let p = self.people.get(i);
                key(&p.name) == key(name) && (email.is_none() || p.email.trim().is_empty())
            })
            .collect();
        match namesakes.as_slice() {
            [] => Some(None),
            [one] => Some(Some(*one)),
            many => {
                row.fail(
                    if email.is_some() { "email" } else { "name" },
                    format!(
                        "{} people at this partner are named {name:?}; give their email to \
                         tell them apart",
                        many.len()
                    ),
                );
                None
            }
        }
    }
}

/// The person's name: the name column, else first and last name together.
fn full_name(row: &mut RowCtx<'_>) -> Option<String> {
    if let Some(name) = row.get("name") {
        return Some(name.to_string());
    }
    let parts: Vec<&str> = [row.get("first_name"), row.get("last_name")]
        .into_iter()
        .flatten()
        .collect();
    if parts.is_empty() {
        let field = if row.has_column("name") {
            "name"
        } else {
            "first_name"
        };
        row.fail(field, "must not be empty");
        return None;
    }
    Some(parts.join(" "))
}

/// A status as our codes and labels write it, or as LMS exports do ("Completed", "Expired").
fn parse_status(text: &str) -> Result<EnablementStatus> {
    Ok(match normalize(text).as_str() {
        "completed" | "complete" | "passed" | "achieved" | "active" => EnablementStatus::Certified,
        "notstarted" | "enrolled" | "registered" | "assigned" => EnablementStatus::Planned,
        "started" | "inprogress" => EnablementStatus::InProgress,
        "expired" => EnablementStatus::Lapsed,
        _ => return Ok(EnablementStatus::parse("status", text)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lms_statuses_mean_what_they_say() {
        assert_eq!(parse_status("Passed").unwrap(), EnablementStatus::Certified);
        assert_eq!(
            parse_status("Not Started").unwrap(),
            EnablementStatus::Planned
        );
        assert_eq!(
            parse_status("in_progress").unwrap(),
            EnablementStatus::InProgress
        );
        assert_eq!(parse_status("Expired").unwrap(), EnablementStatus::Lapsed);
        let err = parse_status("Failed").unwrap_err().to_string();
        assert!(
            err.contains("planned, in_progress, certified, lapsed"),
            "{err}"
        );
    }
}
