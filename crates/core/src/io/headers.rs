//! Which CSV column holds which field: headers are matched by name, ignoring case, spaces and
//! punctuation, against the aliases of each field (the tables are in [`crate::io::schemas`]).

use std::collections::HashMap;

use crate::error::{CoreError, Result};
use crate::io::import::ColumnMapping;

/// One importable field and the headers that name it.
pub(crate) struct FieldSpec {
    /// The domain field, as reported in [`ColumnMapping::field`].
    pub field: &'static str,
    /// Accepted headers; the first is the one our export writes.
    pub aliases: &'static [&'static str],
}

/// The columns one kind of file can have.
pub(crate) struct Schema {
    pub fields: &'static [FieldSpec],
    /// Each entry is satisfied when any one of its fields has a column.
    pub required: &'static [&'static [&'static str]],
}

impl Schema {
    /// The header our export writes for `field`.
    pub fn header(&self, field: &str) -> &'static str {
        self.fields
            .iter()
            .find(|f| f.field == field)
            .map(|f| f.aliases[0])
            .unwrap_or_else(|| panic!("no field {field} in the schema"))
    }
}

/// `Partner Type(s)` and `partner_types` both become `partnertypes`.
pub(crate) fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The file's columns, mapped to fields.
pub(crate) struct Columns {
    pub mapping: Vec<ColumnMapping>,
    index: HashMap<&'static str, usize>,
}

impl Columns {
    /// The position of `field`'s column, if the file has one.
    pub fn position(&self, field: &str) -> Option<usize> {
        self.index.get(field).copied()
    }

    /// The header, as written in the file, of `field`'s column.
    pub fn header_of(&self, field: &str) -> Option<&str> {
        self.position(field)
            .map(|i| self.mapping[i].header.as_str())
    }
}

/// Maps each header to a field; a required field without a column, or two columns for one
/// field, makes the file unreadable.
pub(crate) fn map_headers(schema: &Schema, headers: &[String]) -> Result<Columns> {
    // Each alias normalized once, not once per column (a wide header row stays cheap).
    let mut by_alias: HashMap<String, usize> = HashMap::new();
    for (f, spec) in schema.fields.iter().enumerate() {
        for alias in spec.aliases {
            by_alias.entry(normalize(alias)).or_insert(f);
        }
    }
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    let mut mapping = Vec::with_capacity(headers.len());
    for (i, header) in headers.iter().enumerate() {
        let key = normalize(header);
        let spec = (!key.is_empty())
            .then(|| by_alias.get(&key))
            .flatten()
            .map(|&f| &schema.fields[f]);
        if let Some(spec) = spec {
            if let Some(&first) = index.get(spec.field) {
                return Err(CoreError::Csv(format!(
                    "columns {:?} and {:?} both hold the {} field; keep one of them",
                    headers[first], header, spec.field
                )));
            }
            index.insert(spec.field, i);
        }
        mapping.push(ColumnMapping {
            header: header.clone(),
            field: spec.map(|s| s.field.to_string()),
        });
    }
    for alternatives in schema.required {
        if alternatives.iter().any(|f| index.contains_key(f)) {
            continue;
        }
        let accepted: Vec<&str> = alternatives
            .iter()
            .flat_map(|f| schema.fields.iter().filter(move |s| s.field == *f))
            .flat_map(|s| s.aliases.iter().copied())
            .collect();
        return Err(CoreError::Csv(format!(
            "the file has no {} column (accepted headers: {}); its headers are: {}",
            schema.header(alternatives[0]),
            accepted.join(", "),
            headers.join(", ")
        )));
    }
    Ok(Columns { mapping, index })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::schemas::{OPPORTUNITIES, PARTNERS, PEOPLE};

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_header_names_two_fields_of_one_schema() {
        for schema in [&PARTNERS, &PEOPLE, &OPPORTUNITIES] {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for f in schema.fields {
                for a in f.aliases {
                    if let Some(other) = seen.insert(normalize(a), f.field) {
                        panic!("alias {a:?} names both {other} and {}", f.field);
                    }
                }
            }
        }
    }

    #[test]
    fn headers_match_ignoring_case_spaces_and_punctuation() {
        let cols = map_headers(
            &PARTNERS,
            &headers(&[
                "PARTNER NAME",
                "partner type(s)",
                "Track",
                " region ",
                "cam",
                "Extra",
            ]),
        )
        .unwrap();
        let fields: Vec<Option<&str>> = cols.mapping.iter().map(|m| m.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("name"),
                Some("partner_types"),
                Some("track"),
                Some("region"),
                Some("owner"),
                None
            ]
        );
    }

    #[test]
    fn salesforce_opportunity_headers_map() {
        let sf = [
            "Opportunity Name",
            "Account Name",
            "Type",
            "Stage",
            "Amount",
            "IACV",
            "Segment",
            "Close Date",
            "Registered Partner",
            "Win/Loss Reason",
            "Owner",
        ];
        let cols = map_headers(&OPPORTUNITIES, &headers(&sf)).unwrap();
        assert!(
            cols.mapping.iter().all(|m| m.field.is_some()),
            "{:?}",
            cols.mapping
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let err = map_headers(&PARTNERS, &headers(&["Name", "Track", "Owner"]))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("no Region column"), "{err}");
    }

    #[test]
    fn first_name_stands_in_for_a_name_column() {
        let cols = map_headers(
            &PEOPLE,
            &headers(&["Partner", "First Name", "Last Name", "Certification"]),
        )
        .unwrap();
        assert_eq!(cols.header_of("last_name"), Some("Last Name"));
    }

    #[test]
    fn two_columns_for_one_field_are_refused() {
        let err = map_headers(
            &PARTNERS,
            &headers(&["Name", "Company", "Track", "Region", "Owner"]),
        )
        .err()
        .unwrap()
        .to_string();
        assert!(err.contains("both hold the name field"), "{err}");
    }
}
