//! Whose work a view covers: mine, my team's, or everyone's on this laptop. A record is in
//! view when it sits on a partner in view, or names me (its owner, its author).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::domain::{CallNote, NextStep};
use crate::error::Result;
use crate::store::Reader;

/// The choice a person makes at the top of Today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Partners I own as their CAM, and accounts, deals, steps and notes that name me.
    Mine,
    /// The partners of my region (a manager's, from the server), or of the regions my partners
    /// are in; and what names me.
    Team,
    /// Everything this laptop holds.
    Everyone,
}

impl Scope {
    /// Mine once someone signed in on this profile (the laptop then holds their team's data
    /// too); before that, everything here is the person's own.
    pub fn default_for(reader: Reader<'_>) -> Result<Scope> {
        Ok(if reader.profile_owner()?.is_some() {
            Scope::Mine
        } else {
            Scope::Everyone
        })
    }
}

/// Who and which partners a [`Scope`] covers, resolved against the records here.
#[derive(Debug, Clone)]
pub struct Audience {
    pub scope: Scope,
    /// `None`: every partner.
    partners: Option<HashSet<String>>,
    /// `None`: everyone.
    person: Option<String>,
}

impl Audience {
    pub fn everyone() -> Audience {
        Audience {
            scope: Scope::Everyone,
            partners: None,
            person: None,
        }
    }

    /// The audience of `scope` for the person of this profile. With nobody known (no one
    /// signed in and no computer user name), that is everyone.
    pub fn of(reader: Reader<'_>, scope: Scope) -> Result<Audience> {
        Audience::for_person(reader, scope, reader.default_author()?)
    }

    /// The audience of `scope` for `me` (an email or user name; `None`: everyone).
    pub fn for_person(reader: Reader<'_>, scope: Scope, me: Option<String>) -> Result<Audience> {
        let me = match (scope, me.filter(|m| !m.trim().is_empty())) {
            (Scope::Everyone, _) | (_, None) => return Ok(Audience::everyone()),
            (_, Some(me)) => me,
        };
        let partners = reader.partners(&Default::default())?;
        let regions: HashSet<String> = match (scope, reader.profile_region()?) {
            (Scope::Team, Some(region)) => HashSet::from([region]),
            (Scope::Team, None) => partners
                .iter()
                .filter(|p| same_person(&p.owner, &me))
                .map(|p| p.region.code().to_string())
                .collect(),
            _ => HashSet::new(),
        };
        let keep = partners
            .into_iter()
            .filter(|p| match scope {
                Scope::Team => regions.contains(p.region.code()) || same_person(&p.owner, &me),
                _ => same_person(&p.owner, &me),
            })
            .map(|p| p.id)
            .collect();
        Ok(Audience {
            scope,
            partners: Some(keep),
            person: Some(me),
        })
    }

    /// Whether a record on partner `id` (if any) is in view through its partner.
    pub fn partner(&self, id: Option<&str>) -> bool {
        match &self.partners {
            None => true,
            Some(keep) => id.is_some_and(|id| keep.contains(id)),
        }
    }

    /// Whether a record that names `who` (owner, author) is in view through its person.
    pub fn person(&self, who: &str) -> bool {
        match &self.person {
            None => true,
            Some(me) => same_person(who, me),
        }
    }
}

impl Audience {
    /// A next step: on a partner in view, or mine to do.
    pub fn step(&self, s: &NextStep) -> bool {
        self.partner(s.partner_id.as_deref()) || self.person(&s.owner)
    }

    /// A call note: on a partner in view, or written by me.
    pub fn note(&self, n: &CallNote) -> bool {
        self.partner(n.partner_id.as_deref()) || self.person(&n.author)
    }
}

/// Emails and user names compare without case or surrounding spaces.
fn same_person(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}
