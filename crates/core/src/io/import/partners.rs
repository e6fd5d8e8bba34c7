//! Partners CSV: one partner per row, matched to stored partners by name.

use std::collections::HashMap;

use super::lookup::key;
use super::pool::Pool;
use super::row::RowCtx;
use super::Writes;
use crate::domain::{Currency, JourneyStage, Partner, PartnerType, Region, Track};
use crate::error::{CoreError, Result};
use crate::store::{PartnerFilter, Reader};
use crate::time::parse_date;

pub(super) struct PartnerRows {
    pool: Pool<Partner>,
    /// Pool indexes by name key; more than one means stored partners share a name.
    by_name: HashMap<String, Vec<usize>>,
    /// The line that filled each pool entry, to refuse a partner listed twice.
    line_of: HashMap<usize, u64>,
}

impl PartnerRows {
    pub fn load(reader: Reader<'_>) -> Result<Self> {
        let mut rows = PartnerRows {
            pool: Pool::new(),
            by_name: HashMap::new(),
            line_of: HashMap::new(),
        };
        for p in reader.partners(&PartnerFilter::default())? {
            let name = key(&p.name);
            let index = rows.pool.stored(p);
            rows.by_name.entry(name).or_default().push(index);
        }
        Ok(rows)
    }

    pub fn row(&mut self, row: &mut RowCtx<'_>) -> Result<()> {
        let name = row.require("name");
        let types = row.parse("partner_types", parse_types);
        let track = row.parse("track", |t| Track::parse("track", t));
        let region = row.parse("region", |t| Region::parse("region", t));
        let owner = row.get("owner");
        let stage = row.parse("journey_stage", |t| JourneyStage::parse("journey_stage", t));
        let notes = row.get("account_notes");
        let phd = row.parse("last_phd_review", |t| parse_date("last_phd_review", t));
        let currency = row.parse("currency", |t| Currency::parse("currency", t));
        let Some(name) = name else {
            return Ok(());
        };

        let index = match self.by_name.get(&key(name)).map(Vec::as_slice) {
            None | Some([]) => None,
            Some([one]) => Some(*one),
            Some(many) => {
                row.fail(
                    "name",
                    format!(
                        "{} partners are already named {name:?}; rename one so the row can \
                         be matched",
                        many.len()
                    ),
                );
                return Ok(());
            }
        };
        if let Some(first) = index.and_then(|i| self.line_of.get(&i)) {
            row.fail(
                "name",
                format!("partner {name:?} is already on line {first}"),
            );
            return Ok(());
        }

        let mut partner = match index {
            Some(i) => self.pool.get(i).clone(),
            None => {
                // A new partner needs what an existing one may leave empty.
                let track = track.or_else(|| missing(row, "track"));
                let region = region.or_else(|| missing(row, "region"));
                let owner = owner.or_else(|| missing(row, "owner"));
                match (track, region, owner) {
                    (Some(t), Some(r), Some(o)) => Partner::new(name, t, r, o),
                    _ => return Ok(()),
                }
            }
        };
        if row.has_errors() {
            return Ok(());
        }
        partner.name = name.to_string();
        if let Some(t) = types {
            partner.partner_types = t;
        }
        if let Some(t) = track {
            partner.track = t;
        }
        if let Some(r) = region {
            partner.region = r;
        }
        if let Some(o) = owner {
            partner.owner = o.to_string();
        }
        if let Some(s) = stage {
            partner.journey_stage = s;
        }
        if let Some(n) = notes {
            partner.account_notes = n.to_string();
        }
        if phd.is_some() {
            partner.last_phd_review = phd;
        }
        if let Some(c) = currency {
            partner.currency = c;
        }
        if let Err(e) = partner.validate() {
            row.invalid_record(e, &[]);
            return Ok(());
        }

        let index = match index {
            Some(i) => {
                self.pool.set(i, partner);
                i
            }
            None => {
                let i = self.pool.created(partner);
                self.by_name.insert(key(name), vec![i]);
                i
            }
        };
        self.line_of.insert(index, row.line);
        Ok(())
    }

    pub fn finish(self) -> Writes {
        let mut writes = Writes::default();
        writes.partners = writes.take(self.pool);
        writes
    }
}

/// Records that a new record needs `field`.
fn missing<T>(row: &mut RowCtx<'_>, field: &str) -> Option<T> {
    if row.get(field).is_none() {
        row.fail(field, "must not be empty for a new partner");
    }
    None
}

/// `VAR/VAD; Global SI` or `var_vad|global_si`: codes or labels, separated by `;` or `|`.
fn parse_types(text: &str) -> Result<Vec<PartnerType>> {
    let mut types = Vec::new();
    for part in text
        .split([';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let t = PartnerType::parse("partner_types", part)?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.is_empty() {
        return Err(CoreError::invalid(
            "partner_types",
            "name at least one partner type, separated by ; or |",
        ));
    }
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_split_on_semicolons_and_bars_without_repeats() {
        let t = parse_types("VAR/VAD; global_si | Global SI").unwrap();
        assert_eq!(t, [PartnerType::VarVad, PartnerType::GlobalSi]);
    }

    #[test]
    fn an_unknown_type_lists_the_allowed_ones() {
        let err = parse_types("VAR/VAD; Platinum").unwrap_err().to_string();
        assert!(
            err.contains("\"Platinum\" is not one of: var_vad, dmr"),
            "{err}"
        );
    }
}
