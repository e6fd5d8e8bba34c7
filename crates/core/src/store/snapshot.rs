//! A whole-database snapshot as JSON, record by record: what convergence tests compare
//! (two clients, a replayed outbox, a server) without caring about row order or rowids.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::entity::{column_list, row_to_map};
use super::tables::Entity;
use super::Reader;
use crate::domain::*;
use crate::error::Result;

/// Every record, keyed by (kind, id), as its stored fields.
pub type Snapshot = BTreeMap<(String, String), Map<String, Value>>;

fn add_kind<E: Entity>(reader: Reader<'_>, out: &mut Snapshot) -> Result<()> {
    let sql = format!("SELECT {} FROM {}", column_list::<E>(), E::TABLE);
    let mut stmt = reader.conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let map = row_to_map::<E>(row)?;
        let id = map
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        out.insert((E::KIND.to_string(), id), map);
    }
    Ok(())
}

impl Reader<'_> {
    /// Every record of every kind.
    pub fn snapshot(&self) -> Result<Snapshot> {
        let mut out = Snapshot::new();
        add_kind::<Partner>(*self, &mut out)?;
        add_kind::<Person>(*self, &mut out)?;
        add_kind::<EnablementItem>(*self, &mut out)?;
        add_kind::<BusinessPlan>(*self, &mut out)?;
        add_kind::<Account>(*self, &mut out)?;
        add_kind::<Opportunity>(*self, &mut out)?;
        add_kind::<CallNote>(*self, &mut out)?;
        add_kind::<NextStep>(*self, &mut out)?;
        add_kind::<NfrRequest>(*self, &mut out)?;
        add_kind::<Certification>(*self, &mut out)?;
        add_kind::<TrackRequirement>(*self, &mut out)?;
        add_kind::<Badge>(*self, &mut out)?;
        add_kind::<BadgeRequirement>(*self, &mut out)?;
        add_kind::<R7Threshold>(*self, &mut out)?;
        add_kind::<ExchangeRate>(*self, &mut out)?;
        add_kind::<JourneyCapability>(*self, &mut out)?;
        add_kind::<CurriculumModule>(*self, &mut out)?;
        Ok(out)
    }
}
