//! Finding the records and rules an input names, by id or by name, with errors that say what
//! was looked for (and, for rules, what exists).

use crate::domain::*;
use crate::error::{CoreError, Result};
use crate::rules::RuleBook;
use crate::store::Reader;

/// An account by id or exact name (ignoring case).
pub(crate) fn account(reader: Reader<'_>, key: &str) -> Result<Account> {
    reader
        .find_account(key)?
        .ok_or_else(|| CoreError::NotFound {
            entity: "account",
            id: key.trim().to_string(),
        })
}

/// An opportunity by id, or by exact name (ignoring case) — within `account` when given,
/// else across all accounts, refusing a name that several opportunities share.
pub(crate) fn opportunity(
    reader: Reader<'_>,
    key: &str,
    account: Option<&Account>,
) -> Result<Opportunity> {
    let not_found = || CoreError::NotFound {
        entity: "opportunity",
        id: key.trim().to_string(),
    };
    if let Some(account) = account {
        return reader
            .find_opportunity(&account.id, key)?
            .ok_or_else(not_found);
    }
    if let Ok(found) = reader.opportunity(key) {
        return Ok(found);
    }
    let mut named: Vec<Opportunity> = reader
        .opportunities(None)?
        .into_iter()
        .filter(|o| o.name.eq_ignore_ascii_case(key.trim()))
        .collect();
    match named.len() {
        0 => Err(not_found()),
        1 => Ok(named.remove(0)),
        n => Err(CoreError::invalid(
            "opportunity",
            format!("{n} opportunities are named {key:?}; name the account too, or use the id"),
        )),
    }
}

/// Lower-case letters and digits only, so `PSP`, `psp` and `(PSP)` compare equal.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name matches its whole text or an abbreviation in parentheses ("… (PSP)").
fn name_matches(name: &str, wanted: &str) -> bool {
    norm(name) == wanted
        || name
            .split(['(', ')'])
            .any(|part| !part.trim().is_empty() && norm(part) == wanted)
}

fn unknown(field: &str, key: &str, what: &str, ids: impl Iterator<Item = String>) -> CoreError {
    let ids: Vec<String> = ids.collect();
    CoreError::invalid(
        field,
        format!("{key:?} is not {what}; one of: {}", ids.join(", ")),
    )
}

/// A badge of the rules table by id or name.
pub(crate) fn badge<'b>(book: &'b RuleBook, key: &str) -> Result<&'b Badge> {
    let wanted = norm(key);
    book.badges
        .iter()
        .find(|b| norm(&b.id) == wanted || name_matches(&b.name, &wanted))
        .ok_or_else(|| {
            unknown(
                "badge",
                key,
                "a badge",
                book.badges.iter().map(|b| b.id.clone()),
            )
        })
}

/// A journey capability of the rules table, by id.
pub(crate) fn capability<'b>(book: &'b RuleBook, key: &str) -> Result<&'b JourneyCapability> {
    let key = key.trim();
    book.journey_capabilities
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(key))
        .ok_or_else(|| {
            let ids = book.journey_capabilities.iter().map(|c| c.id.clone());
            unknown("capability", key, "a journey capability", ids)
        })
}

/// A curriculum module by id or title.
pub(crate) fn module<'b>(book: &'b RuleBook, key: &str) -> Result<&'b CurriculumModule> {
    let wanted = norm(key);
    book.curriculum_modules
        .iter()
        .find(|m| norm(&m.id) == wanted || norm(&m.title) == wanted)
        .ok_or_else(|| CoreError::invalid("module", format!("{key:?} is not a curriculum module")))
}

/// A certification by id or name, listing the known ones when it is not found.
pub(crate) fn certification<'b>(book: &'b RuleBook, key: &str) -> Result<&'b Certification> {
    let wanted = norm(key);
    book.certifications
        .iter()
        .find(|c| norm(&c.id) == wanted || name_matches(&c.name, &wanted))
        .ok_or_else(|| {
            let ids = book.certifications.iter().map(|c| c.id.clone());
            unknown("certification", key, "a certification", ids)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_in_parentheses_match() {
        assert!(name_matches(
            "Professional Services Partner (PSP)",
            &norm("psp")
        ));
        assert!(name_matches(
            "Solution Architect (SA) Core",
            &norm("Solution Architect (SA) Core")
        ));
        assert!(!name_matches("Sales Core", &norm("sales")));
    }
}
