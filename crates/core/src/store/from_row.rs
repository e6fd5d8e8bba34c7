//! Reads a row straight into a domain type through serde, with no JSON object in between.
//!
//! Lists of thousands of records (compliance for every partner reads every enablement item)
//! spent three quarters of their time building a `serde_json::Map` per row and then
//! deserializing it. Here each column is handed to the type's `Deserialize` as it is: text as
//! a borrowed `&str`, integers as `i64`, `Col::Bool` as `bool`, `Col::Json` parsed in place.
//! The result is the same as `serde_json::from_value(row_to_map(row))`; a test holds both
//! paths to that for every kind.

use rusqlite::types::ValueRef;
use rusqlite::Row;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use super::tables::{Col, Entity};
use crate::error::Result;

type DeError = serde_json::Error;

/// The record in `row`, selected with `column_list::<E>()`.
pub(crate) fn from_row<E: Entity>(row: &Row<'_>) -> Result<E> {
    Ok(read::<E>(row, E::COLUMNS)?)
}

fn read<T: DeserializeOwned>(
    row: &Row<'_>,
    columns: &'static [(&'static str, Col)],
) -> Result<T, DeError> {
    T::deserialize(RecordDeserializer { row, columns })
}

/// A row as a map from column name to cell.
struct RecordDeserializer<'a, 'r> {
    row: &'a Row<'r>,
    columns: &'static [(&'static str, Col)],
}

impl<'de> Deserializer<'de> for RecordDeserializer<'de, '_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_map(Cells {
            row: self.row,
            columns: self.columns,
            next: 0,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

struct Cells<'a, 'r> {
    row: &'a Row<'r>,
    columns: &'static [(&'static str, Col)],
    next: usize,
}

impl<'de> MapAccess<'de> for Cells<'de, '_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.columns.get(self.next) {
            Some((name, _)) => seed.deserialize((*name).into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (name, col) = self.columns[self.next];
        let value = self
            .row
            .get_ref(self.next)
            .map_err(|e| de::Error::custom(format!("{name}: {e}")))?;
        self.next += 1;
        seed.deserialize(Cell { value, col })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.columns.len() - self.next)
    }
}

/// One column's value, read as its `Col` says.
struct Cell<'a> {
    value: ValueRef<'a>,
    col: Col,
}

impl<'de> Deserializer<'de> for Cell<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match (self.value, self.col) {
            (ValueRef::Null, _) => visitor.visit_unit(),
            (ValueRef::Integer(i), Col::Bool) => visitor.visit_bool(i != 0),
            (ValueRef::Integer(i), _) => visitor.visit_i64(i),
            (ValueRef::Real(f), _) => visitor.visit_f64(f),
            (ValueRef::Text(t), Col::Json) => {
                let mut json = serde_json::Deserializer::from_slice(t);
                let value = (&mut json).deserialize_any(visitor)?;
                json.end()?;
                Ok(value)
            }
            (ValueRef::Text(t) | ValueRef::Blob(t), _) => match std::str::from_utf8(t) {
                Ok(s) => visitor.visit_str(s),
                Err(_) => visitor.visit_string(String::from_utf8_lossy(t).into_owned()),
            },
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.value {
            ValueRef::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match (self.value, self.col) {
            (ValueRef::Text(t), Col::Text) => {
                let code = std::str::from_utf8(t).map_err(de::Error::custom)?;
                IntoDeserializer::<DeError>::into_deserializer(code)
                    .deserialize_enum(name, variants, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde_json::Value;

    use super::super::entity::{column_list, get, row_to_map};
    use super::*;
    use crate::demo::{generate, DemoSize};
    use crate::domain::*;
    use crate::store::Store;

    /// Every row of `E`, read both ways: straight from the row, and through a JSON object.
    fn both_ways<E: Entity + PartialEq + std::fmt::Debug>(store: &Store) -> usize {
        let conn = store.read().conn;
        let sql = format!("SELECT {} FROM {}", column_list::<E>(), E::TABLE);
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows = stmt.query([]).unwrap();
        let mut n = 0;
        while let Some(row) = rows.next().unwrap() {
            let direct: E = from_row(row).unwrap();
            let via_map: E =
                serde_json::from_value(Value::Object(row_to_map::<E>(row).unwrap())).unwrap();
            assert_eq!(direct, via_map, "{} read the same both ways", E::KIND);
            assert_eq!(get::<E>(conn, direct.id()).unwrap().as_ref(), Some(&direct));
            n += 1;
        }
        n
    }

    #[test]
    fn a_row_reads_the_same_as_through_a_json_object_for_every_kind() {
        let mut store = Store::open_in_memory().unwrap();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        generate(
            &mut store,
            DemoSize {
                partners: 12,
                notes: 150,
            },
            9,
            today,
        )
        .unwrap();
        // The demo asks for no NFR licences: one, so the kind has a row to compare.
        let partner = store
            .read()
            .partners(&Default::default())
            .unwrap()
            .remove(0);
        let request = crate::ops::NewNfrRequest {
            partner: partner.id,
            requested_by: "cam@example.com".into(),
            contact_name: "Ana Licence".into(),
            contact_email: "ana@partner.example".into(),
            purpose: "demo lab".into(),
            seats: Some(5),
            requested_on: Some(today.to_string()),
        };
        crate::ops::request_nfr(&mut store, &request, today).unwrap();
        let counts = [
            both_ways::<Partner>(&store),
            both_ways::<Person>(&store),
            both_ways::<EnablementItem>(&store),
            both_ways::<BusinessPlan>(&store),
            both_ways::<Account>(&store),
            both_ways::<Opportunity>(&store),
            both_ways::<CallNote>(&store),
            both_ways::<NextStep>(&store),
            both_ways::<NfrRequest>(&store),
            both_ways::<Certification>(&store),
            both_ways::<TrackRequirement>(&store),
            both_ways::<Badge>(&store),
            both_ways::<BadgeRequirement>(&store),
            both_ways::<R7Threshold>(&store),
            both_ways::<ExchangeRate>(&store),
            both_ways::<JourneyCapability>(&store),
            both_ways::<CurriculumModule>(&store),
        ];
        assert!(
            counts.iter().all(|n| *n > 0),
            "every kind has rows to compare: {counts:?}"
        );
    }

    #[test]
    fn a_bad_enum_code_is_an_error_not_a_panic() {
        let store = Store::open_in_memory().unwrap();
        let conn = store.read().conn;
        let mut stmt = conn.prepare("SELECT 'x', 'select', 'nope', 1").unwrap();
        let mut rows = stmt.query([]).unwrap();
        let row = rows.next().unwrap().unwrap();
        const COLUMNS: &[(&str, Col)] = &[
            ("id", Col::Text),
            ("track", Col::Text),
            ("certification_id", Col::Text),
            ("count", Col::Int),
        ];
        let ok: TrackRequirement = read(row, COLUMNS).unwrap();
        assert_eq!(ok.track, Track::Select);
        let mut stmt = conn.prepare("SELECT 'x', 'platinum', 'c', 1").unwrap();
        let mut rows = stmt.query([]).unwrap();
        let row = rows.next().unwrap().unwrap();
        let err = read::<TrackRequirement>(row, COLUMNS).unwrap_err();
        assert!(err.to_string().contains("platinum"), "{err}");
    }
}
