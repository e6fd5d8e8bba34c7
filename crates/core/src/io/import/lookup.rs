//! Lookups an import makes for every row, loaded once: partners by name or id, and
//! certifications by name or id.

use std::collections::{HashMap, HashSet};

use crate::error::{CoreError, Result};
use crate::store::{PartnerFilter, Reader};

/// How names are matched: ignoring case and surrounding spaces.
pub(super) fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Every partner's id, and the ids by name.
pub(super) struct PartnerIndex {
    ids: HashSet<String>,
    by_name: HashMap<String, Vec<String>>,
}

impl PartnerIndex {
    pub fn load(reader: Reader<'_>) -> Result<Self> {
        let mut index = PartnerIndex {
            ids: HashSet::new(),
            by_name: HashMap::new(),
        };
        for p in reader.partners(&PartnerFilter::default())? {
            index
                .by_name
                .entry(key(&p.name))
                .or_default()
                .push(p.id.clone());
            index.ids.insert(p.id);
        }
        Ok(index)
    }

    /// The id of the partner with id or name `text`, or why there is none.
    pub fn resolve(&self, text: &str) -> Result<String, String> {
        if self.ids.contains(text) {
            return Ok(text.to_string());
        }
        match self.by_name.get(&key(text)).map(Vec::as_slice) {
            Some([id]) => Ok(id.clone()),
            Some(many) if many.len() > 1 => Err(format!(
                "{} partners are named {text:?}; use the partner's id",
                many.len()
            )),
            _ => Err(format!(
                "no partner is named {text:?}; import or create the partner first"
            )),
        }
    }
}

/// Certifications resolved so far, by what the file wrote.
pub(super) struct Certifications<'r> {
    reader: Reader<'r>,
    known: Vec<String>,
    resolved: HashMap<String, Result<String, String>>,
}

impl<'r> Certifications<'r> {
    pub fn load(reader: Reader<'r>) -> Result<Self> {
        let known = reader
            .rule_book()?
            .certifications
            .into_iter()
            .map(|c| c.name)
            .collect();
        Ok(Certifications {
            reader,
            known,
            resolved: HashMap::new(),
        })
    }

    /// The id of the certification named `text` ("Sales Core", "PSE", "pse"), or why none.
    pub fn resolve(&mut self, text: &str) -> Result<Result<String, String>> {
        if let Some(done) = self.resolved.get(&key(text)) {
            return Ok(done.clone());
        }
        let outcome = match self.reader.resolve_certification(text) {
            Ok(c) => Ok(c.id),
            Err(CoreError::NotFound { .. }) => Err(format!(
                "no certification is called {text:?}; known certifications: {}",
                self.known.join(", ")
            )),
            Err(other) => return Err(other),
        };
        self.resolved.insert(key(text), outcome.clone());
        Ok(outcome)
    }
}
