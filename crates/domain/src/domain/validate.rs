//! Small checks shared by every entity's `validate`.

use crate::error::{DomainError, Result};

/// The longest name (partner, person, account, opportunity) we accept.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest record id (or reference to one) we accept.
pub const MAX_ID_CHARS: usize = 100;
/// The longest title (note, next step) we accept.
pub const MAX_TITLE_CHARS: usize = 500;
/// The largest free text (note body, plan goals): 10 MB.
pub const MAX_TEXT_BYTES: usize = 10 * 1024 * 1024;

/// A name that is present and not absurdly long.
pub fn name(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    chars_at_most(field, value, MAX_NAME_CHARS)
}

/// A title that is present and not absurdly long.
pub fn title(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    chars_at_most(field, value, MAX_TITLE_CHARS)
}

pub fn chars_at_most(field: &str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(DomainError::invalid(
            field,
            format!("is {n} characters long; the limit is {max}"),
        ));
    }
    Ok(())
}

/// Free text up to 10 MB.
pub fn text(field: &str, value: &str) -> Result<()> {
    if value.len() > MAX_TEXT_BYTES {
        return Err(DomainError::invalid(
            field,
            format!(
                "is {:.1} MB; the limit is {} MB",
                value.len() as f64 / (1024.0 * 1024.0),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// An email address in a plausible shape (an empty one is allowed where optional).
pub fn email(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(());
    }
    let ok = v.len() <= 254
        && v.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        })
        && !v.contains(char::is_whitespace);
    if ok {
        Ok(())
    } else {
        Err(DomainError::invalid(
            field,
            format!("{v:?} is not an email address"),
        ))
    }
}

/// A count or amount that cannot be negative.
pub fn not_negative(field: &str, value: i64) -> Result<()> {
    if value < 0 {
        return Err(DomainError::invalid(
            field,
            format!("must not be negative (got {value})"),
        ));
    }
    Ok(())
}

/// The longest link (a pitch deck's URL) we accept.
pub const MAX_LINK_CHARS: usize = 2000;

/// A web link (http or https) a person can open, or nothing.
pub fn link(field: &str, value: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(());
    }
    chars_at_most(field, v, MAX_LINK_CHARS)?;
    match url::Url::parse(v) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(DomainError::invalid(
            field,
            format!("{v:?} is not a web link like https://example.com/deck"),
        )),
    }
}

/// An id referencing another record: present and not absurd.
pub fn reference(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(DomainError::invalid(field, "must name a record"));
    }
    chars_at_most(field, value, MAX_ID_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_a_web_address_or_nothing() {
        assert!(link("url", "").is_ok());
        assert!(link("url", "https://docs.example.com/deck?id=1").is_ok());
        for bad in [
            "deck.pdf",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
        ] {
            let err = link("url", bad).unwrap_err().to_string();
            assert!(
                err.contains("url") && err.contains("web link"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn empty_and_blank_names_are_refused() {
        assert!(name("name", "").is_err());
        assert!(name("name", "   ").is_err());
        assert!(name("name", "Acme").is_ok());
    }

    #[test]
    fn ten_megabytes_is_the_text_limit() {
        let at_limit = "a".repeat(MAX_TEXT_BYTES);
        assert!(text("body", &at_limit).is_ok());
        let over = "a".repeat(MAX_TEXT_BYTES + 1);
        let err = text("body", &over).unwrap_err().to_string();
        assert!(err.contains("limit is 10 MB"), "{err}");
    }

    #[test]
    fn email_shapes() {
        assert!(email("email", "ana@partner.example").is_ok());
        assert!(email("email", "").is_ok());
        assert!(email("email", "ana@partner").is_err());
        assert!(email("email", "ana partner@x.io").is_err());
    }
}
